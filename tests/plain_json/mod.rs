//! JSON values for insta snapshots. The crate turns on serde_json's
//! `arbitrary_precision` (amounts are decoded from the number's text), under
//! which a `serde_json::Value` number serializes as a private one-key map;
//! insta's JSON writer would show that map. [`Plain`] serializes numbers as
//! plain integers or floats, so snapshots read as the JSON they stand for.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

/// A JSON value whose numbers serialize as integers or floats.
pub struct Plain<'a>(pub &'a Value);

impl Serialize for Plain<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    s.serialize_u64(u)
                } else if let Some(i) = n.as_i64() {
                    s.serialize_i64(i)
                } else {
                    s.serialize_f64(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::String(t) => s.serialize_str(t),
            Value::Array(list) => {
                let mut seq = s.serialize_seq(Some(list.len()))?;
                for v in list {
                    seq.serialize_element(&Plain(v))?;
                }
                seq.end()
            }
            Value::Object(map) => {
                let mut m = s.serialize_map(Some(map.len()))?;
                for (k, v) in map {
                    m.serialize_entry(k, &Plain(v))?;
                }
                m.end()
            }
        }
    }
}

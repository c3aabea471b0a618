//! What the decoding tests of every version share.

use chrono::{DateTime, Utc};
use serde_json::Value;

/// The text of `tests/fixtures/<version>/<name>`.
pub fn fixture(version: &str, name: &str) -> String {
    let file = format!(
        "{}/tests/fixtures/{version}/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("reading {file}: {e}"))
}

/// A fixture as JSON.
pub fn fixture_json(version: &str, name: &str) -> Value {
    serde_json::from_str(&fixture(version, name)).expect("fixture is JSON")
}

/// A fixture decoded as `T`.
pub fn decode<T: serde::de::DeserializeOwned>(version: &str, name: &str) -> T {
    serde_json::from_str(&fixture(version, name)).unwrap_or_else(|e| panic!("decoding {name}: {e}"))
}

/// The strings inside a list of string newtypes (open enums, tags, codes).
pub fn strs<T: std::fmt::Display>(list: &[T]) -> Vec<String> {
    list.iter().map(T::to_string).collect()
}

/// A `required_*_fields` value: alternatives of field sets.
pub fn field_sets(sets: &[&[&str]]) -> Vec<Vec<String>> {
    sets.iter()
        .map(|set| set.iter().map(|f| f.to_string()).collect())
        .collect()
}

/// An RFC 3339 date.
pub fn date(s: &str) -> DateTime<Utc> {
    s.parse().expect("RFC 3339 date")
}

/// Standard base64.
pub fn base64(input: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(input)
}

/// An HTTP client sending `Basic base64(key:secret)`, marked sensitive.
pub fn authed_http() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    let mut auth =
        reqwest::header::HeaderValue::from_str(&format!("Basic {}", base64(b"key:secret")))
            .unwrap();
    auth.set_sensitive(true);
    headers.insert(reqwest::header::AUTHORIZATION, auth);
    dvs::http_client_builder()
        .unwrap()
        .default_headers(headers)
        .build()
        .unwrap()
}

//! JSON pointers (RFC 6901) as `$ref`s and reports use them.

use serde_json::Value;

/// Escapes one reference token: `~` as `~0`, `/` as `~1`.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Appends an escaped token to a pointer.
pub fn join(ptr: &str, token: &str) -> String {
    format!("{ptr}/{}", escape(token))
}

/// Looks up a pointer (the part of a `$ref` after `#`), accepting the
/// percent-encoding a URI fragment may carry.
pub fn get<'a>(root: &'a Value, ptr: &str) -> Option<&'a Value> {
    if ptr.contains('%') {
        root.pointer(&percent_decode(ptr))
    } else {
        root.pointer(ptr)
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_escaped_and_decoded() {
        assert_eq!(join("/paths", "/a/{b}"), "/paths/~1a~1{b}");
        assert_eq!(escape("a~b"), "a~0b");
        let v = serde_json::json!({"paths": {"/a/{b}": 1}});
        assert_eq!(get(&v, "/paths/~1a~1{b}"), Some(&serde_json::json!(1)));
        assert_eq!(get(&v, "/paths/~1a~1%7Bb%7D"), Some(&serde_json::json!(1)));
        assert_eq!(get(&v, "/paths/~1a~1%7"), None);
    }
}

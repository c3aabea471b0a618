//! JSON pointers (RFC 6901) as `$ref`s and reports use them.

use serde_json::Value;

/// Escapes one reference token: `~` as `~0`, `/` as `~1`.
pub fn escape(token: &str) -> String {
    crate::normalize::resolve::escape(token)
}

/// Appends an escaped token to a pointer.
pub fn join(ptr: &str, token: &str) -> String {
    format!("{ptr}/{}", escape(token))
}

/// Looks up a pointer (the part of a `$ref` after `#`), accepting the
/// percent-encoding a URI fragment may carry.
pub fn get<'a>(root: &'a Value, ptr: &str) -> Option<&'a Value> {
    if ptr.contains('%') {
        root.pointer(&crate::normalize::resolve::percent_decode(ptr))
    } else {
        root.pointer(ptr)
    }
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

//! Input checks made before anything is sent.

use crate::Error;

/// An E.164 mobile number: `+`, a non-zero digit, then 6 to 14 digits.
pub(crate) fn mobile_number(field: &'static str, value: &str) -> Result<(), Error> {
    let digits = value
        .strip_prefix('+')
        .ok_or_else(|| Error::invalid(field, "an E.164 number starts with `+`"))?;
    let ok = (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!("`{value}` is not an E.164 number (+ and 7 to 15 digits, not starting with 0)"),
        ))
    }
}

/// An id the API numbers from 1.
pub(crate) fn positive<T: Copy + PartialOrd + From<u8>>(
    field: &'static str,
    v: T,
) -> Result<T, Error> {
    if v >= T::from(1) {
        Ok(v)
    } else {
        Err(Error::invalid(field, "must be at least 1"))
    }
}

/// A currency code: three upper-case ASCII letters (ISO 4217 style, `USD`).
pub(crate) fn currency(field: &'static str, value: &str) -> Result<(), Error> {
    if value.len() == 3 && value.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!("`{value}` is not a currency code (3 upper-case letters, e.g. `USD`)"),
        ))
    }
}

/// Characters that show nothing: white space and the invisible format
/// characters (zero-width spaces and joiners, direction marks, the byte
/// order mark, soft hyphen, variation selectors, tags...).
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E007F}'
        )
}

/// A text of 1 to `max` characters.
pub(crate) fn length(field: &'static str, value: &str, max: usize) -> Result<(), Error> {
    let n = value.chars().count();
    if n == 0 || n > max {
        return Err(Error::invalid(
            field,
            format!("must be 1 to {max} characters, not {n}"),
        ));
    }
    Ok(())
}

/// A transaction `external_id`: 1 to 40 characters, no control character,
/// not made only of white space or invisible characters.
pub(crate) fn external_id(value: &str) -> Result<(), Error> {
    length("external_id", value, 40)?;
    if let Some((i, c)) = value.chars().enumerate().find(|(_, c)| c.is_control()) {
        return Err(Error::invalid(
            "external_id",
            format!(
                "must not contain control characters (U+{:04X} at character {})",
                c as u32,
                i + 1
            ),
        ));
    }
    if value.chars().all(is_invisible) {
        return Err(Error::invalid(
            "external_id",
            "must not be blank (only white space or invisible characters)",
        ));
    }
    Ok(())
}

/// A page number: at least 1.
pub(crate) fn page(value: u32) -> Result<(), Error> {
    if value >= 1 {
        Ok(())
    } else {
        Err(Error::invalid("page", "must be at least 1"))
    }
}

/// A page size: 1 to 100.
pub(crate) fn per_page(value: u32) -> Result<(), Error> {
    if (1..=100).contains(&value) {
        Ok(())
    } else {
        Err(Error::invalid(
            "per_page",
            format!("must be 1 to 100, not {value}"),
        ))
    }
}

/// A transaction search window: `from` not after `to`, at most 24 hours.
pub(crate) fn date_window(
    from: Option<chrono::DateTime<chrono::Utc>>,
    to: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<(), Error> {
    if let (Some(from), Some(to)) = (from, to) {
        if from > to {
            return Err(Error::invalid("from_date", "is after to_date"));
        }
        if to - from > chrono::Duration::hours(24) {
            return Err(Error::invalid(
                "to_date",
                "the window from from_date to to_date exceeds 24 hours",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers() {
        for ok in ["+6595123100", "+1234567", "+123456789012345"] {
            assert!(mobile_number("m", ok).is_ok(), "{ok}");
        }
        for bad in [
            "6595123100",
            "+0595123100",
            "+123456",
            "+1234567890123456",
            "+65 9512",
            "",
        ] {
            assert!(mobile_number("m", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn others() {
        assert!(external_id("order-1").is_ok());
        assert!(external_id(&"x".repeat(40)).is_ok());
        assert!(external_id(&"x".repeat(41)).is_err());
        assert!(external_id("").is_err());
        assert!(external_id("   ").is_err());
        assert!(external_id("order\u{7}1").is_err());
        assert!(external_id("order-1\n").is_err());
        assert!(external_id("\u{200B}\u{FEFF}").is_err());
        assert!(external_id(" \u{2060} ").is_err());
        assert!(external_id("pedido-ñ-1").is_ok());
        assert!(currency("u", "USD").is_ok());
        for bad in ["", "usd", "US", "USDT", "U5D", "ÜSD"] {
            assert!(currency("u", bad).is_err(), "{bad}");
        }
        assert!(page(0).is_err() && page(1).is_ok());
        assert!(per_page(0).is_err() && per_page(100).is_ok() && per_page(101).is_err());
        let t = chrono::Utc::now();
        assert!(date_window(Some(t - chrono::Duration::hours(24)), Some(t)).is_ok());
        assert!(date_window(Some(t - chrono::Duration::hours(25)), Some(t)).is_err());
        assert!(date_window(Some(t), Some(t - chrono::Duration::seconds(1))).is_err());
    }
}

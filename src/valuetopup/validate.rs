//! Input checks made before anything is sent to ValueTopup.

use crate::Error;
use rust_decimal::Decimal;

/// A `correlationId`: 1 to 50 characters (the spec's bounds), printable
/// ASCII without white space or `/ \ ? # %`. The narrower alphabet keeps the
/// id usable as the path segment of `GET /transaction/status/{correlationId}`,
/// the only way to recover a purchase whose answer was lost.
pub(crate) fn correlation_id(value: &str) -> Result<(), Error> {
    crate::validate::length("correlation_id", value, 50)?;
    if let Some(c) = value
        .chars()
        .find(|c| !c.is_ascii_graphic() || matches!(c, '/' | '\\' | '?' | '#' | '%'))
    {
        return Err(Error::invalid(
            "correlation_id",
            format!("{c:?} is not allowed (printable ASCII without white space or / \\ ? # %)"),
        ));
    }
    Ok(())
}

/// A mobile number as ValueTopup takes it: digits with the country code
/// (`18761234567`), 7 to 15 of them, not starting with 0. A leading `+` is
/// accepted and dropped. Returns the digits.
pub(crate) fn msisdn(field: &'static str, value: &str) -> Result<String, Error> {
    let digits = value.strip_prefix('+').unwrap_or(value);
    let ok = (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if ok {
        Ok(digits.to_string())
    } else {
        Err(Error::invalid(
            field,
            format!(
                "`{value}` is not a mobile number with its country code (7 to 15 digits, \
                 not starting with 0, optionally after `+`)"
            ),
        ))
    }
}

/// A subscriber number of a top-up, "as per carrier guideline": 4 to 15
/// digits (some carriers take local numbers). A leading `+` is dropped.
pub(crate) fn subscriber_number(field: &'static str, value: &str) -> Result<String, Error> {
    let digits = value.strip_prefix('+').unwrap_or(value);
    if (4..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(digits.to_string())
    } else {
        Err(Error::invalid(
            field,
            format!("`{value}` is not a mobile number (4 to 15 digits, optionally after `+`)"),
        ))
    }
}

pub(crate) use crate::validate::positive as id;

/// An amount: above zero.
pub(crate) fn amount(value: Decimal) -> Result<Decimal, Error> {
    if value > Decimal::ZERO {
        Ok(value)
    } else {
        Err(Error::invalid(
            "amount",
            format!("must be an amount above 0, not {value}"),
        ))
    }
}

/// A text that must be present: not empty, not blank, at most `max` characters.
pub(crate) fn text(field: &'static str, value: &str, max: usize) -> Result<(), Error> {
    let n = value.chars().count();
    if value.trim().is_empty() || n > max {
        Err(Error::invalid(
            field,
            format!("must be 1 to {max} characters, not blank"),
        ))
    } else {
        Ok(())
    }
}

/// A Boost Mobile account PIN: 4 to 6 digits (the spec caps it at 6 characters).
pub(crate) fn boost_pin(value: &str) -> Result<(), Error> {
    if (4..=6).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Error::invalid("boost_pin", "must be 4 to 6 digits"))
    }
}

/// An ICCID: 10 to 22 ASCII letters or digits (19 or 20 digits in practice,
/// some ending in `F`).
pub(crate) fn iccid(value: &str) -> Result<(), Error> {
    if (10..=22).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(Error::invalid(
            "iccid",
            format!("`{value}` is not an ICCID (10 to 22 letters or digits)"),
        ))
    }
}

/// An `Accept-Language` value: a language tag such as `ar` or `pt-BR`.
pub(crate) fn language(value: &str) -> Result<(), Error> {
    let ok = (2..=35).contains(&value.len())
        && value
            .split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric()));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "language",
            format!("`{value}` is not a language tag (e.g. `ar`, `pt-BR`)"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correlation_ids() {
        assert!(correlation_id("order-1").is_ok());
        assert!(correlation_id(&"x".repeat(50)).is_ok());
        assert!(correlation_id(&"x".repeat(51)).is_err());
        assert!(correlation_id("").is_err());
        for bad in ["a b", "a/b", "a?b", "a#b", "a%2F", "é", "a\\b"] {
            assert!(correlation_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(msisdn("m", "+18761234567").unwrap(), "18761234567");
        assert_eq!(msisdn("m", "911234567890").unwrap(), "911234567890");
        for bad in [
            "",
            "+",
            "0123456789",
            "123456",
            "1234567890123456",
            "1876 123",
            "abc1234567",
        ] {
            assert!(msisdn("m", bad).is_err(), "{bad}");
        }
        assert_eq!(subscriber_number("m", "5551234").unwrap(), "5551234");
        assert!(subscriber_number("m", "12a4").is_err());
        assert!(subscriber_number("m", "123").is_err());
    }

    #[test]
    fn others() {
        assert!(amount(Decimal::TEN).is_ok());
        for bad in [Decimal::ZERO, Decimal::NEGATIVE_ONE] {
            assert!(amount(bad).is_err(), "{bad}");
        }
        assert!(boost_pin("1234").is_ok() && boost_pin("123").is_err());
        assert!(boost_pin("1234567").is_err() && boost_pin("12a4").is_err());
        assert!(iccid("8944500102198304826").is_ok() && iccid("89-44").is_err());
        assert!(language("ar").is_ok() && language("pt-BR").is_ok());
        assert!(language("a").is_err() && language("ar;q=1").is_err());
        assert!(id("sku_id", 0).is_err() && id("sku_id", 1).is_ok());
        assert!(text("account_number", " ", 10).is_err());
        assert!(text("account_number", "12", 10).is_ok());
    }
}

//! The PIN of a PIN-based transaction: a secret that must not leak into logs.

use serde::{Deserialize, Serialize};

/// The PIN delivered by a PIN-based transaction (vouchers, gift cards...).
///
/// The code is the value itself: whoever reads it can redeem it. `Debug`
/// never shows it; read it with [`Pin::code`] only where it is handed to
/// the beneficiary.
///
/// ```
/// let pin: dvs::Pin = serde_json::from_str(r#"{"code":"1234-5678","serial":"SN-1"}"#).unwrap();
/// assert_eq!(pin.code(), Some("1234-5678"));
/// assert!(!format!("{pin:?}").contains("1234"));
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Pin {
    #[serde(default)]
    code: Option<String>,
    /// The PIN's serial number (not secret).
    #[serde(default)]
    pub serial: Option<String>,
}

impl Pin {
    /// A PIN with a code and a serial.
    pub fn new(code: Option<String>, serial: Option<String>) -> Self {
        Self { code, serial }
    }

    /// The secret code.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }
}

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pin")
            .field("code", &self.code.as_ref().map(|_| "[redacted]"))
            .field("serial", &self.serial)
            .finish()
    }
}

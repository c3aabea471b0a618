//! The `responseCode` of every ValueTopup envelope.

use crate::open_enum::open_enum;

open_enum! {
    /// The `responseCode` of a ValueTopup envelope, open to codes this crate
    /// does not know (kept as sent, leading zeros included).
    ///
    /// The reference names two codes: `"000"` (success) and `"852"` (the
    /// transaction is still in progress: ask its status again later). Every
    /// other code is a failure; [`Client::response_codes`](super::Client::response_codes)
    /// lists them with their meaning (`GET /catalog/errors`).
    ///
    /// ```
    /// use dvs::valuetopup::ResponseCode;
    ///
    /// assert_eq!(ResponseCode::from("000"), ResponseCode::Success);
    /// assert!(ResponseCode::from("852").is_in_progress());
    /// let other = ResponseCode::from("017");
    /// assert!(matches!(&other, ResponseCode::Unknown(v) if v.as_str() == "017"));
    /// assert!(other.is_failure());
    /// assert_eq!(other.as_str(), "017");
    /// ```
    pub enum ResponseCode {
        /// `"000"`: success.
        Success = "000",
        /// `"852"`: in progress; the final outcome comes from the status call
        /// (`GET /transaction/status/{correlationId}`).
        InProgress = "852",
    }
}

impl ResponseCode {
    /// `"000"`.
    pub fn is_success(&self) -> bool {
        *self == Self::Success
    }

    /// `"852"`.
    pub fn is_in_progress(&self) -> bool {
        *self == Self::InProgress
    }

    /// Any code but `"000"` and `"852"`: the call (or the purchase) failed.
    pub fn is_failure(&self) -> bool {
        !self.is_success() && !self.is_in_progress()
    }
}

/// One entry of the response code list (`GET /catalog/errors`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseCodeInfo {
    /// The code.
    pub code: ResponseCode,
    /// What it means, as the vendor words it.
    pub description: String,
}

//! Prepay Nation ValueTopup API v2 (feature `valuetopup`): airtime (RTR),
//! PINs, bill payments, gift cards, SIMs and eSIMs, through the same
//! spec-to-client pipeline as DVS.
//!
//! [`Client`] is the facade: every operation of the spec as a typed method,
//! the `{responseCode, responseMessage, payLoad}` envelope unwrapped into
//! `Result` ([`ResponseCode`]: `"000"` success, `"852"` in progress, any
//! other code an [`Error::ValueTopup`](crate::Error::ValueTopup)), purchases
//! keyed by `correlationId` and resolved by status polling instead of being
//! sent twice ([`PurchaseOutcome`]), a typed view of what a purchase
//! delivered ([`Delivery`]), gift card SKUs as a cursor-driven stream
//! ([`GiftCardSkus`]) and the wallet balance with its sign made explicit
//! ([`Balance`]). [`raw`] is the generated client underneath.
//!
//! ```no_run
//! use dvs::valuetopup::{self, Balance, Category, Client, PurchaseOutcome, TopUp};
//!
//! # async fn run() -> Result<(), dvs::Error> {
//! let client = Client::builder()
//!     .base_url(valuetopup::SANDBOX)
//!     .credentials(valuetopup::credentials_from_env().expect("VALUETOPUP_USERNAME/PASSWORD"))
//!     .build()?;
//! if let Balance::Prepaid { available } = client.balance().await? {
//!     println!("{available} available");
//! }
//! let products = client
//!     .products(|q| q.country_code("JM").category_id(Category::Rtr))
//!     .await?;
//! println!("{} top-up products in Jamaica", products.len());
//! let outcome = client
//!     .top_up(&TopUp::new(3101, dvs::Decimal::TEN, "18761234567").correlation_id("order-42"))
//!     .await?;
//! if let PurchaseOutcome::Pending { correlation_id, .. } = &outcome {
//!     println!("{correlation_id} still in progress; ask again later");
//! }
//! # Ok(())
//! # }
//! ```

mod balance;
mod client;
mod code;
mod config;
mod envelope;
mod filters;
mod gift_cards;
mod purchase;
mod result;
mod validate;

pub use balance::Balance;
pub use client::Client;
pub use code::{ResponseCode, ResponseCodeInfo};
pub use config::{credentials_from_env, ClientBuilder, StatusPolling, PRODUCTION, SANDBOX};
pub use filters::Category;
pub use gift_cards::{GiftCardSkus, SkuPage};
pub use purchase::{
    new_correlation_id, BillPayment, EsimOrder, GiftCardOrder, Order, PinPurchase, TopUp,
};
pub use result::{
    BillPaymentDetails, DeliveredPin, Delivery, EsimDetails, GiftCard, Purchase, PurchaseOutcome,
    Secret, SimDetails, TopUpDetails,
};

// The generated code comes from `openapi/valuetopup-2.json` (see `build.rs`).
crate::raw::raw_module!(
    include "valuetopup_v2.rs",
    "Prepay Nation ValueTopup API v2",
    "Every response is the `{responseCode, responseMessage, payLoad}` envelope; error \
     statuses decode as the operation's envelope too. Response types accept values outside \
     documented lengths and ranges; an error status whose body is not the envelope (a proxy's \
     page, an empty body) decodes as an envelope whose `responseCode` is `HTTP<status>`.",
    crate::transport::envelope_error_body
);

//! The DVS 1.21.0 client.

use super::generated as g;
use super::{Product, Transaction};
use crate::client::{id32, positive};
use crate::convert::{self, localized};
use crate::{
    validate, Error, ErrorCode, Item, Localized, Mode, NewTransaction, Outcome, Paginator,
};
use g::{list_ops, types};

/// A credit party to look up: a mobile number or an account number.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CreditParty {
    /// A mobile number (E.164).
    MobileNumber(String),
    /// An account number, with its qualifier when the product needs one.
    AccountNumber {
        /// The account number.
        number: String,
        /// Its qualifier.
        qualifier: Option<String>,
    },
}

/// A credit party's identifier fields: mobile number, account number, qualifier.
type PartyFields = (
    Option<types::E164>,
    Option<types::AccountNumber>,
    Option<types::NonEmptyString>,
);

impl CreditParty {
    /// The identifier's fields, checked.
    fn fields(&self) -> Result<PartyFields, Error> {
        Ok(match self {
            Self::MobileNumber(n) => {
                validate::mobile_number("credit_party_identifier.mobile_number", n)?;
                (Some(types::E164(n.clone())), None, None)
            }
            Self::AccountNumber { number, qualifier } => {
                if number.trim().is_empty() || number.chars().count() > 90 {
                    return Err(Error::invalid(
                        "credit_party_identifier.account_number",
                        "must be 1 to 90 characters, not blank",
                    ));
                }
                let qualifier = qualifier.clone().map(types::NonEmptyString);
                (None, Some(types::AccountNumber(number.clone())), qualifier)
            }
        })
    }
}

/// What only DVS 1.21.0 has; the methods every version has are on
/// [`crate::Client`], and each list of the spec is a method generated from it
/// (`products`, `operators`, `transactions`...).
///
/// ```no_run
/// use dvs::{v1_21, Credentials, Environment, Mode, NewTransaction};
/// # async fn run() -> Result<(), dvs::Error> {
/// let client = v1_21::Client::builder()
///     .environment(Environment::Sandbox)
///     .credentials(Credentials::new("key", "secret"))
///     .build()?;
/// let (products, _malformed) = client.products(|q| q.country_iso_code("GTM")).collect_split().await?;
/// let tx = NewTransaction::new("order-1042", products[0].id())
///     .credit_party_mobile_number("+50212345100")
///     .auto_confirm(true);
/// let created = client.create_transaction(&tx, Mode::Async).await?;
/// let done = client
///     .await_final(created.transaction_id().unwrap(), std::time::Duration::from_secs(120))
///     .await?;
/// println!("{}", done.status_class());
/// # Ok(())
/// # }
/// ```
impl crate::Client<g::Client> {
    /// One promotion, optionally localized (`Accept-Language`).
    pub async fn promotion(
        &self,
        id: i64,
        language: Option<&str>,
    ) -> Result<Localized<types::Promotion>, Error> {
        let req = self.raw.get_promotion_by_id();
        let req = req.promotion_id(id32("promotion_id", id)?);
        let req = language.into_iter().fold(req, |r, l| r.accept_language(l));
        localized(req.send().await)
    }

    /// One campaign.
    pub async fn campaign(&self, id: i64) -> Result<types::Campaign, Error> {
        let id = id32("campaign_id", id)?;
        convert::value(self.raw.get_campaign_by_id().campaign_id(id).send().await)
    }

    /// One product, optionally localized (`Accept-Language`).
    pub async fn product(
        &self,
        id: i64,
        language: Option<&str>,
    ) -> Result<Localized<Product>, Error> {
        let req = self.raw.get_product_by_id();
        let req = req.product_id(id32("product_id", id)?);
        let req = language.into_iter().fold(req, |r, l| r.accept_language(l));
        localized(req.send().await)
    }

    // ----- transactions ----------------------------------------------------

    /// Creates a transaction, exactly once, even when this future is dropped.
    ///
    /// `external_id` is the idempotency key: store it with your order
    /// **before** calling. When the outcome is unknown (timeout, connection
    /// lost after sending, 5xx) or DVS answers 1007001, the transaction is
    /// looked up by `external_id` and returned if it is the same order; a
    /// second create is sent only when the look-up proves none exists.
    ///
    /// Cancellation-safe: the request and its recovery run in a task of the
    /// client, so dropping this future (a timeout, `select!`) does not stop a
    /// create that may already be funded. To learn what became of it (after
    /// a dropped future, a crash, or an error whose outcome is unknown, see
    /// [`Error::outcome_unknown`]), call `create_transaction` again with the
    /// same [`NewTransaction`]: it returns the transaction that exists
    /// (without a second create on the wire when this client already holds
    /// it) or creates it if none exists. Never retry under a new
    /// `external_id`.
    ///
    /// The same `external_id` for a different order (another product,
    /// credit party, amount...) is [`Error::ExternalIdAlreadyUsed`], which
    /// carries the existing transaction. Needs a Tokio runtime.
    pub async fn create_transaction(
        &self,
        tx: &NewTransaction,
        mode: Mode,
    ) -> Result<Transaction, Error> {
        tx.validate()?;
        // Only the asynchronous create takes a callback URL in 1.21.0.
        let body: types::TransactionRequest = tx.to_request(mode == Mode::Async)?;
        let outcome = Outcome::unknown_create(tx.external_id());
        self.create_with(tx, move |raw| {
            let (body, outcome) = (body.clone(), outcome.clone());
            async move {
                let r = match mode {
                    Mode::Async => raw.post_transaction_async().body(body).send().await,
                    Mode::Sync => raw.post_transaction_sync().body(body).send().await,
                };
                Ok(convert::result(r, outcome)?.into_inner())
            }
        })
        .await
    }

    /// Confirms a created transaction (within 60 minutes of creation). A lost
    /// response is recovered by reading the transaction back; a duplicate
    /// confirm (1007002) returns the transaction as it is.
    ///
    /// Cancellation-safe: the request and its recovery run in a task of the
    /// client even if this future is dropped. If the outcome stays unknown,
    /// the error's [`Outcome::Unknown`] carries the transaction id: read it
    /// back with [`crate::Client::transaction`] before confirming again.
    pub async fn confirm_transaction(&self, id: i64, mode: Mode) -> Result<Transaction, Error> {
        self.act_with(id, ErrorCode::AlreadyConfirmed, move |raw| async move {
            let r = match mode {
                Mode::Async => {
                    raw.post_transaction_confirm_async()
                        .transaction_id(id)
                        .send()
                        .await
                }
                Mode::Sync => {
                    raw.post_transaction_confirm_sync()
                        .transaction_id(id)
                        .send()
                        .await
                }
            };
            Ok(convert::result(r, Outcome::unknown_action(id))?.into_inner())
        })
        .await
    }

    // ----- look-ups --------------------------------------------------------

    /// Operators a mobile number may belong to (`POST /lookup/mobile-number`).
    ///
    /// DVS also keeps a deprecated form with the number in the path,
    /// `GET /lookup/mobile-number/{mobile_number}`; it answers the same. The
    /// facade does not use it; it is there for code ported from clients that
    /// call it, as `get_lookup_mobile_number` on [`crate::Client::raw`].
    pub fn lookup_mobile_number(
        &self,
        mobile_number: &str,
    ) -> Result<Paginator<Item<types::MobileNumberOperator>>, Error> {
        validate::mobile_number("mobile_number", mobile_number)?;
        let number = types::E164(mobile_number.to_string());
        Ok(list_ops::PostLookupMobileNumber::paginate(
            self.raw.clone(),
            move |q| q.body_map(|b| b.mobile_number(number.clone())),
        ))
    }

    /// Statements of an account, for a bill payment product.
    pub fn statement_inquiry(
        &self,
        product_id: i64,
        account_number: &str,
        account_qualifier: Option<&str>,
    ) -> Result<Paginator<Item<types::Statement>>, Error> {
        let product_id = id32("product_id", product_id)?;
        let (_, number, qualifier) = CreditParty::AccountNumber {
            number: account_number.to_string(),
            qualifier: account_qualifier.map(str::to_string),
        }
        .fields()?;
        let body = types::builder::StatementInquiryRequest::default()
            .product_id(product_id)
            .account_qualifier(qualifier);
        let body = number.into_iter().fold(body, |b, n| b.account_number(n));
        Ok(list_ops::PostLookupStatementInquiry::paginate(
            self.raw.clone(),
            move |q| q.body(body.clone()),
        ))
    }

    /// Benefits a credit party has left, for a service.
    pub fn credit_party_benefits(
        &self,
        service_id: i64,
        party: &CreditParty,
    ) -> Result<Paginator<Item<types::CreditPartyBenefit>>, Error> {
        let (mobile_number, account_number, account_qualifier) = party.fields()?;
        let body = types::builder::CreditPartyBenefitsRequest::default()
            .service_id(positive("service_id", service_id)?)
            .credit_party_identifier(types::CreditPartyBenefitsRequestCreditPartyIdentifier {
                mobile_number,
                account_number,
                account_qualifier,
            });
        Ok(list_ops::PostLookupCreditPartyBenefits::paginate(
            self.raw.clone(),
            move |q| q.body(body.clone()),
        ))
    }

    /// The status of a credit party's subscription, for a service.
    pub async fn credit_party_status(
        &self,
        service_id: i64,
        party: &CreditParty,
    ) -> Result<types::CreditPartyStatus, Error> {
        let service_id = positive("service_id", service_id)?;
        let (mobile_number, account_number, account_qualifier) = party.fields()?;
        let identifier = types::CreditPartyStatusRequestCreditPartyIdentifier {
            mobile_number,
            account_number,
            account_qualifier,
        };
        let req = self
            .raw
            .post_lookup_credit_party_status()
            .body_map(|b| b.service_id(service_id).credit_party_identifier(identifier));
        convert::value(req.send().await)
    }
}

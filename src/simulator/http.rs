//! The HTTP side: a hyper server on 127.0.0.1, the 26 operations under
//! `/v1`, paging headers, authentication, rate limiting and faults.

use super::catalog::ProductType;
use super::catalog::{self, Catalog, ServiceDef, BENEFIT_TYPES, COUNTRIES, SERVICES};
use super::clock::{scaled, until};
use super::state::{stopped, Shared};
use super::transactions::{is_e164, CreateRequest, PartyReq};
use super::ApiError;
use crate::{ErrorCode, StatusClass};
use base64::Engine as _;
use bytes::Bytes;
use chrono::{DateTime, TimeDelta, Utc};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderMap, HeaderValue};
use hyper::{Method, Request, Response};
use hyper_util::rt::TokioIo;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// Largest request body accepted.
const MAX_BODY: usize = 1 << 20;

/// Accepts connections until shutdown.
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let stop = stopped(shared.shutdown.subscribe());
    tokio::pin!(stop);
    loop {
        let accepted = tokio::select! {
            r = listener.accept() => r,
            _ = &mut stop => return,
        };
        match accepted {
            Ok((stream, _)) => {
                let _ = stream.set_nodelay(true);
                tokio::spawn(connection(stream, Arc::clone(&shared)));
            }
            // Out of file descriptors and the like: back off briefly.
            Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

/// Serves one connection. A handler that must drop the connection without
/// answering (the "drop after recording" fault) notifies `abort`; the
/// connection future is then dropped, which closes the socket with no
/// response written.
async fn connection(stream: TcpStream, shared: Arc<Shared>) {
    let abort = Arc::new(Notify::new());
    let service = {
        let shared = Arc::clone(&shared);
        let abort = Arc::clone(&abort);
        hyper::service::service_fn(move |req| handle(Arc::clone(&shared), Arc::clone(&abort), req))
    };
    // Header names go out as the reference documents them (`X-Total-Pages`,
    // `X-Ratelimit-Limit`, `Content-Type`): every documented name is in
    // title case, and some clients match header names case-sensitively.
    // Without this, hyper writes them in lower case.
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .title_case_headers(true)
        .serve_connection(TokioIo::new(stream), service);
    let stop = stopped(shared.shutdown.subscribe());
    tokio::select! {
        _ = conn => {}
        _ = abort.notified() => {}
        _ = stop => {}
    }
}

/// A response before encoding.
pub(crate) struct Reply {
    status: u16,
    body: Value,
    /// The body's text when it was rendered ahead (then `body` is unused).
    text: Option<Vec<u8>>,
    headers: Vec<(&'static str, String)>,
}

impl Reply {
    fn ok(status: u16, body: Value) -> Self {
        Self {
            status,
            body,
            text: None,
            headers: Vec::new(),
        }
    }

    fn error(e: ApiError) -> Self {
        Self::ok(e.status(), e.body())
    }

    fn header(mut self, name: &'static str, value: impl ToString) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }

    fn into_response(self) -> Response<Full<Bytes>> {
        let body = match self.text {
            Some(text) => text,
            None => serde_json::to_vec(&self.body).unwrap_or_default(),
        };
        let mut resp = Response::new(Full::new(Bytes::from(body)));
        *resp.status_mut() = hyper::StatusCode::from_u16(self.status)
            .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
        let headers = resp.headers_mut();
        headers.insert(
            hyper::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        for (name, value) in self.headers {
            if let Ok(v) = HeaderValue::from_str(&value) {
                headers.insert(name, v);
            }
        }
        resp
    }
}

impl From<Result<Reply, ApiError>> for Reply {
    fn from(r: Result<Reply, ApiError>) -> Self {
        r.unwrap_or_else(Reply::error)
    }
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::BadRequest, message)
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(hyper::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(rest.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}

async fn handle(
    shared: Arc<Shared>,
    abort: Arc<Notify>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let knobs = shared.knobs();
    if !knobs.latency.is_zero() {
        tokio::time::sleep(knobs.latency).await;
    }
    let (parts, body) = req.into_parts();
    let credentials = basic_credentials(&parts.headers);
    let rate = shared.rate_check(credentials.as_ref().map_or("", |(u, _)| u.as_str()));
    let authorized = credentials.as_ref().is_some_and(|(u, p)| {
        if shared.any_credentials {
            !u.is_empty() && !p.is_empty()
        } else {
            *u == shared.key && *p == shared.secret
        }
    });
    let reply = if !rate.allowed {
        Reply::error(ApiError::code(ErrorCode::TooManyRequests))
            .header("Retry-After", rate.retry_after_s)
    } else if !authorized {
        Reply::error(ApiError::code(ErrorCode::Unauthorized))
            .header("WWW-Authenticate", "Basic realm=\"DVS\"")
    } else if shared.roll_unavailable() {
        Reply::error(ApiError::code(ErrorCode::ServiceUnavailable)).header("Retry-After", 1)
    } else {
        let body = match Limited::new(body, MAX_BODY).collect().await {
            Ok(b) => Ok(b.to_bytes()),
            Err(_) => Err(bad("Request body unreadable or larger than 1 MiB")),
        };
        match body {
            Ok(body) => {
                let query = Query::parse(parts.uri.query().unwrap_or(""));
                route(
                    &shared,
                    &abort,
                    &parts.method,
                    parts.uri.path(),
                    &query,
                    body,
                )
                .await
            }
            Err(e) => Reply::error(e),
        }
    };
    let reply = reply
        .header("X-Ratelimit-Limit", rate.limit)
        .header("X-Ratelimit-Remaining", rate.remaining);
    Ok(reply.into_response())
}

/// The operations, by path shape.
enum Route<'a> {
    Services,
    Service(&'a str),
    Countries,
    Country(&'a str),
    Operators,
    Operator(&'a str),
    BenefitTypes,
    Promotions,
    Promotion(&'a str),
    Campaigns,
    Campaign(&'a str),
    Products,
    Product(&'a str),
    Create {
        sync: bool,
    },
    Transactions,
    Transaction(&'a str),
    Confirm {
        id: &'a str,
        sync: bool,
    },
    Cancel(&'a str),
    Balances,
    LookupMobile,
    /// The deprecated GET form, with the number as the last path segment.
    LookupMobileInPath(&'a str),
    LookupStatement,
    LookupBenefits,
    LookupStatus,
}

impl<'a> Route<'a> {
    fn find(segs: &[&'a str]) -> Option<(Self, Method)> {
        use Route::*;
        let get = Method::GET;
        let post = Method::POST;
        Some(match segs {
            ["services"] => (Services, get),
            ["services", id] => (Service(id), get),
            ["countries"] => (Countries, get),
            ["countries", iso] => (Country(iso), get),
            ["operators"] => (Operators, get),
            ["operators", id] => (Operator(id), get),
            ["benefit-types"] => (BenefitTypes, get),
            ["promotions"] => (Promotions, get),
            ["promotions", id] => (Promotion(id), get),
            ["campaigns"] => (Campaigns, get),
            ["campaigns", id] => (Campaign(id), get),
            ["products"] => (Products, get),
            ["products", id] => (Product(id), get),
            ["async", "transactions"] => (Create { sync: false }, post),
            ["sync", "transactions"] => (Create { sync: true }, post),
            ["transactions"] => (Transactions, get),
            ["transactions", id] => (Transaction(id), get),
            ["async", "transactions", id, "confirm"] => (Confirm { id, sync: false }, post),
            ["sync", "transactions", id, "confirm"] => (Confirm { id, sync: true }, post),
            ["transactions", id, "cancel"] => (Cancel(id), post),
            ["balances"] => (Balances, get),
            ["lookup", "mobile-number"] => (LookupMobile, post),
            ["lookup", "mobile-number", number] => (LookupMobileInPath(number), get),
            ["lookup", "statement-inquiry"] => (LookupStatement, post),
            ["lookup", "credit-party-benefits"] => (LookupBenefits, post),
            ["lookup", "credit-party-status"] => (LookupStatus, post),
            _ => return None,
        })
    }
}

async fn route(
    shared: &Arc<Shared>,
    abort: &Notify,
    method: &Method,
    path: &str,
    q: &Query,
    body: Bytes,
) -> Reply {
    let rest = match path.strip_prefix("/v1") {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => rest,
        _ => return Reply::error(ApiError::code(ErrorCode::NotFound)),
    };
    let segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let Some((route, expected)) = Route::find(&segs) else {
        return Reply::error(ApiError::code(ErrorCode::NotFound));
    };
    if *method != expected {
        return Reply::error(ApiError::new(
            ErrorCode::BadRequest,
            format!("Method {method} is not allowed here"),
        ))
        .header("Allow", expected.as_str());
    }
    let cat = &shared.catalog;
    let result: Result<Reply, ApiError> = match route {
        Route::Services => services(cat, q),
        Route::Service(id) => path_id(id).and_then(|id| {
            catalog::service(id)
                .map(|s| Reply::ok(200, Catalog::service_json(s)))
                .ok_or(ApiError::code(ErrorCode::ServiceNotFound))
        }),
        Route::Countries => countries(cat, q),
        Route::Country(iso) => country(cat, iso),
        Route::Operators => operators(cat, q),
        Route::Operator(id) => path_id(id).and_then(|id| {
            cat.operator(id)
                .map(|i| Reply::ok(200, cat.operator_json(i)))
                .ok_or(ApiError::code(ErrorCode::OperatorNotFound))
        }),
        Route::BenefitTypes => q.paging().map(|paging| {
            let items: Vec<Value> = BENEFIT_TYPES.iter().map(|b| json!({"name": b})).collect();
            paged(items, paging, |v| v)
        }),
        Route::Promotions => promotions(cat, q),
        Route::Promotion(id) => path_id(id).and_then(|id| {
            cat.promotions
                .iter()
                .position(|p| p.id == id)
                .map(|i| Reply::ok(200, cat.promotion_json(i)).header("Content-Language", "en"))
                .ok_or(ApiError::code(ErrorCode::PromotionNotFound))
        }),
        Route::Campaigns => campaigns(cat, q),
        Route::Campaign(id) => path_id(id).and_then(|id| {
            cat.campaigns
                .iter()
                .position(|c| c.id == id)
                .map(|i| Reply::ok(200, cat.campaign_json(i)))
                .ok_or(ApiError::code(ErrorCode::CampaignNotFound))
        }),
        Route::Products => products(cat, q),
        Route::Product(id) => path_id(id).and_then(|id| {
            cat.product(id)
                .map(|p| Reply::ok(200, cat.product_json(p)).header("Content-Language", "en"))
                .ok_or(ApiError::code(ErrorCode::ProductNotAvailable))
        }),
        Route::Create { sync } => return create(shared, abort, &body, sync).await,
        Route::Transactions => transactions(shared, q),
        Route::Transaction(id) => path_id(id).and_then(|id| {
            let st = shared.lock();
            shared
                .tx_index(&st, id)
                .map(|i| Reply::ok(200, st.txs[i].json(cat)))
                .ok_or(ApiError::code(ErrorCode::TransactionNotFound))
        }),
        Route::Confirm { id, sync } => match path_id(id).and_then(|id| shared.confirm(id)) {
            Ok(idx) if sync => Ok(Reply::ok(202, hold(shared, idx).await)),
            Ok(idx) => Ok(Reply::ok(202, tx_json(shared, idx))),
            Err(e) => Err(e),
        },
        Route::Cancel(id) => path_id(id)
            .and_then(|id| shared.cancel(id))
            .map(|idx| Reply::ok(202, tx_json(shared, idx))),
        Route::Balances => balances(shared, q),
        Route::LookupMobile => lookup_mobile(cat, &body),
        Route::LookupMobileInPath(number) => lookup_mobile_in_path(cat, number, q),
        Route::LookupStatement => lookup_statement(cat, &body),
        Route::LookupBenefits => lookup_benefits(shared, &body),
        Route::LookupStatus => lookup_status(shared, &body),
    };
    result.into()
}

fn tx_json(shared: &Shared, idx: usize) -> Value {
    shared.lock().txs[idx].json(&shared.catalog)
}

/// Holds a synchronous call until the transaction is final, or until the
/// (scaled) 180-second hold is over; answers with the status then.
async fn hold(shared: &Arc<Shared>, idx: usize) -> Value {
    let factor = shared.knobs().time_factor;
    let deadline = shared.clock.now() + scaled(180.0, factor);
    let mut changes = shared.changed.subscribe();
    loop {
        let now = shared.clock.now();
        {
            let st = shared.lock();
            let tx = &st.txs[idx];
            let moving = matches!(tx.class(), StatusClass::Confirmed | StatusClass::Submitted);
            if !moving || now >= deadline {
                return tx.json(&shared.catalog);
            }
        }
        let wait = until(now, deadline).min(Duration::from_millis(500));
        tokio::select! {
            _ = changes.changed() => {}
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

async fn create(shared: &Arc<Shared>, abort: &Notify, body: &[u8], sync: bool) -> Reply {
    let req: CreateRequest = match parse_body(body) {
        Ok(r) => r,
        Err(e) => return Reply::error(e),
    };
    shared.note_create(&req.external_id);
    let idx = match shared.create(&req) {
        Ok(idx) => idx,
        Err(e) => return Reply::error(e),
    };
    if shared.roll_drop() {
        // Recorded; now close the connection without answering.
        abort.notify_one();
        std::future::pending::<()>().await;
    }
    let body = if sync {
        hold(shared, idx).await
    } else {
        tx_json(shared, idx)
    };
    Reply::ok(201, body)
}

// ---- request parsing -----------------------------------------------------

fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(bad("Request body is required"));
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        if path == "." || path == "?" {
            bad(format!("Invalid request body: {}", e.inner()))
        } else {
            bad(format!("Invalid request body at {path}: {}", e.inner()))
        }
    })?;
    de.end()
        .map_err(|e| bad(format!("Invalid request body: {e}")))?;
    Ok(value)
}

fn path_id(s: &str) -> Result<i64, ApiError> {
    match s.parse::<i64>() {
        Ok(id) if id >= 1 => Ok(id),
        _ => Err(bad(format!("Invalid identifier: {s}"))),
    }
}

fn is_country_code(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase())
}

fn is_region_code(s: &str) -> bool {
    let mut parts = s.split('-');
    let head = parts.next().unwrap_or("");
    let ok_head = (2..=3).contains(&head.len()) && head.bytes().all(|b| b.is_ascii_uppercase());
    let ok_sub = match parts.next() {
        None => true,
        Some(sub) => {
            (2..=3).contains(&sub.len())
                && sub
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
                && match parts.next() {
                    None => true,
                    Some(last) => last.len() == 2 && last.bytes().all(|b| b.is_ascii_uppercase()),
                }
        }
    };
    ok_head && ok_sub && parts.next().is_none()
}

#[derive(Clone, Copy, Debug)]
struct Paging {
    page: u64,
    per_page: u64,
}

impl Paging {
    fn check(page: Option<i64>, per_page: Option<i64>) -> Result<Self, ApiError> {
        let page = page.unwrap_or(1);
        let per_page = per_page.unwrap_or(50);
        if page < 1 {
            return Err(bad("page must be at least 1"));
        }
        if !(1..=100).contains(&per_page) {
            return Err(bad("per_page must be between 1 and 100"));
        }
        Ok(Self {
            page: page as u64,
            per_page: per_page as u64,
        })
    }
}

/// Query parameters, in order.
pub(crate) struct Query(Vec<(String, String)>);

impl Query {
    fn parse(raw: &str) -> Self {
        Self(
            form_urlencoded::parse(raw.as_bytes())
                .into_owned()
                .collect(),
        )
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a list parameter (repeated or comma-separated).
    fn list(&self, name: &str) -> Option<Vec<String>> {
        let values: Vec<String> = self
            .0
            .iter()
            .filter(|(k, _)| k == name || k.strip_suffix("[]") == Some(name))
            .flat_map(|(_, v)| {
                v.split(',')
                    .map(|s| s.trim().to_string())
                    .collect::<Vec<_>>()
            })
            .collect();
        (!values.is_empty()).then_some(values)
    }

    fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        self.get(name)
            .map(|v| {
                v.trim()
                    .parse::<i64>()
                    .map_err(|_| bad(format!("{name} must be an integer")))
            })
            .transpose()
    }

    fn id(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.int(name)? {
            Some(v) if v < 1 => Err(bad(format!("{name} must be at least 1"))),
            v => Ok(v),
        }
    }

    fn country(&self, name: &str) -> Result<Option<&str>, ApiError> {
        match self.get(name) {
            Some(v) if !is_country_code(v) => {
                Err(bad(format!("{name} must be an ISO 3166 alpha-3 code")))
            }
            v => Ok(v),
        }
    }

    fn text(&self, name: &str) -> Result<Option<&str>, ApiError> {
        match self.get(name) {
            Some("") => Err(bad(format!("{name} must not be empty"))),
            v => Ok(v),
        }
    }

    fn date(&self, name: &str) -> Result<Option<DateTime<Utc>>, ApiError> {
        self.get(name)
            .map(|v| {
                DateTime::parse_from_rfc3339(v)
                    .map(|d| d.with_timezone(&Utc))
                    .map_err(|_| bad(format!("{name} must be an RFC 3339 date-time")))
            })
            .transpose()
    }

    fn product_type(&self, name: &str) -> Result<Option<ProductType>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) if ProductType::KNOWN.contains(&v) => Ok(Some(ProductType::from(v))),
            Some(v) => Err(bad(format!("{name}: unknown product type {v}"))),
        }
    }

    /// `service_id` and `subservice_id`; the latter requires the former.
    fn services(&self) -> Result<(Option<i64>, Option<i64>), ApiError> {
        let service = self.id("service_id")?;
        let sub = self.id("subservice_id")?;
        if sub.is_some() && service.is_none() {
            return Err(bad("service_id is required when subservice_id is given"));
        }
        Ok((service, sub))
    }

    fn paging(&self) -> Result<Paging, ApiError> {
        Paging::check(self.int("page")?, self.int("per_page")?)
    }
}

/// A page of `items` with the six `X-*` headers (`X-Next-Page` and
/// `X-Prev-Page` only when there is such a page).
fn paged<T>(items: Vec<T>, paging: Paging, render: impl Fn(T) -> Value) -> Reply {
    let total = items.len() as u64;
    let page_items = page_of(items, paging).map(render).collect();
    page_headers(Reply::ok(200, Value::Array(page_items)), total, paging)
}

/// [`paged`] for items whose JSON text is rendered ahead.
fn paged_text<'a, T>(items: Vec<T>, paging: Paging, render: impl Fn(T) -> &'a [u8]) -> Reply {
    let total = items.len() as u64;
    let mut text = vec![b'['];
    for (i, item) in page_of(items, paging).map(render).enumerate() {
        if i > 0 {
            text.push(b',');
        }
        text.extend_from_slice(item);
    }
    text.push(b']');
    let mut reply = Reply::ok(200, Value::Null);
    reply.text = Some(text);
    page_headers(reply, total, paging)
}

/// The items of the page asked for.
fn page_of<T>(items: Vec<T>, paging: Paging) -> impl Iterator<Item = T> {
    let start = (paging.page - 1).saturating_mul(paging.per_page);
    items
        .into_iter()
        .skip(usize::try_from(start).unwrap_or(usize::MAX))
        .take(paging.per_page as usize)
}

/// The `X-*` paging headers of a page of `total` items.
fn page_headers(reply: Reply, total: u64, paging: Paging) -> Reply {
    let total_pages = total.div_ceil(paging.per_page).max(1);
    let mut reply = reply
        .header("X-Total", total)
        .header("X-Total-Pages", total_pages)
        .header("X-Per-Page", paging.per_page)
        .header("X-Page", paging.page);
    if paging.page < total_pages {
        reply = reply.header("X-Next-Page", paging.page + 1);
    }
    if paging.page > 1 {
        reply = reply.header("X-Prev-Page", (paging.page - 1).min(total_pages));
    }
    reply
}

// ---- discovery -----------------------------------------------------------

fn services(cat: &Catalog, q: &Query) -> Result<Reply, ApiError> {
    let country = q.country("country_iso_code")?;
    let paging = q.paging()?;
    let list: Vec<&ServiceDef> = match country {
        Some(iso) => match Catalog::country_index(iso) {
            Some(c) => cat.services_with_products(Some(c)),
            None => Vec::new(),
        },
        None => SERVICES.iter().collect(),
    };
    Ok(paged(list, paging, Catalog::service_json))
}

fn countries(cat: &Catalog, q: &Query) -> Result<Reply, ApiError> {
    let (service, sub) = q.services()?;
    let paging = q.paging()?;
    let list = cat.countries_with_products(service, sub);
    Ok(paged(list, paging, |c| cat.country_json(c)))
}

fn country(cat: &Catalog, iso: &str) -> Result<Reply, ApiError> {
    if !is_country_code(iso) {
        return Err(bad("country_iso_code must be an ISO 3166 alpha-3 code"));
    }
    Catalog::country_index(iso)
        .map(|c| Reply::ok(200, cat.country_json(c)))
        .ok_or(ApiError::code(ErrorCode::CountryNotFound))
}

fn operators(cat: &Catalog, q: &Query) -> Result<Reply, ApiError> {
    let country = q.country("country_iso_code")?;
    let (service, sub) = q.services()?;
    let paging = q.paging()?;
    let list = match country.map(Catalog::country_index) {
        Some(None) => Vec::new(),
        Some(Some(c)) => cat.operators_filtered(Some(c), service, sub),
        None => cat.operators_filtered(None, service, sub),
    };
    Ok(paged(list, paging, |i| cat.operator_json(i)))
}

fn promotions(cat: &Catalog, q: &Query) -> Result<Reply, ApiError> {
    let paging = q.paging()?;
    let country = q.country("country_iso_code")?;
    let operator = q.id("operator_id")?;
    let product = q.id("product_id")?;
    let list: Vec<usize> = (0..cat.promotions.len())
        .filter(|&i| {
            let pr = &cat.promotions[i];
            let op = &cat.operators[pr.operator];
            country.is_none_or(|c| COUNTRIES[op.country].iso3 == c)
                && operator.is_none_or(|o| op.id == o)
                && product.is_none_or(|id| pr.products.iter().any(|&p| cat.products[p].id == id))
        })
        .collect();
    Ok(paged(list, paging, |i| cat.promotion_json(i)).header("Content-Language", "en"))
}

fn campaigns(cat: &Catalog, q: &Query) -> Result<Reply, ApiError> {
    let paging = q.paging()?;
    let country = q.country("country_iso_code")?;
    let operator = q.id("operator_id")?;
    let product = q.id("product_id")?;
    let list: Vec<usize> = (0..cat.campaigns.len())
        .filter(|&i| {
            cat.campaigns[i].products.iter().any(|&p| {
                let prod = &cat.products[p];
                let op = &cat.operators[prod.operator];
                country.is_none_or(|c| COUNTRIES[op.country].iso3 == c)
                    && operator.is_none_or(|o| op.id == o)
                    && product.is_none_or(|id| prod.id == id)
            })
        })
        .collect();
    Ok(paged(list, paging, |i| cat.campaign_json(i)))
}

fn products(cat: &Catalog, q: &Query) -> Result<Reply, ApiError> {
    let kind = q.product_type("type")?;
    let (service, sub) = q.services()?;
    let tags = q.list("tags");
    if let Some(tags) = &tags {
        if tags.iter().any(|t| t.is_empty()) {
            return Err(bad("tags must not be empty"));
        }
    }
    let country = q.country("country_iso_code")?;
    let operator = q.id("operator_id")?;
    let region = match q.get("region") {
        Some(r) if !is_region_code(r) => return Err(bad("region must be an ISO 3166 code")),
        r => r,
    };
    let benefits = q.list("benefit_types");
    if let Some(list) = &benefits {
        if let Some(b) = list.iter().find(|b| !BENEFIT_TYPES.contains(&b.as_str())) {
            return Err(bad(format!("benefit_types: unknown benefit type {b}")));
        }
    }
    let paging = q.paging()?;
    let country_idx = country.map(Catalog::country_index);
    let list: Vec<&catalog::ProductDef> = cat
        .products
        .iter()
        .filter(|p| {
            let op = &cat.operators[p.operator];
            kind.as_ref().is_none_or(|k| p.kind == *k)
                && service.is_none_or(|s| op.kind.service_id() == s)
                && sub.is_none_or(|s| p.subservice == Some(s))
                && tags
                    .as_ref()
                    .is_none_or(|ts| p.tag.is_some_and(|t| ts.iter().any(|x| x == t)))
                && country_idx.is_none_or(|c| c == Some(op.country))
                && operator.is_none_or(|o| op.id == o)
                && region.is_none_or(|r| cat.covers(p, r))
                && benefits
                    .as_ref()
                    .is_none_or(|bs| p.benefits.iter().any(|b| bs.iter().any(|x| x == b.kind)))
        })
        .collect();
    Ok(paged_text(list, paging, |p| cat.product_text(p)).header("Content-Language", "en"))
}

// ---- transactions ---------------------------------------------------------

fn transactions(shared: &Shared, q: &Query) -> Result<Reply, ApiError> {
    let cat = &shared.catalog;
    let external = q.text("external_id")?;
    let kind = q.product_type("product_type")?;
    let (service, sub) = q.services()?;
    let country = q.country("country_iso_code")?;
    let operator = q.id("operator_id")?;
    let status_id = q.int("status_id")?;
    let mobile = match q.get("credit_party_mobile_number") {
        Some(m) if !is_e164(m) => {
            return Err(bad("credit_party_mobile_number must be an E.164 number"))
        }
        m => m,
    };
    let account = match q.get("credit_party_account_number") {
        Some(a) if a.is_empty() || a.chars().count() > 90 => {
            return Err(bad(
                "credit_party_account_number must be 1 to 90 characters",
            ))
        }
        a => a,
    };
    let from = q.date("from_date")?;
    let to = q.date("to_date")?;
    let paging = q.paging()?;
    let day = TimeDelta::hours(24);
    let window = match (from, to) {
        (Some(f), Some(t)) => {
            if t < f {
                return Err(bad("to_date must not be before from_date"));
            }
            if t - f > day {
                return Err(bad(
                    "The window between from_date and to_date must not exceed 24 hours",
                ));
            }
            Some((f, t))
        }
        (Some(f), None) => Some((f, f + day)),
        (None, Some(t)) => Some((t - day, t)),
        (None, None) if external.is_some() => None,
        (None, None) => {
            let now = shared.clock.now();
            Some((now - day, now))
        }
    };
    let st = shared.lock();
    let list: Vec<&super::transactions::Tx> = st
        .txs
        .iter()
        .rev()
        .filter(|tx| {
            let p = &cat.products[tx.product];
            let op = &cat.operators[p.operator];
            let party = &tx.credit_party;
            external.is_none_or(|e| tx.external_id == e)
                && kind.as_ref().is_none_or(|k| p.kind == *k)
                && service.is_none_or(|s| op.kind.service_id() == s)
                && sub.is_none_or(|s| p.subservice == Some(s))
                && country.is_none_or(|c| COUNTRIES[op.country].iso3 == c)
                && operator.is_none_or(|o| op.id == o)
                && status_id.is_none_or(|s| tx.status_id() == s || tx.class().id() == s)
                && mobile
                    .is_none_or(|m| party.get("mobile_number").and_then(Value::as_str) == Some(m))
                && account
                    .is_none_or(|a| party.get("account_number").and_then(Value::as_str) == Some(a))
                && window.is_none_or(|(f, t)| tx.created >= f && tx.created <= t)
        })
        .collect();
    Ok(paged(list, paging, |tx| tx.json(cat)))
}

fn balances(shared: &Shared, q: &Query) -> Result<Reply, ApiError> {
    let unit_type = q.get("unit_type");
    if unit_type.is_some_and(|u| u != "CURRENCY") {
        return Err(bad("unit_type must be CURRENCY"));
    }
    let unit = q.text("unit")?;
    let paging = q.paging()?;
    let ledger = shared.lock().ledger.clone();
    let list: Vec<Value> = [ledger]
        .into_iter()
        .filter(|l| unit.is_none_or(|u| l.unit == u))
        .map(|l| l.json())
        .collect();
    Ok(paged(list, paging, |v| v))
}

// ---- look-ups --------------------------------------------------------------

fn body_paging(page: Option<i64>, per_page: Option<i64>) -> Result<Paging, ApiError> {
    Paging::check(page, per_page)
}

/// A stable hash of a string (FNV-1a), for deterministic look-up answers.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

#[derive(Deserialize)]
struct MobileLookup {
    mobile_number: String,
    page: Option<i64>,
    per_page: Option<i64>,
}

fn lookup_mobile(cat: &Catalog, body: &[u8]) -> Result<Reply, ApiError> {
    let req: MobileLookup = parse_body(body)?;
    check_mobile_number(&req.mobile_number)?;
    let paging = body_paging(req.page, req.per_page)?;
    Ok(mobile_operators(cat, &req.mobile_number, paging))
}

/// `GET /lookup/mobile-number/{mobile_number}` (deprecated by DVS): the POST
/// look-up with the number in the path and paging in the query. The segment
/// is percent-decoded, so `+` and `%2B` both lead the number.
fn lookup_mobile_in_path(cat: &Catalog, segment: &str, q: &Query) -> Result<Reply, ApiError> {
    let number = percent_decode(segment).unwrap_or_default();
    check_mobile_number(&number)?;
    let paging = q.paging()?;
    Ok(mobile_operators(cat, &number, paging))
}

fn check_mobile_number(number: &str) -> Result<(), ApiError> {
    if is_e164(number) {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorCode::InvalidCreditPartyMobileNumber,
            "Mobile number is invalid",
        ))
    }
}

/// Decodes `%XX` escapes of a path segment (`+` stays a plus sign); `None`
/// for a malformed escape or bytes that are not UTF-8.
fn percent_decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The mobile operators of a number's country, one of them `identified`
/// (chosen by a hash of the number), as a page.
fn mobile_operators(cat: &Catalog, number: &str, paging: Paging) -> Reply {
    let ops = Catalog::country_of_number(number)
        .map(|c| cat.mobile_operators(c))
        .unwrap_or_default();
    let identified = if ops.is_empty() {
        0
    } else {
        (fnv(number) % ops.len() as u64) as usize
    };
    let items: Vec<(usize, bool)> = ops
        .iter()
        .enumerate()
        .map(|(i, &op)| (op, i == identified))
        .collect();
    paged(items, paging, |(op, identified)| {
        let mut v = cat.operator_json(op);
        v["identified"] = json!(identified);
        v
    })
}

#[derive(Deserialize)]
struct StatementLookup {
    product_id: i64,
    account_number: String,
    account_qualifier: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

fn lookup_statement(cat: &Catalog, body: &[u8]) -> Result<Reply, ApiError> {
    let req: StatementLookup = parse_body(body)?;
    if req.product_id < 1 {
        return Err(bad("product_id must be at least 1"));
    }
    if req.account_number.trim().is_empty() || req.account_number.chars().count() > 90 {
        return Err(bad("account_number must be 1 to 90 characters"));
    }
    if req
        .account_qualifier
        .as_deref()
        .is_some_and(|q| q.trim().is_empty())
    {
        return Err(bad("account_qualifier must not be blank"));
    }
    let paging = body_paging(req.page, req.per_page)?;
    let p = cat
        .product(req.product_id)
        .ok_or(ApiError::code(ErrorCode::ProductNotAvailable))?;
    let supports =
        p.kind == ProductType::RangedValuePayment && cat.operators[p.operator].supports_inquiry;
    if !supports {
        return Err(ApiError::code(ErrorCode::MethodNotSupported));
    }
    let h = fnv(&req.account_number);
    let (min, max) = match p.dest {
        catalog::Amt::Range { min, max, .. } => (min, max),
        catalog::Amt::Fixed(x) => (x, x),
    };
    // Somewhere in the first fifth of the range, from the account number.
    let amount = catalog::round2(min + (max - min) * catalog::dm((h % 1000) as i64 * 2, 4));
    let today = Utc::now().date_naive();
    let statement = json!({
        "reference": format!("STMT-{}", h % 1_000_000),
        "dates": {
            "due": (today + chrono::Days::new(10 + h % 10)).to_string(),
            "statement": (today - chrono::Days::new(20)).to_string(),
        },
        "balance": {"unit_type": "CURRENCY", "unit": p.dest_unit, "amount": amount},
    });
    Ok(paged(vec![statement], paging, |v| v))
}

#[derive(Deserialize)]
struct CreditPartyLookup {
    service_id: i64,
    credit_party_identifier: PartyReq,
    page: Option<i64>,
    per_page: Option<i64>,
}

/// Validates a credit-party look-up; returns the number's country, if any.
fn credit_party_country(req: &CreditPartyLookup) -> Result<Option<usize>, ApiError> {
    if req.service_id < 1 {
        return Err(bad("service_id must be at least 1"));
    }
    catalog::service(req.service_id).ok_or(ApiError::code(ErrorCode::ServiceNotFound))?;
    let party = &req.credit_party_identifier;
    if party.mobile_number.is_none()
        && party.account_number.is_none()
        && party.account_qualifier.is_none()
    {
        return Err(bad("credit_party_identifier must have at least one field"));
    }
    if let Some(m) = &party.mobile_number {
        if !is_e164(m) {
            return Err(ApiError::code(ErrorCode::InvalidCreditPartyMobileNumber));
        }
        return Ok(Catalog::country_of_number(m));
    }
    Ok(None)
}

fn lookup_benefits(shared: &Shared, body: &[u8]) -> Result<Reply, ApiError> {
    let req: CreditPartyLookup = parse_body(body)?;
    let country = credit_party_country(&req)?;
    let paging = body_paging(req.page, req.per_page)?;
    let cat = &shared.catalog;
    let key = req
        .credit_party_identifier
        .mobile_number
        .clone()
        .unwrap_or_default();
    let h = fnv(&key);
    let now = shared.clock.now();
    let items: Vec<Value> = match country {
        None => Vec::new(),
        Some(c) => vec![
            json!({
                "type": "DATA", "unit_type": "DATA", "unit": "GB",
                "amount": catalog::dm((h % 500) as i64, 2),
                "expiration_date": (now + TimeDelta::days(1 + (h % 29) as i64)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "country": cat.country_json(c),
            }),
            json!({
                "type": "TALKTIME", "unit_type": "TIME", "unit": "MINUTES",
                "amount": h / 7 % 300,
                "expiration_date": Value::Null,
                "country": cat.country_json(c),
            }),
        ],
    };
    Ok(paged(items, paging, |v| v))
}

fn lookup_status(shared: &Shared, body: &[u8]) -> Result<Reply, ApiError> {
    let req: CreditPartyLookup = parse_body(body)?;
    credit_party_country(&req)?;
    let party = &req.credit_party_identifier;
    let key = party
        .mobile_number
        .clone()
        .or_else(|| party.account_number.clone())
        .unwrap_or_default();
    let h = fnv(&key);
    let now = shared.clock.now();
    let date = |days: u64| {
        (now - TimeDelta::days(days as i64)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    let installed = date(2 + h % 60);
    let activated = if h.is_multiple_of(2) {
        json!(date(1 + h % 2))
    } else {
        Value::Null
    };
    Ok(Reply::ok(
        200,
        json!({"installation_date": installed, "activation_date": activated}),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_codes() {
        for ok in ["MX", "MEX", "IN-DL", "MX-CMX", "GB-ENG-AB", "EXX"] {
            assert!(is_region_code(ok), "{ok}");
        }
        for bad in ["mx", "M", "MEXI", "IN-", "IN-D", "IN-DL-x"] {
            assert!(!is_region_code(bad), "{bad}");
        }
    }

    #[test]
    fn path_segments_are_percent_decoded() {
        assert_eq!(
            percent_decode("%2B50212345678").as_deref(),
            Some("+50212345678")
        );
        assert_eq!(percent_decode("%2b502").as_deref(), Some("+502"));
        assert_eq!(percent_decode("+502").as_deref(), Some("+502"));
        assert_eq!(percent_decode("%20x").as_deref(), Some(" x"));
        for bad in ["%", "%2", "%zz1", "%+1", "%FF"] {
            assert_eq!(percent_decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn paging_headers() {
        let page = |page| {
            let r = paged(
                (0..5).collect::<Vec<i32>>(),
                Paging { page, per_page: 2 },
                |v| json!(v),
            );
            let names: Vec<&str> = r.headers.iter().map(|(n, _)| *n).collect();
            let next_prev = (
                names.contains(&"X-Next-Page"),
                names.contains(&"X-Prev-Page"),
            );
            (r, next_prev)
        };
        assert_eq!(page(1).1, (true, false));
        let (r, next_prev) = page(3);
        assert_eq!(next_prev, (false, true));
        assert_eq!(r.body, json!([4]));
    }
}

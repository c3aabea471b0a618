//! Shared by the facade tests (`facade_v1_21.rs`, `facade_v1_0.rs`): the
//! test credentials, fixtures, helpers reading what a mock server received,
//! scripted wiremock responders (a sequence, a paged catalog) and a tiny raw
//! TCP server that can drop a connection after reading a request.

#![allow(dead_code)] // each test crate uses its own subset

use base64::Engine as _;
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::{MockServer, Request, Respond, ResponseTemplate};

/// The API key and secret every facade test client authenticates with.
pub const KEY: &str = "dvs-facade-key-3f9a";
pub const SECRET: &str = "dvs-facade-secret-Q7x2";

/// Standard base64.
pub fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// The `Authorization` header the client must send.
pub fn expected_auth() -> String {
    format!("Basic {}", b64(&format!("{KEY}:{SECRET}")))
}

/// A fixture of `tests/fixtures/<version>/`.
pub fn fixture(version: &str, name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/{version}/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A DVS error answer.
pub fn dvs_error(status: u16, code: i64, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_json(serde_json::json!({"errors": [{"code": code, "message": message}]}))
}

/// Every request `server` received, in order.
pub async fn requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is enabled")
}

/// `METHOD /path` of each request.
pub fn lines(requests: &[Request]) -> Vec<String> {
    requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect()
}

/// The decoded query pairs of a request, in order.
pub fn query(r: &Request) -> Vec<(String, String)> {
    r.url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The one value of query key `key`, asserting it is not repeated.
pub fn query_value(r: &Request, key: &str) -> Option<String> {
    let values: Vec<String> = query(r)
        .into_iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v)
        .collect();
    assert!(values.len() <= 1, "query key `{key}` repeated: {}", r.url);
    values.into_iter().next()
}

/// The `page` query value of each request.
pub fn pages_requested(requests: &[Request]) -> Vec<u32> {
    requests
        .iter()
        .map(|r| {
            query_value(r, "page")
                .expect("a page parameter")
                .parse()
                .unwrap()
        })
        .collect()
}

/// The JSON body of a request.
pub fn body(r: &Request) -> Value {
    serde_json::from_slice(&r.body).expect("a JSON body")
}

/// A header of a request, as text.
pub fn header<'a>(r: &'a Request, name: &str) -> Option<&'a str> {
    r.headers
        .get(name)
        .map(|v| v.to_str().expect("ASCII header"))
}

/// Every request carries the test credentials (HTTP Basic), no
/// `api-version` header, and accepts JSON.
pub fn assert_authenticated(requests: &[Request]) {
    assert!(!requests.is_empty(), "no request received");
    for r in requests {
        let auth = header(r, "authorization")
            .unwrap_or_else(|| panic!("{} {} without authorization", r.method, r.url));
        assert!(auth.starts_with("Basic "), "not HTTP Basic: {auth}");
        assert_eq!(auth, expected_auth());
        assert!(
            r.headers.get("api-version").is_none(),
            "api-version header sent"
        );
        assert_eq!(header(r, "accept"), Some("application/json"));
    }
}

/// Answers with the given responses in turn, repeating the last one.
pub struct Seq {
    responses: Vec<ResponseTemplate>,
    next: AtomicUsize,
}

impl Seq {
    pub fn new(responses: Vec<ResponseTemplate>) -> Self {
        assert!(!responses.is_empty());
        Self {
            responses,
            next: AtomicUsize::new(0),
        }
    }
}

impl Respond for Seq {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let i = self.next.fetch_add(1, Ordering::SeqCst);
        self.responses[i.min(self.responses.len() - 1)].clone()
    }
}

/// Where a paged endpoint reads `page` and `per_page`.
#[derive(Clone, Copy, Debug)]
pub enum PageIn {
    Query,
    Body,
}

/// A list served over pages the way DVS pages: the `page` and `per_page`
/// the client asked for, and the `X-*` headers describing the rest.
pub struct Catalog {
    items: Vec<Value>,
    page_in: PageIn,
    delay: fn(u32) -> Duration,
    failing_page: Option<u32>,
    content_language: Option<&'static str>,
    arrivals: Arc<Mutex<Vec<(u32, Instant)>>>,
}

impl Catalog {
    pub fn new(items: Vec<Value>, page_in: PageIn) -> Self {
        Self {
            items,
            page_in,
            delay: |_| Duration::ZERO,
            failing_page: None,
            content_language: None,
            arrivals: Arc::default(),
        }
    }

    /// Delays the answer of each page.
    pub fn delay(mut self, delay: fn(u32) -> Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Answers this page with a 500 and a DVS error body.
    pub fn failing_page(mut self, page: u32) -> Self {
        self.failing_page = Some(page);
        self
    }

    /// Sends `Content-Language` with every page.
    pub fn content_language(mut self, language: &'static str) -> Self {
        self.content_language = Some(language);
        self
    }

    /// When each page request arrived (shared, readable after mounting).
    pub fn arrivals(&self) -> Arc<Mutex<Vec<(u32, Instant)>>> {
        self.arrivals.clone()
    }
}

impl Respond for Catalog {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let (page, per_page) = match self.page_in {
            PageIn::Query => (
                query_value(request, "page").map(|v| v.parse::<u64>().unwrap()),
                query_value(request, "per_page").map(|v| v.parse::<u64>().unwrap()),
            ),
            PageIn::Body => {
                let b = body(request);
                (b["page"].as_u64(), b["per_page"].as_u64())
            }
        };
        let page = page.unwrap_or(1);
        let per_page = per_page.unwrap_or(50);
        self.arrivals
            .lock()
            .unwrap()
            .push((page as u32, Instant::now()));
        let delay = (self.delay)(page as u32);
        if self.failing_page == Some(page as u32) {
            return dvs_error(500, 1009001, "Unexpected error").set_delay(delay);
        }
        let total = self.items.len() as u64;
        let total_pages = total.div_ceil(per_page).max(1);
        let start = ((page - 1) * per_page).min(total) as usize;
        let end = (page * per_page).min(total) as usize;
        let opt = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
        let mut answer = ResponseTemplate::new(200)
            .set_body_json(Value::Array(self.items[start..end].to_vec()))
            .insert_header("X-Page", page.to_string())
            .insert_header("X-Per-Page", per_page.to_string())
            .insert_header("X-Total", total.to_string())
            .insert_header("X-Total-Pages", total_pages.to_string())
            .insert_header("X-Next-Page", opt((page < total_pages).then_some(page + 1)))
            .insert_header("X-Prev-Page", opt((page > 1).then(|| page - 1)))
            .insert_header("X-Ratelimit-Limit", "600")
            .insert_header("X-Ratelimit-Remaining", "587")
            .set_delay(delay);
        if let Some(l) = self.content_language {
            answer = answer.insert_header("Content-Language", l);
        }
        answer
    }
}

/// A page with explicit `X-*` headers (`None`: header not sent).
pub fn page_answer(
    items: Vec<Value>,
    page: Option<u64>,
    next: Option<u64>,
    total_pages: Option<u64>,
) -> ResponseTemplate {
    let mut answer = ResponseTemplate::new(200).set_body_json(Value::Array(items));
    if let Some(p) = page {
        answer = answer.insert_header("X-Page", p.to_string());
    }
    if let Some(n) = next {
        answer = answer.insert_header("X-Next-Page", n.to_string());
    }
    if let Some(t) = total_pages {
        answer = answer.insert_header("X-Total-Pages", t.to_string());
    }
    answer
}

// ----- a raw TCP server ------------------------------------------------------

/// A request as read off the socket.
#[derive(Clone, Debug)]
pub struct RawRequest {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Lower-case names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    pub fn query(&self) -> Vec<(String, String)> {
        let url = reqwest::Url::parse(&format!("http://x{}", self.target)).unwrap();
        url.query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// What the raw server does with a request.
pub enum Reply {
    /// Close the connection without answering.
    Close,
    /// Close without answering, and stop listening (later connections are refused).
    CloseAndStop,
    /// Answer with a status, extra headers and a JSON body.
    Json(u16, Vec<(&'static str, String)>, Value),
}

type Handler = dyn Fn(&RawRequest, &[RawRequest]) -> Reply + Send + Sync;

/// A loopback HTTP/1.1 server handling one request per connection with a
/// handler that sees the request and every request received before it.
pub struct TcpServer {
    pub addr: SocketAddr,
    log: Arc<Mutex<Vec<RawRequest>>>,
    task: tokio::task::JoinHandle<()>,
}

impl TcpServer {
    pub async fn start(
        handler: impl Fn(&RawRequest, &[RawRequest]) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let log: Arc<Mutex<Vec<RawRequest>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let stop = Arc::new(tokio::sync::Notify::new());
        let task = {
            let log = log.clone();
            tokio::spawn(async move {
                loop {
                    let (stream, _) = tokio::select! {
                        accepted = listener.accept() => match accepted {
                            Ok(s) => s,
                            Err(_) => break,
                        },
                        _ = stop.notified() => break,
                    };
                    let (log, handler, stop) = (log.clone(), handler.clone(), stop.clone());
                    tokio::spawn(async move { serve(stream, &log, &*handler, &stop).await });
                }
                // The listener is dropped here: later connections are refused.
            })
        };
        Self { addr, log, task }
    }

    /// The base URL, with DVS's `/v1` prefix.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// Every request received, in order.
    pub fn requests(&self) -> Vec<RawRequest> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for TcpServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut stream: TcpStream,
    log: &Mutex<Vec<RawRequest>>,
    handler: &Handler,
    stop: &tokio::sync::Notify,
) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let reply = {
        let mut log = log.lock().unwrap();
        let reply = handler(&request, &log);
        log.push(request);
        reply
    };
    match reply {
        Reply::Close => {}
        Reply::CloseAndStop => stop.notify_one(),
        Reply::Json(status, headers, body) => {
            let body = serde_json::to_vec(&body).unwrap();
            let mut head = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
                body.len()
            );
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&body).await;
            let _ = stream.flush().await;
        }
    }
    let _ = stream.shutdown().await;
}

/// Reads the request line, the headers and a `Content-Length` body.
pub async fn read_request(stream: &mut TcpStream) -> Option<RawRequest> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buf[..head_end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter(|l| !l.is_empty())
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            Some((k.trim().to_ascii_lowercase(), v.trim().to_string()))
        })
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .map_or(0, |(_, v)| v.parse().unwrap_or(0));
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(RawRequest {
        method,
        target,
        headers,
        body,
    })
}

#![cfg(feature = "v1_21")]
//! A crawl stopped by its caller stops: dropping a page stream mid-crawl
//! cancels the page fetches running ahead of it, retries included.

mod facade_support;

use dvs::v1_21::Client;
use dvs::{Credentials, RetryPolicy};
use facade_support::*;
use futures::StreamExt;
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[tokio::test]
async fn dropping_the_stream_stops_the_fetches_running_ahead() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/services"))
        .respond_with(|r: &Request| {
            if query_value(r, "page").as_deref() == Some("1") {
                ResponseTemplate::new(200)
                    .set_body_json(json!([{"id": 1, "name": "Mobile"}]))
                    .insert_header("X-Page", "1")
                    .insert_header("X-Per-Page", "1")
                    .insert_header("X-Total", "6")
                    .insert_header("X-Total-Pages", "6")
                    .insert_header("X-Next-Page", "2")
            } else {
                // Pages fetched ahead stay unavailable: their tasks retry.
                ResponseTemplate::new(503)
                    .set_body_json(json!({"errors": [{"code": 1009503, "message": "Unavailable"}]}))
                    .insert_header("Retry-After", "1")
            }
        })
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/v1", server.uri()))
        .credentials(Credentials::new(KEY, SECRET))
        .retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(10)))
        .build()
        .unwrap();
    let mut pages = Box::pin(
        client
            .services(|q| q)
            .per_page(1)
            .unwrap()
            .concurrency(4)
            .pages(),
    );
    let first = tokio::time::timeout(Duration::from_secs(10), pages.next())
        .await
        .expect("the first page in time")
        .expect("a first page")
        .expect("the first page decodes");
    assert_eq!(first.items.len(), 1);
    // Ask for the next page: the pages ahead start (and are refused once,
    // then wait to retry); the caller gives up and stops the crawl.
    let waited = tokio::time::timeout(Duration::from_millis(300), pages.next()).await;
    assert!(waited.is_err(), "page 2 cannot arrive: it is unavailable");
    drop(pages);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let at_drop = requests(&server).await.len();
    assert!(at_drop >= 2, "pages ahead were fetched: {at_drop} requests");
    // Their retries (after `Retry-After: 1`) would come now; none may.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let later = requests(&server).await.len();
    assert_eq!(
        later, at_drop,
        "fetches went on after the stream was dropped"
    );
}

//! A "foreign" client: plain HTTP and JSON, nothing of this crate, as a
//! client written in another language would do it. It lists products
//! across pages by following `X-Next-Page`, and completes transactions
//! asynchronously (polling) and synchronously.

use dvs::simulator::{Simulator, SimulatorConfig};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::time::Duration;

struct Foreign {
    http: reqwest::Client,
    base: String,
    key: String,
    secret: String,
}

impl Foreign {
    async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .basic_auth(&self.key, Some(&self.secret))
            .send()
            .await
            .expect("GET")
    }

    async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .basic_auth(&self.key, Some(&self.secret))
            .json(body)
            .send()
            .await
            .expect("POST");
        (r.status().as_u16(), r.json().await.expect("JSON"))
    }
}

#[tokio::test]
async fn a_plain_http_client_lists_and_transacts() {
    let sim = Simulator::start(
        SimulatorConfig::default()
            .time_factor(0.002)
            .any_credentials(),
    )
    .await
    .unwrap();
    let client = Foreign {
        http: dvs::http_client_builder()
            .unwrap()
            .no_proxy()
            .build()
            .unwrap(),
        base: sim.base_url(),
        key: "my-own-key".into(),
        secret: "my-own-secret".into(),
    };

    // Every product, following X-Next-Page until there is none.
    let mut url = "/products?per_page=100".to_string();
    let mut products: Vec<Value> = Vec::new();
    let mut total = None;
    let mut pages = 0;
    loop {
        let r = client.get(&url).await;
        assert_eq!(r.status().as_u16(), 200);
        let h = |name: &str| {
            r.headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_string())
        };
        total = total.or(h("X-Total"));
        let next = h("X-Next-Page");
        let body: Vec<Value> = r.json().await.unwrap();
        products.extend(body);
        pages += 1;
        match next {
            Some(n) => url = format!("/products?per_page=100&page={n}"),
            None => break,
        }
        assert!(pages < 100, "paging must end");
    }
    let total: usize = total.unwrap().parse().unwrap();
    assert_eq!(total, 2000, "the default catalog");
    assert_eq!(products.len(), total);
    assert_eq!(pages, 20);
    let ids: HashSet<i64> = products.iter().map(|p| p["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), total, "no product twice");

    // Pick a fixed recharge of Guatemala from the listing.
    let product = products
        .iter()
        .find(|p| {
            p["type"] == "FIXED_VALUE_RECHARGE" && p["operator"]["country"]["iso_code"] == "GTM"
        })
        .expect("a Guatemalan recharge");
    let before: Vec<Value> = client.get("/balances").await.json().await.unwrap();

    // Asynchronous: create with auto_confirm, poll until final.
    let (status, tx) = client
        .post(
            "/async/transactions",
            &json!({
                "external_id": "foreign-1",
                "product_id": product["id"],
                "auto_confirm": true,
                "credit_party_identifier": {"mobile_number": "+50255551100"}
            }),
        )
        .await;
    assert_eq!(status, 201, "{tx}");
    let id = tx["id"].as_i64().unwrap();
    let mut last = Value::Null;
    for _ in 0..200 {
        last = client
            .get(&format!("/transactions/{id}"))
            .await
            .json()
            .await
            .unwrap();
        if [3, 4, 7, 8, 9].contains(&last["status"]["class"]["id"].as_i64().unwrap()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(last["status"]["message"], "COMPLETED", "{last}");
    assert_eq!(last["status"]["class"]["id"], 7);

    // Synchronous: the answer is final.
    let (status, tx) = client
        .post(
            "/sync/transactions",
            &json!({
                "external_id": "foreign-2",
                "product_id": product["id"],
                "auto_confirm": true,
                "credit_party_identifier": {"mobile_number": "+50255551102"}
            }),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(tx["status"]["message"], "DECLINED-INVALID-CREDIT-PARTY");

    // The balance moved by the completed transaction only.
    let after: Vec<Value> = client.get("/balances").await.json().await.unwrap();
    let price = last["prices"]["wholesale"]["amount"].as_f64().unwrap()
        + last["prices"]["wholesale"]["fee"].as_f64().unwrap();
    let moved = before[0]["available"].as_f64().unwrap() - after[0]["available"].as_f64().unwrap();
    assert!((moved - price).abs() < 0.005, "{moved} vs {price}");
    assert_eq!(after[0]["holding"], 0.0);
}

/// The deprecated `GET /lookup/mobile-number/{mobile_number}`, as DT One's
/// Java and Node clients call it: the same operators as the POST look-up,
/// whether the plus sign is sent as is or as `%2B`; paging in the query;
/// the same errors.
#[tokio::test]
async fn a_plain_http_client_looks_up_a_number_in_the_path() {
    let sim = Simulator::start(SimulatorConfig::default().any_credentials())
        .await
        .unwrap();
    let client = Foreign {
        http: dvs::http_client_builder()
            .unwrap()
            .no_proxy()
            .build()
            .unwrap(),
        base: sim.base_url(),
        key: "my-own-key".into(),
        secret: "my-own-secret".into(),
    };
    let number = "+50241231100";
    let (status, posted) = client
        .post("/lookup/mobile-number", &json!({"mobile_number": number}))
        .await;
    assert_eq!(status, 200, "{posted}");
    let operators = posted.as_array().unwrap();
    assert!(operators.len() >= 2, "{posted}");
    assert!(operators
        .iter()
        .all(|o| o["country"]["iso_code"] == "GTM" && o["identified"].is_boolean()));

    for path in [
        format!("/lookup/mobile-number/{number}"),
        "/lookup/mobile-number/%2B50241231100".to_string(),
    ] {
        let r = client.get(&path).await;
        assert_eq!(r.status().as_u16(), 200, "{path}");
        let h = |name: &str| {
            r.headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_string())
        };
        assert_eq!(h("X-Total"), Some(operators.len().to_string()), "{path}");
        assert_eq!(h("X-Total-Pages").as_deref(), Some("1"));
        assert_eq!(h("X-Per-Page").as_deref(), Some("50"));
        assert_eq!(h("X-Page").as_deref(), Some("1"));
        assert_eq!((h("X-Next-Page"), h("X-Prev-Page")), (None, None));
        assert!(h("X-Ratelimit-Remaining").is_some());
        let body: Value = r.json().await.unwrap();
        assert_eq!(body, posted, "{path}");
    }

    // Paging comes from the query.
    let r = client
        .get(&format!("/lookup/mobile-number/{number}?page=2&per_page=1"))
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let h = |name: &str| {
        r.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    };
    assert_eq!(h("X-Page").as_deref(), Some("2"));
    assert_eq!(h("X-Per-Page").as_deref(), Some("1"));
    assert_eq!(h("X-Prev-Page").as_deref(), Some("1"));
    assert_eq!(h("X-Total-Pages"), Some(operators.len().to_string()));
    let body: Value = r.json().await.unwrap();
    assert_eq!(body, json!([operators[1]]));

    // Errors as the POST look-up answers them.
    for (path, status, code) in [
        ("/lookup/mobile-number/12345".to_string(), 400, 1005003),
        ("/lookup/mobile-number/%2B0123".to_string(), 400, 1005003),
        ("/lookup/mobile-number/%ZZ".to_string(), 400, 1005003),
        (
            format!("/lookup/mobile-number/{number}?per_page=0"),
            400,
            1000400,
        ),
        (
            format!("/lookup/mobile-number/{number}?page=x"),
            400,
            1000400,
        ),
    ] {
        let r = client.get(&path).await;
        assert_eq!(r.status().as_u16(), status, "{path}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["errors"][0]["code"], code, "{path}: {body}");
    }
    let (status, body) = client
        .post(&format!("/lookup/mobile-number/{number}"), &json!({}))
        .await;
    assert_eq!((status, &body["errors"][0]["code"]), (400, &json!(1000400)));
}

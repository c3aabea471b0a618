//! The catalog: deterministic from the seed, sized as asked, and filtered
//! exactly as documented.

use crate::support::{self, Api};
use dvs::simulator::SimulatorConfig;
use serde_json::Value;
use std::time::{Duration, Instant};

/// Every item of a list endpoint, following `X-Next-Page`.
async fn all(api: &Api, path: &str) -> Vec<Value> {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut items = Vec::new();
    let mut page = 1;
    loop {
        let r = api
            .get(&format!("{path}{sep}per_page=100&page={page}"))
            .await
            .expect(200);
        let total = r.header_u64("X-Total").unwrap();
        items.extend(r.items().iter().cloned());
        match r.header_u64("X-Next-Page") {
            Some(n) => page = n,
            None => {
                assert_eq!(items.len() as u64, total, "{path}: X-Total");
                return items;
            }
        }
    }
}

#[tokio::test]
async fn same_seed_same_catalog() {
    let (_a, api_a) = support::start(SimulatorConfig::default().seed(9).catalog_size(300)).await;
    let (_b, api_b) = support::start(SimulatorConfig::default().seed(9).catalog_size(300)).await;
    let (_c, api_c) = support::start(SimulatorConfig::default().seed(10).catalog_size(300)).await;
    let a = all(&api_a, "/products").await;
    let b = all(&api_b, "/products").await;
    let c = all(&api_c, "/products").await;
    assert_eq!(a.len(), 300);
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(
        all(&api_a, "/operators").await,
        all(&api_b, "/operators").await
    );
}

#[tokio::test]
async fn sizes_up_to_100_000() {
    let started = Instant::now();
    let (sim, api) = support::start(SimulatorConfig::default().catalog_size(100_000)).await;
    let built = started.elapsed();
    assert_eq!(sim.catalog_size(), 100_000);
    let r = api
        .get("/products?per_page=100&page=1000")
        .await
        .expect(200);
    assert_eq!(r.header_u64("X-Total"), Some(100_000));
    assert_eq!(r.items().len(), 100);
    assert!(r.header("X-Next-Page").is_none());
    let r = api
        .get("/products?country_iso_code=IND&type=RANGED_VALUE_PAYMENT&per_page=5")
        .await
        .expect(200);
    assert!(r.header_u64("X-Total").unwrap() > 100);
    assert!(built < Duration::from_secs(20), "built in {built:?}");
    // Sizes are clamped.
    let (small, _) = support::start(SimulatorConfig::default().catalog_size(0)).await;
    assert_eq!(small.catalog_size(), 1);
    let (sim, _) = support::start(SimulatorConfig::default()).await;
    assert_eq!(sim.catalog_size(), 2000);
}

#[tokio::test]
async fn documented_services_countries_and_operators() {
    let (_sim, api) = support::start(SimulatorConfig::default()).await;
    let services = all(&api, "/services").await;
    let ids: Vec<i64> = services.iter().map(|s| s["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [1, 3, 4, 7, 10, 11, 12, 13]);
    let mobile = &services[0];
    assert_eq!(mobile["name"], "Mobile");
    let subs: Vec<i64> = mobile["subservices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(subs, [11, 12, 13]);
    assert!(
        services[7]["subservices"].is_null(),
        "eSIM has no subservices"
    );

    let europe = api.get("/countries/EXX").await.expect(200).body;
    assert_eq!(europe["name"], "Europe");
    let regions: Vec<&str> = europe["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert!(
        regions.contains(&"FRA") && regions.contains(&"DEU"),
        "{regions:?}"
    );
    assert_eq!(
        api.get("/countries/GXX").await.expect(200).body["name"],
        "Global"
    );

    // Countries filtered by service: eSIM countries include GXX and EXX.
    let esim = all(&api, "/countries?service_id=13").await;
    let codes: Vec<&str> = esim
        .iter()
        .map(|c| c["iso_code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"GXX") && codes.contains(&"EXX"),
        "{codes:?}"
    );
    let airtime = all(&api, "/countries?service_id=1&subservice_id=11").await;
    assert!(airtime.len() > 30);
    assert!(!airtime.iter().any(|c| c["iso_code"] == "GXX"));

    // Operators by country and service.
    for op in all(&api, "/operators?country_iso_code=MEX&service_id=1").await {
        assert_eq!(op["country"]["iso_code"], "MEX");
        let products = all(&api, &format!("/products?operator_id={}", op["id"])).await;
        assert!(!products.is_empty());
        assert!(products
            .iter()
            .all(|p| p["service"]["id"] == 1 && p["operator"]["id"] == op["id"]));
    }
    // The services of a country.
    let gtm: Vec<i64> = all(&api, "/services?country_iso_code=GTM")
        .await
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert!(gtm.contains(&1) && gtm.contains(&3), "{gtm:?}");
    assert!(all(&api, "/services?country_iso_code=ZZZ").await.is_empty());
}

#[tokio::test]
async fn product_filters() {
    let (sim, api) = support::start(SimulatorConfig::default()).await;
    let everything = all(&api, "/products").await;
    assert_eq!(everything.len(), sim.catalog_size());

    // Types partition the catalog.
    let mut sum = 0;
    for t in dvs::v1_21::ProductType::KNOWN {
        let list = all(&api, &format!("/products?type={t}")).await;
        assert!(!list.is_empty(), "{t}");
        assert!(list.iter().all(|p| p["type"] == *t));
        sum += list.len();
    }
    assert_eq!(sum, everything.len());

    let check = |query: &'static str, pred: fn(&Value) -> bool| {
        let api = &api;
        let everything = &everything;
        async move {
            let list = all(api, &format!("/products?{query}")).await;
            let expected = everything.iter().filter(|p| pred(p)).count();
            assert!(expected > 0, "{query}: the catalog has matching products");
            assert_eq!(list.len(), expected, "{query}");
            assert!(list.iter().all(pred), "{query}");
        }
    };
    check("service_id=4&subservice_id=42", |p| {
        p["service"]["id"] == 4 && p["service"]["subservice"]["id"] == 42
    })
    .await;
    check("tags=DATA,BUNDLE", |p| {
        p["tags"] == serde_json::json!(["DATA"]) || p["tags"] == serde_json::json!(["BUNDLE"])
    })
    .await;
    check("tags=ESIM", |p| p["tags"] == serde_json::json!(["ESIM"])).await;
    check("country_iso_code=GXX", |p| {
        p["operator"]["country"]["iso_code"] == "GXX"
    })
    .await;
    check("benefit_types=SMS", |p| {
        p["benefits"]
            .as_array()
            .is_some_and(|b| b.iter().any(|b| b["type"] == "SMS"))
    })
    .await;
    check("benefit_types=TALKTIME,PAYMENT", |p| {
        p["benefits"].as_array().is_some_and(|b| {
            b.iter()
                .any(|b| b["type"] == "TALKTIME" || b["type"] == "PAYMENT")
        })
    })
    .await;
    check("type=RANGED_VALUE_RECHARGE&country_iso_code=IND", |p| {
        p["type"] == "RANGED_VALUE_RECHARGE" && p["operator"]["country"]["iso_code"] == "IND"
    })
    .await;

    // region: the country's own products, plus global and regional ones.
    let fra = all(&api, "/products?region=FRA").await;
    let countries: std::collections::BTreeSet<&str> = fra
        .iter()
        .map(|p| p["operator"]["country"]["iso_code"].as_str().unwrap())
        .collect();
    assert_eq!(
        countries,
        ["EXX", "FRA", "GXX"].into_iter().collect(),
        "{countries:?}"
    );
    let ind = all(&api, "/products?region=IND").await;
    let countries: std::collections::BTreeSet<&str> = ind
        .iter()
        .map(|p| p["operator"]["country"]["iso_code"].as_str().unwrap())
        .collect();
    assert_eq!(countries, ["GXX", "IND"].into_iter().collect());
    // A subdivision: products covering it (all of India, or that region).
    let delhi = all(&api, "/products?region=IN-DL").await;
    let tn = all(&api, "/products?region=IN-TN").await;
    assert!(
        delhi.len() > tn.len(),
        "the regional operator covers Delhi, not Tamil Nadu"
    );
    for p in &tn {
        let regions = &p["regions"];
        assert!(
            regions.is_null()
                || regions
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r["code"] == "IN-TN")
        );
    }
    // Unknown values match nothing.
    assert!(all(&api, "/products?country_iso_code=ZZZ").await.is_empty());
    assert!(all(&api, "/products?operator_id=999999").await.is_empty());
}

#[tokio::test]
async fn promotions_and_campaigns_filters() {
    let (_sim, api) = support::start(SimulatorConfig::default()).await;
    let promotions = all(&api, "/promotions").await;
    assert!(!promotions.is_empty());
    let promo = &promotions[0];
    let op = promo["operator"]["id"].as_i64().unwrap();
    let country = promo["operator"]["country"]["iso_code"].as_str().unwrap();
    let product = promo["products"][0]["id"].as_i64().unwrap();
    for query in [
        format!("operator_id={op}"),
        format!("country_iso_code={country}"),
        format!("product_id={product}"),
    ] {
        let list = all(&api, &format!("/promotions?{query}")).await;
        assert!(list.iter().any(|p| p["id"] == promo["id"]), "{query}");
    }
    // A promoted product shows its promotion and the doubled benefit.
    let p = api
        .get(&format!("/products/{product}"))
        .await
        .expect(200)
        .body;
    assert_eq!(p["promotions"][0]["id"], promo["id"]);
    let b = &p["benefits"][0]["amount"];
    assert_eq!(b["promotion_bonus"], b["base"]);

    let campaigns = all(&api, "/campaigns").await;
    assert_eq!(campaigns.len(), 5);
    let c = &campaigns[0];
    let cp = c["products"][0]["id"].as_i64().unwrap();
    let list = all(&api, &format!("/campaigns?product_id={cp}")).await;
    assert!(list.iter().any(|x| x["id"] == c["id"]));
    assert!(all(&api, "/campaigns?product_id=999999").await.is_empty());
}

//! The simulated catalog: services, countries (with the regional codes GXX
//! and EXX), operators, products of all five types, promotions, campaigns
//! and benefit types, generated deterministically from a seed.

use super::rng::Rng;
use crate::open_enum::open_enum;
use crate::AnyProductType as _;

open_enum! {
    /// The product types the simulator serves (those of DVS 1.21.0).
    pub enum ProductType {
        /// `FIXED_VALUE_RECHARGE`.
        FixedValueRecharge = "FIXED_VALUE_RECHARGE",
        /// `RANGED_VALUE_RECHARGE`.
        RangedValueRecharge = "RANGED_VALUE_RECHARGE",
        /// `FIXED_VALUE_PIN_PURCHASE`.
        FixedValuePinPurchase = "FIXED_VALUE_PIN_PURCHASE",
        /// `RANGED_VALUE_PIN_PURCHASE`.
        RangedValuePinPurchase = "RANGED_VALUE_PIN_PURCHASE",
        /// `RANGED_VALUE_PAYMENT`.
        RangedValuePayment = "RANGED_VALUE_PAYMENT",
    }
}

impl crate::AnyProductType for ProductType {}
use chrono::{DateTime, NaiveTime, TimeDelta, Utc};
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};

/// A documented service and its subservices.
pub(crate) struct ServiceDef {
    pub(crate) id: i64,
    pub(crate) name: &'static str,
    pub(crate) subservices: &'static [(i64, &'static str)],
}

/// The eight services DVS documents. The vendor's table lists the Gift Card
/// subservices as 41, 42, 44, 44, 45, 46; the second 44 (Cash Cards) is
/// taken to be 43.
pub(crate) const SERVICES: &[ServiceDef] = &[
    ServiceDef {
        id: 1,
        name: "Mobile",
        subservices: &[(11, "Airtime"), (12, "Bundle"), (13, "Data")],
    },
    ServiceDef {
        id: 3,
        name: "Utilities",
        subservices: &[
            (31, "Electricity"),
            (32, "Water"),
            (33, "Gas"),
            (34, "Internet"),
            (35, "Landline"),
            (36, "Television"),
            (37, "VoIP"),
        ],
    },
    ServiceDef {
        id: 4,
        name: "Gift Cards",
        subservices: &[
            (41, "Retail"),
            (42, "Gaming"),
            (43, "Cash Cards"),
            (44, "Food"),
            (45, "Entertainment"),
            (46, "Travel and Transport"),
        ],
    },
    ServiceDef {
        id: 7,
        name: "Insurance",
        subservices: &[],
    },
    ServiceDef {
        id: 10,
        name: "Finance",
        subservices: &[],
    },
    ServiceDef {
        id: 11,
        name: "Government",
        subservices: &[],
    },
    ServiceDef {
        id: 12,
        name: "Education",
        subservices: &[],
    },
    ServiceDef {
        id: 13,
        name: "eSIM",
        subservices: &[],
    },
];

pub(crate) fn service(id: i64) -> Option<&'static ServiceDef> {
    SERVICES.iter().find(|s| s.id == id)
}

fn subservice_name(service_id: i64, sub: i64) -> &'static str {
    service(service_id)
        .and_then(|s| s.subservices.iter().find(|(id, _)| *id == sub))
        .map_or("", |(_, n)| n)
}

/// The benefit types DVS documents.
pub(crate) const BENEFIT_TYPES: &[&str] = &["TALKTIME", "DATA", "SMS", "PAYMENT", "CREDITS"];

/// A country (or the regional codes GXX and EXX).
pub(crate) struct CountryDef {
    pub(crate) iso3: &'static str,
    pub(crate) iso2: &'static str,
    pub(crate) name: &'static str,
    pub(crate) currency: &'static str,
    /// E.164 country calling code without `+` (empty for GXX and EXX).
    pub(crate) dial: &'static str,
    /// Units of `currency` per USD.
    pub(crate) fx: Decimal,
    pub(crate) europe: bool,
    /// Share of a price that is tax (the benefit's "excluding tax" is smaller).
    pub(crate) tax: Decimal,
    pub(crate) regions: &'static [(&'static str, &'static str)],
}

const fn c(
    iso3: &'static str,
    iso2: &'static str,
    name: &'static str,
    currency: &'static str,
    dial: &'static str,
    fx: Decimal,
) -> CountryDef {
    CountryDef {
        iso3,
        iso2,
        name,
        currency,
        dial,
        fx,
        europe: false,
        tax: Decimal::ZERO,
        regions: &[],
    }
}

const fn eu(
    iso3: &'static str,
    iso2: &'static str,
    name: &'static str,
    currency: &'static str,
    dial: &'static str,
    fx: Decimal,
) -> CountryDef {
    CountryDef {
        europe: true,
        ..c(iso3, iso2, name, currency, dial, fx)
    }
}

/// Global and regional codes first, then countries.
pub(crate) const COUNTRIES: &[CountryDef] = &[
    c("GXX", "GX", "Global", "USD", "", dm(1, 0)),
    c("EXX", "EX", "Europe", "EUR", "", dm(92, 2)),
    c("GTM", "GT", "Guatemala", "GTQ", "502", dm(775, 2)),
    CountryDef {
        regions: &[
            ("MX-CMX", "Ciudad de Mexico"),
            ("MX-JAL", "Jalisco"),
            ("MX-NLE", "Nuevo Leon"),
        ],
        tax: dm(16, 2),
        ..c("MEX", "MX", "Mexico", "MXN", "52", dm(17, 0))
    },
    CountryDef {
        regions: &[
            ("IN-DL", "Delhi"),
            ("IN-MH", "Maharashtra"),
            ("IN-KA", "Karnataka"),
            ("IN-TN", "Tamil Nadu"),
        ],
        tax: dm(18, 2),
        ..c("IND", "IN", "India", "INR", "91", dm(83, 0))
    },
    c("SGP", "SG", "Singapore", "SGD", "65", dm(135, 2)),
    c("PHL", "PH", "Philippines", "PHP", "63", dm(56, 0)),
    CountryDef {
        regions: &[("ID-JK", "Jakarta"), ("ID-JB", "Jawa Barat")],
        ..c("IDN", "ID", "Indonesia", "IDR", "62", dm(15600, 0))
    },
    CountryDef {
        regions: &[("NG-LA", "Lagos"), ("NG-FC", "Federal Capital Territory")],
        ..c("NGA", "NG", "Nigeria", "NGN", "234", dm(1500, 0))
    },
    c("KEN", "KE", "Kenya", "KES", "254", dm(130, 0)),
    c("GHA", "GH", "Ghana", "GHS", "233", dm(12, 0)),
    CountryDef {
        regions: &[("BR-SP", "Sao Paulo"), ("BR-RJ", "Rio de Janeiro")],
        ..c("BRA", "BR", "Brazil", "BRL", "55", dm(5, 0))
    },
    c("COL", "CO", "Colombia", "COP", "57", dm(3900, 0)),
    c("PER", "PE", "Peru", "PEN", "51", dm(37, 1)),
    c("DOM", "DO", "Dominican Republic", "DOP", "1809", dm(58, 0)),
    c("HTI", "HT", "Haiti", "HTG", "509", dm(132, 0)),
    c("JAM", "JM", "Jamaica", "JMD", "1876", dm(155, 0)),
    CountryDef {
        regions: &[
            ("US-CA", "California"),
            ("US-NY", "New York"),
            ("US-TX", "Texas"),
        ],
        ..c("USA", "US", "United States", "USD", "1", dm(1, 0))
    },
    CountryDef {
        tax: dm(2, 1),
        ..eu("GBR", "GB", "United Kingdom", "GBP", "44", dm(79, 2))
    },
    CountryDef {
        tax: dm(2, 1),
        ..eu("FRA", "FR", "France", "EUR", "33", dm(92, 2))
    },
    CountryDef {
        tax: dm(19, 2),
        ..eu("DEU", "DE", "Germany", "EUR", "49", dm(92, 2))
    },
    CountryDef {
        tax: dm(21, 2),
        ..eu("ESP", "ES", "Spain", "EUR", "34", dm(92, 2))
    },
    CountryDef {
        tax: dm(22, 2),
        ..eu("ITA", "IT", "Italy", "EUR", "39", dm(92, 2))
    },
    eu("POL", "PL", "Poland", "PLN", "48", dm(4, 0)),
    eu("ROU", "RO", "Romania", "RON", "40", dm(46, 1)),
    c("TUR", "TR", "Turkey", "TRY", "90", dm(32, 0)),
    c("PAK", "PK", "Pakistan", "PKR", "92", dm(280, 0)),
    c("BGD", "BD", "Bangladesh", "BDT", "880", dm(110, 0)),
    c("NPL", "NP", "Nepal", "NPR", "977", dm(133, 0)),
    c("VNM", "VN", "Vietnam", "VND", "84", dm(25000, 0)),
    c("THA", "TH", "Thailand", "THB", "66", dm(36, 0)),
    c("EGY", "EG", "Egypt", "EGP", "20", dm(48, 0)),
    c("MAR", "MA", "Morocco", "MAD", "212", dm(10, 0)),
    c("ZAF", "ZA", "South Africa", "ZAR", "27", dm(185, 1)),
    c("CMR", "CM", "Cameroon", "XAF", "237", dm(605, 0)),
    c("SEN", "SN", "Senegal", "XOF", "221", dm(605, 0)),
    c("SLV", "SV", "El Salvador", "USD", "503", dm(1, 0)),
    c("HND", "HN", "Honduras", "HNL", "504", dm(247, 1)),
    c("NIC", "NI", "Nicaragua", "NIO", "505", dm(366, 1)),
    c("ECU", "EC", "Ecuador", "USD", "593", dm(1, 0)),
];

const GLOBAL: usize = 0;
const EUROPE: usize = 1;

const MOBILE_BRANDS: &[&str] = &[
    "Claro",
    "Movistar",
    "Tigo",
    "Digicel",
    "Airtel",
    "Vodafone",
    "Orange",
    "MTN",
    "Jio",
    "Globe",
    "Smart",
    "Telkomsel",
    "Safaricom",
    "Glo",
    "Viettel",
    "AIS",
    "Turkcell",
    "Jazz",
    "Grameenphone",
    "Ncell",
    "Etisalat",
    "Inwi",
    "Vodacom",
    "Free",
    "O2",
    "Telcel",
    "Entel",
    "Bitel",
    "Natcom",
    "Flow",
    "Singtel",
    "StarHub",
    "Indosat",
    "Telenor",
    "Three",
    "Lyca",
    "Cell C",
    "Robi",
];

const GIFT_BRANDS: &[(&str, i64)] = &[
    ("Google Play", 42),
    ("Amazon", 41),
    ("Steam", 42),
    ("PlayStation Store", 42),
    ("Netflix", 45),
    ("Spotify", 45),
    ("Uber", 46),
    ("Carrefour", 41),
    ("Razer Gold", 42),
    ("Paysafecard", 43),
    ("Domino's", 44),
    ("Airbnb", 46),
];

/// What an operator sells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OpKind {
    Mobile,
    /// Utilities, with the subservice.
    Utility(i64),
    /// Insurance, Finance, Government or Education (the service id).
    Payment(i64),
    /// Gift cards, with the subservice.
    GiftCard(i64),
    Esim,
}

impl OpKind {
    pub(crate) fn service_id(self) -> i64 {
        match self {
            Self::Mobile => 1,
            Self::Utility(_) => 3,
            Self::GiftCard(_) => 4,
            Self::Payment(s) => s,
            Self::Esim => 13,
        }
    }
}

pub(crate) struct OperatorDef {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) country: usize,
    pub(crate) kind: OpKind,
    /// Region codes of the country this operator covers (None: all).
    pub(crate) regions: Option<Vec<usize>>,
    pub(crate) supports_inquiry: bool,
    pub(crate) promotion: Option<usize>,
}

/// A fixed amount or a range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Amt {
    Fixed(Decimal),
    Range {
        min: Decimal,
        max: Decimal,
        inc: Decimal,
    },
}

/// Who a product credits, i.e. its `required_credit_party_identifier_fields`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CreditParty {
    None,
    Mobile,
    Account,
}

#[derive(Clone, Debug)]
pub(crate) struct BenefitDef {
    pub(crate) kind: &'static str,
    pub(crate) unit_type: &'static str,
    pub(crate) unit: String,
    /// Base amount (fixed products) or base range (ranged products).
    pub(crate) amount: Amt,
    pub(crate) info: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Retail {
    /// `retail: null`.
    Null,
    /// A retail object whose fields are all null.
    Unset,
    /// A retail price (margin in percent over the source amount, and a fee).
    Priced { margin_pct: u32, fee: Decimal },
}

pub(crate) struct ProductDef {
    pub(crate) id: i64,
    pub(crate) kind: ProductType,
    pub(crate) operator: usize,
    pub(crate) subservice: Option<i64>,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) tag: Option<&'static str>,
    pub(crate) validity: Option<(&'static str, i64)>,
    pub(crate) credit_party: CreditParty,
    pub(crate) sender_names_required: bool,
    pub(crate) zones: &'static [&'static str],
    pub(crate) calc_modes: &'static [&'static str],
    /// Destination: what the beneficiary gets, in `dest_unit`.
    pub(crate) dest: Amt,
    pub(crate) dest_unit: &'static str,
    /// Destination units per source USD.
    pub(crate) rate_base: Decimal,
    /// Destination units per wholesale USD.
    pub(crate) rate_wholesale: Decimal,
    pub(crate) fee: Decimal,
    pub(crate) retail: Retail,
    pub(crate) benefits: Vec<BenefitDef>,
    pub(crate) promotion: Option<usize>,
}

impl ProductDef {
    pub(crate) fn service_id(&self, cat: &Catalog) -> i64 {
        cat.operators[self.operator].kind.service_id()
    }

    pub(crate) fn country<'a>(&self, cat: &'a Catalog) -> &'a CountryDef {
        &COUNTRIES[cat.operators[self.operator].country]
    }

    pub(crate) fn is_ranged(&self) -> bool {
        self.kind.is_ranged()
    }
}

pub(crate) struct PromotionDef {
    pub(crate) id: i64,
    pub(crate) operator: usize,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) terms: Option<String>,
    pub(crate) start: DateTime<Utc>,
    pub(crate) end: DateTime<Utc>,
    pub(crate) products: Vec<usize>,
}

pub(crate) struct CampaignDef {
    pub(crate) id: i64,
    pub(crate) title: &'static str,
    pub(crate) description: String,
    pub(crate) terms: Option<String>,
    pub(crate) start: DateTime<Utc>,
    pub(crate) end: DateTime<Utc>,
    pub(crate) products: Vec<usize>,
}

pub(crate) struct Catalog {
    pub(crate) operators: Vec<OperatorDef>,
    pub(crate) products: Vec<ProductDef>,
    pub(crate) promotions: Vec<PromotionDef>,
    pub(crate) campaigns: Vec<CampaignDef>,
    /// (service, subservice) pairs with products, per country.
    country_services: Vec<BTreeSet<(i64, Option<i64>)>>,
    operator_products: Vec<usize>,
    operator_index: HashMap<i64, usize>,
    /// Each product's JSON, rendered the first time it is listed (the
    /// catalog does not change once generated).
    rendered: Vec<std::sync::OnceLock<Vec<u8>>>,
}

/// First product id; products are numbered from here.
pub(crate) const FIRST_PRODUCT_ID: i64 = 10001;
const FIRST_OPERATOR_ID: i64 = 101;

/// An exact decimal `mantissa * 10^-scale` (`dm(775, 2)` is 7.75), usable
/// in constants.
pub(crate) const fn dm(mantissa: i64, scale: u32) -> Decimal {
    let m = mantissa.unsigned_abs();
    Decimal::from_parts(m as u32, (m >> 32) as u32, 0, mantissa < 0, scale)
}

/// Rounds half away from zero to `dp` places, without trailing zeros.
fn round_to(x: Decimal, dp: u32) -> Decimal {
    x.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// Rounds a local amount to a "nice" denomination.
fn nice(x: Decimal) -> Decimal {
    let step = if x >= dm(100_000, 0) {
        dm(1000, 0)
    } else if x >= dm(10_000, 0) {
        dm(100, 0)
    } else if x >= dm(1000, 0) {
        dm(10, 0)
    } else if x >= dm(20, 0) {
        Decimal::ONE
    } else {
        dm(1, 2)
    };
    let r = round_to(x / step, 0) * step;
    round2(r.max(step))
}

/// Rounds to cents (half away from zero).
pub(crate) fn round2(x: Decimal) -> Decimal {
    round_to(x, 2)
}

fn round6(x: Decimal) -> Decimal {
    round_to(x, 6)
}

/// Formats an amount without trailing zeros (`50`, `12.5`).
fn fmt_amount(x: Decimal) -> String {
    round2(x).to_string()
}

fn increment_for(fx: Decimal) -> Decimal {
    if fx < dm(5, 0) {
        dm(1, 2)
    } else if fx < dm(200, 0) {
        Decimal::ONE
    } else {
        dm(100, 0)
    }
}

impl Catalog {
    /// Builds a catalog of `size` products from `seed`; promotion and
    /// campaign dates are placed around `today`.
    pub(crate) fn generate(seed: u64, size: usize, today: DateTime<Utc>) -> Self {
        let anchor = today.date_naive().and_time(NaiveTime::MIN).and_utc();
        let operators = generate_operators(seed);
        let mut cat = Catalog {
            operator_index: operators
                .iter()
                .enumerate()
                .map(|(i, o)| (o.id, i))
                .collect(),
            operator_products: vec![0; operators.len()],
            operators,
            products: Vec::with_capacity(size),
            promotions: Vec::new(),
            campaigns: Vec::new(),
            country_services: vec![BTreeSet::new(); COUNTRIES.len()],
            rendered: Vec::new(),
        };
        // Fill operators round-robin across countries so that even a small
        // catalog covers many countries.
        let fill_order = fill_order(&cat.operators);
        let mut per_operator = vec![0usize; cat.operators.len()];
        for n in 0..size {
            let op = fill_order[n % fill_order.len()];
            let k = per_operator[op];
            per_operator[op] += 1;
            let id = FIRST_PRODUCT_ID + n as i64;
            let mut product = make_product(seed, id, &cat.operators[op], op, k);
            if matches!(cat.operators[op].kind, OpKind::Mobile)
                && product.kind == ProductType::FixedValueRecharge
                && product.tag == Some("AIRTIME")
                && cat.operators[op].id % 4 == 1
            {
                let promo = match cat.operators[op].promotion {
                    Some(p) => p,
                    None => {
                        let p = cat.promotions.len();
                        let operator = &cat.operators[op];
                        let brand = operator.name.split(' ').next().unwrap_or("");
                        cat.promotions.push(PromotionDef {
                            id: p as i64 + 1,
                            operator: op,
                            title: format!("{brand} double top-up"),
                            description: format!(
                                "Double airtime on every {} top-up",
                                operator.name
                            ),
                            terms: (p % 3 != 2).then(|| {
                                "Bonus credit valid for 7 days on national calls and SMS only."
                                    .to_string()
                            }),
                            start: anchor - TimeDelta::days(7),
                            end: anchor + TimeDelta::days(23) - TimeDelta::seconds(1),
                            products: Vec::new(),
                        });
                        cat.operators[op].promotion = Some(p);
                        p
                    }
                };
                cat.promotions[promo].products.push(cat.products.len());
                product.promotion = Some(promo);
            }
            let country = cat.operators[op].country;
            cat.country_services[country]
                .insert((cat.operators[op].kind.service_id(), product.subservice));
            cat.operator_products[op] += 1;
            cat.products.push(product);
        }
        cat.campaigns = make_campaigns(seed, &cat.products, anchor);
        cat.rendered = cat.products.iter().map(|_| Default::default()).collect();
        cat
    }

    /// A product's JSON text, as [`Self::product_json`] renders it.
    pub(crate) fn product_text(&self, p: &ProductDef) -> &[u8] {
        match self.product_index(p.id) {
            Some(i) => self.rendered[i]
                .get_or_init(|| serde_json::to_vec(&self.product_json(p)).unwrap_or_default()),
            None => b"null",
        }
    }

    pub(crate) fn product(&self, id: i64) -> Option<&ProductDef> {
        let idx = id.checked_sub(FIRST_PRODUCT_ID)?;
        self.products.get(usize::try_from(idx).ok()?)
    }

    pub(crate) fn product_index(&self, id: i64) -> Option<usize> {
        let idx = usize::try_from(id.checked_sub(FIRST_PRODUCT_ID)?).ok()?;
        (idx < self.products.len()).then_some(idx)
    }

    pub(crate) fn operator(&self, id: i64) -> Option<usize> {
        self.operator_index.get(&id).copied()
    }

    pub(crate) fn country_index(iso3: &str) -> Option<usize> {
        COUNTRIES.iter().position(|c| c.iso3 == iso3)
    }

    /// The country of an E.164 number, by the longest calling code.
    pub(crate) fn country_of_number(number: &str) -> Option<usize> {
        let digits = number.strip_prefix('+')?;
        COUNTRIES
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.dial.is_empty() && digits.starts_with(c.dial))
            .max_by_key(|(_, c)| c.dial.len())
            .map(|(i, _)| i)
    }

    /// Services with products, optionally in one country.
    pub(crate) fn services_with_products(
        &self,
        country: Option<usize>,
    ) -> Vec<&'static ServiceDef> {
        SERVICES
            .iter()
            .filter(|s| {
                let has =
                    |set: &BTreeSet<(i64, Option<i64>)>| set.iter().any(|(id, _)| *id == s.id);
                match country {
                    Some(c) => has(&self.country_services[c]),
                    None => self.country_services.iter().any(has),
                }
            })
            .collect()
    }

    /// Countries with products of a service (and subservice).
    pub(crate) fn countries_with_products(
        &self,
        service: Option<i64>,
        sub: Option<i64>,
    ) -> Vec<usize> {
        (0..COUNTRIES.len())
            .filter(|&c| {
                self.country_services[c].iter().any(|(s, ss)| {
                    service.is_none_or(|x| x == *s) && sub.is_none_or(|x| Some(x) == *ss)
                })
            })
            .collect()
    }

    /// Operators with products, filtered.
    pub(crate) fn operators_filtered(
        &self,
        country: Option<usize>,
        service: Option<i64>,
        sub: Option<i64>,
    ) -> Vec<usize> {
        (0..self.operators.len())
            .filter(|&i| {
                let o = &self.operators[i];
                self.operator_products[i] > 0
                    && country.is_none_or(|c| o.country == c)
                    && service.is_none_or(|s| o.kind.service_id() == s)
                    && sub.is_none_or(|s| {
                        self.products
                            .iter()
                            .any(|p| p.operator == i && p.subservice == Some(s))
                    })
            })
            .collect()
    }

    /// Mobile operators of a country (for number look-ups).
    pub(crate) fn mobile_operators(&self, country: usize) -> Vec<usize> {
        (0..self.operators.len())
            .filter(|&i| {
                self.operators[i].country == country && self.operators[i].kind == OpKind::Mobile
            })
            .collect()
    }

    /// Whether a product covers a region or country code (`region` filter):
    /// the country's own products (all of it, or the named subdivision),
    /// global products, and regional products whose region includes it.
    pub(crate) fn covers(&self, p: &ProductDef, region: &str) -> bool {
        let (country_part, subdivision) = match region.split_once('-') {
            Some((cc, _)) => (cc, true),
            None => (region, false),
        };
        let target = COUNTRIES
            .iter()
            .position(|c| c.iso3 == country_part || c.iso2 == country_part);
        let op = &self.operators[p.operator];
        match op.country {
            GLOBAL => true,
            EUROPE => target.is_some_and(|t| t == EUROPE || COUNTRIES[t].europe),
            c => {
                target == Some(c)
                    && (!subdivision
                        || op.regions.as_ref().is_none_or(|rs| {
                            rs.iter().any(|&r| COUNTRIES[c].regions[r].0 == region)
                        }))
            }
        }
    }

    // ---- JSON ----------------------------------------------------------

    pub(crate) fn country_json(&self, idx: usize) -> Value {
        let c = &COUNTRIES[idx];
        let regions: Value = if idx == EUROPE {
            Value::Array(
                COUNTRIES
                    .iter()
                    .filter(|c| c.europe)
                    .map(|c| json!({"name": c.name, "code": c.iso3}))
                    .collect(),
            )
        } else if c.regions.is_empty() {
            Value::Null
        } else {
            Value::Array(
                c.regions
                    .iter()
                    .map(|(code, name)| json!({"name": name, "code": code}))
                    .collect(),
            )
        };
        json!({"name": c.name, "iso_code": c.iso3, "regions": regions})
    }

    pub(crate) fn country_summary_json(&self, idx: usize) -> Value {
        let c = &COUNTRIES[idx];
        json!({"name": c.name, "iso_code": c.iso3})
    }

    fn operator_regions_json(&self, op: &OperatorDef) -> Value {
        match &op.regions {
            None => Value::Null,
            Some(rs) => Value::Array(
                rs.iter()
                    .map(|&r| {
                        let (code, name) = COUNTRIES[op.country].regions[r];
                        json!({"name": name, "code": code})
                    })
                    .collect(),
            ),
        }
    }

    pub(crate) fn operator_json(&self, idx: usize) -> Value {
        let op = &self.operators[idx];
        json!({
            "id": op.id,
            "name": op.name,
            "country": self.country_json(op.country),
            "regions": self.operator_regions_json(op),
        })
    }

    pub(crate) fn service_json(s: &ServiceDef) -> Value {
        let subs: Value = if s.subservices.is_empty() {
            Value::Null
        } else {
            Value::Array(
                s.subservices
                    .iter()
                    .map(|(id, name)| json!({"id": id, "name": name}))
                    .collect(),
            )
        };
        json!({"id": s.id, "name": s.name, "subservices": subs})
    }

    fn product_service_json(&self, p: &ProductDef) -> Value {
        let sid = p.service_id(self);
        let name = service(sid).map_or("", |s| s.name);
        let sub = match p.subservice {
            Some(ss) => json!({"id": ss, "name": subservice_name(sid, ss)}),
            None => Value::Null,
        };
        json!({"id": sid, "name": name, "subservice": sub})
    }

    fn tags_json(p: &ProductDef) -> Value {
        match p.tag {
            Some(t) => json!([t]),
            None => Value::Null,
        }
    }

    fn validity_json(p: &ProductDef) -> Value {
        match p.validity {
            Some((unit, q)) => json!({"unit": unit, "quantity": q}),
            None => Value::Null,
        }
    }

    pub(crate) fn pin_json(&self, p: &ProductDef) -> Value {
        if !p.kind.is_pin() {
            return Value::Null;
        }
        let op = &self.operators[p.operator];
        let brand = &op.name;
        let esim = op.kind == OpKind::Esim;
        let usage: Vec<String> = if esim {
            vec![
                "Open the camera on an eSIM-capable phone".to_string(),
                "Scan the QR code sent with the activation code".to_string(),
            ]
        } else {
            vec![
                format!("Open the {brand} app or website"),
                "Enter the code in the redeem section".to_string(),
            ]
        };
        json!({
            "usage_info": usage,
            "validity": {"unit": "MONTH", "quantity": 12},
            "terms": if p.id % 3 == 0 { Value::Null } else { json!(format!("Redeemable with {brand} only. Not refundable.")) },
        })
    }

    fn payment_json(&self, p: &ProductDef) -> Value {
        let op = &self.operators[p.operator];
        json!({
            "modes": if p.id % 2 == 0 { json!(["EXACT", "PARTIAL"]) } else { json!(["EXACT"]) },
            "posting_period": {"unit": "DAY", "quantity": 1 + p.id % 3, "type": "BUSINESS"},
            "supports_statement_inquiry": op.supports_inquiry,
            "required_inquiry_fields": if op.supports_inquiry { json!([["account_number"]]) } else { Value::Null },
            "notes": [format!("Payments received after 18:00 {} time are posted on the next business day", COUNTRIES[op.country].name)],
        })
    }

    /// Source amount in USD (what the sender pays) for a destination amount.
    pub(crate) fn source_for(p: &ProductDef, dest: Decimal) -> Decimal {
        round2(dest / p.rate_base)
    }

    pub(crate) fn wholesale_for(p: &ProductDef, dest: Decimal) -> Decimal {
        round2(dest / p.rate_wholesale)
    }

    fn retail_amount(p: &ProductDef, dest: Decimal) -> Option<Decimal> {
        match p.retail {
            Retail::Priced { margin_pct, .. } => Some(round2(
                Self::source_for(p, dest) * Decimal::from(100 + margin_pct) / Decimal::ONE_HUNDRED,
            )),
            _ => None,
        }
    }

    pub(crate) fn rates_json(p: &ProductDef) -> Value {
        let retail = match p.retail {
            Retail::Priced { margin_pct, .. } => {
                json!(round6(
                    p.rate_base * Decimal::ONE_HUNDRED / Decimal::from(100 + margin_pct)
                ))
            }
            _ => Value::Null,
        };
        json!({"base": round6(p.rate_base), "wholesale": round6(p.rate_wholesale), "retail": retail})
    }

    /// The `retail` object of a price for a destination amount (or range).
    fn retail_json(p: &ProductDef, amount: Value) -> Value {
        match p.retail {
            Retail::Null => Value::Null,
            Retail::Unset => json!({"unit_type": null, "unit": null, "amount": null, "fee": null}),
            Retail::Priced { fee, .. } => json!({
                "unit_type": "CURRENCY",
                "unit": "USD",
                "amount": amount,
                "fee": fee,
            }),
        }
    }

    /// A transaction's `prices` for a destination amount.
    pub(crate) fn transaction_prices_json(p: &ProductDef, dest: Decimal) -> Value {
        let retail = Self::retail_json(p, json!(Self::retail_amount(p, dest)));
        json!({
            "wholesale": {
                "unit_type": "CURRENCY",
                "unit": "USD",
                "amount": Self::wholesale_for(p, dest),
                "fee": p.fee,
            },
            "retail": retail,
        })
    }

    fn benefit_amount_fixed(&self, p: &ProductDef, b: &BenefitDef, base: Decimal) -> Value {
        let tax = if b.unit_type == "CURRENCY" {
            p.country(self).tax
        } else {
            Decimal::ZERO
        };
        let bonus = if p.promotion.is_some() && b.kind == "CREDITS" {
            base
        } else {
            Decimal::ZERO
        };
        let total = base + bonus;
        json!({
            "base": base,
            "promotion_bonus": bonus,
            "total_excluding_tax": round2(total / (Decimal::ONE + tax)),
            "total_including_tax": total,
        })
    }

    fn benefit_json(&self, p: &ProductDef, b: &BenefitDef) -> Value {
        let amount = match b.amount {
            Amt::Fixed(base) => self.benefit_amount_fixed(p, b, base),
            Amt::Range { min, max, .. } => {
                let tax = if b.unit_type == "CURRENCY" {
                    p.country(self).tax
                } else {
                    Decimal::ZERO
                };
                json!({
                    "base": {"min": min, "max": max},
                    "promotion_bonus": {"min": 0, "max": 0},
                    "total_excluding_tax": {"min": round2(min / (Decimal::ONE + tax)), "max": round2(max / (Decimal::ONE + tax))},
                    "total_including_tax": {"min": min, "max": max},
                })
            }
        };
        json!({
            "type": b.kind,
            "unit_type": b.unit_type,
            "unit": b.unit,
            "amount": amount,
            "additional_information": b.info,
        })
    }

    /// A transaction's benefits: fixed benefits, ranged ones resolved at
    /// the destination amount.
    pub(crate) fn transaction_benefits_json(&self, p: &ProductDef, dest: Decimal) -> Value {
        Value::Array(
            p.benefits
                .iter()
                .map(|b| {
                    let base = match b.amount {
                        Amt::Fixed(x) => x,
                        Amt::Range { .. } => dest,
                    };
                    let amount = self.benefit_amount_fixed(p, b, base);
                    json!({
                        "type": b.kind,
                        "unit_type": b.unit_type,
                        "unit": b.unit,
                        "amount": amount,
                        "additional_information": b.info,
                    })
                })
                .collect(),
        )
    }

    pub(crate) fn product_promotions_json(&self, p: &ProductDef) -> Value {
        match p.promotion {
            None => Value::Null,
            Some(i) => {
                let pr = &self.promotions[i];
                json!([{
                    "id": pr.id,
                    "title": pr.title,
                    "description": pr.description,
                    "terms": pr.terms,
                    "start_date": pr.start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    "end_date": pr.end.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                }])
            }
        }
    }

    fn fields_json(required: bool, fields: &[&str]) -> Value {
        if required {
            json!([fields])
        } else {
            Value::Null
        }
    }

    pub(crate) fn credit_fields_json(p: &ProductDef) -> Value {
        match p.credit_party {
            CreditParty::None => json!([]),
            CreditParty::Mobile => json!([["mobile_number"]]),
            CreditParty::Account => json!([["account_number"]]),
        }
    }

    /// The short product object embedded in a transaction.
    pub(crate) fn transaction_product_json(&self, p: &ProductDef) -> Value {
        let op = &self.operators[p.operator];
        json!({
            "id": p.id,
            "name": p.name,
            "description": p.description,
            "tags": Self::tags_json(p),
            "service": self.product_service_json(p),
            "operator": self.operator_json(p.operator),
            "regions": self.operator_regions_json(op),
            "type": p.kind.as_str(),
            "pin": self.pin_json(p),
        })
    }

    pub(crate) fn product_json(&self, p: &ProductDef) -> Value {
        let op = &self.operators[p.operator];
        let fee = p.fee;
        let (source, destination, prices) = match p.dest {
            Amt::Fixed(d) => (
                json!({"unit_type": "CURRENCY", "unit": "USD", "amount": Self::source_for(p, d)}),
                json!({"unit_type": "CURRENCY", "unit": p.dest_unit, "amount": d}),
                json!({
                    "wholesale": {"unit_type": "CURRENCY", "unit": "USD", "amount": Self::wholesale_for(p, d), "fee": fee},
                    "retail": Self::retail_json(p, json!(Self::retail_amount(p, d))),
                }),
            ),
            Amt::Range { min, max, inc } => (
                json!({"unit_type": "CURRENCY", "unit": "USD", "amount": {
                    "min": Self::source_for(p, min), "max": Self::source_for(p, max)}}),
                json!({"unit_type": "CURRENCY", "unit": p.dest_unit, "amount": {"min": min, "max": max, "increment": inc}}),
                json!({
                    "wholesale": {"unit_type": "CURRENCY", "unit": "USD", "amount": {
                        "min": Self::wholesale_for(p, min), "max": Self::wholesale_for(p, max)}, "fee": fee},
                    "retail": Self::retail_json(p, json!({
                        "min": Self::retail_amount(p, min), "max": Self::retail_amount(p, max)})),
                }),
            ),
        };
        let mut v = json!({
            "id": p.id,
            "name": p.name,
            "description": p.description,
            "tags": Self::tags_json(p),
            "service": self.product_service_json(p),
            "operator": self.operator_json(p.operator),
            "regions": self.operator_regions_json(op),
            "type": p.kind.as_str(),
            "validity": Self::validity_json(p),
            "required_debit_party_identifier_fields": Value::Null,
            "required_credit_party_identifier_fields": Self::credit_fields_json(p),
            "required_sender_fields": Self::fields_json(p.sender_names_required, &["first_name", "last_name"]),
            "required_beneficiary_fields": Value::Null,
            "required_statement_identifier_fields": Value::Null,
            "required_additional_identifier_fields": Value::Null,
            "availability_zones": p.zones,
            "source": source,
            "destination": destination,
            "prices": prices,
            "rates": Self::rates_json(p),
            "benefits": Value::Array(p.benefits.iter().map(|b| self.benefit_json(p, b)).collect()),
            "promotions": self.product_promotions_json(p),
        });
        let obj = v.as_object_mut().expect("object");
        if p.is_ranged() {
            obj.insert("accepted_calculation_modes".into(), json!(p.calc_modes));
        }
        if p.kind.is_pin() {
            obj.insert("pin".into(), self.pin_json(p));
        }
        if p.kind == ProductType::RangedValuePayment {
            obj.insert("payment".into(), self.payment_json(p));
        }
        v
    }

    fn date(d: DateTime<Utc>) -> String {
        d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    }

    pub(crate) fn promotion_json(&self, idx: usize) -> Value {
        let pr = &self.promotions[idx];
        let op = &self.operators[pr.operator];
        json!({
            "id": pr.id,
            "title": pr.title,
            "description": pr.description,
            "terms": pr.terms,
            "start_date": Self::date(pr.start),
            "end_date": Self::date(pr.end),
            "operator": {"id": op.id, "name": op.name, "country": self.country_summary_json(op.country)},
            "products": pr.products.iter().map(|&i| {
                let p = &self.products[i];
                json!({"id": p.id, "name": p.name, "description": p.description, "type": p.kind.as_str()})
            }).collect::<Vec<_>>(),
        })
    }

    pub(crate) fn campaign_json(&self, idx: usize) -> Value {
        let ca = &self.campaigns[idx];
        json!({
            "id": ca.id,
            "title": ca.title,
            "description": ca.description,
            "terms": ca.terms,
            "start_date": Self::date(ca.start),
            "end_date": Self::date(ca.end),
            "products": ca.products.iter().map(|&i| {
                let p = &self.products[i];
                json!({"id": p.id, "name": p.name, "description": p.description,
                       "type": p.kind.as_str(), "operator": self.operator_json(p.operator)})
            }).collect::<Vec<_>>(),
        })
    }
}

fn generate_operators(seed: u64) -> Vec<OperatorDef> {
    let mut ops = Vec::new();
    let push = |ops: &mut Vec<OperatorDef>,
                name: String,
                country: usize,
                kind: OpKind,
                regions,
                supports_inquiry| {
        ops.push(OperatorDef {
            id: FIRST_OPERATOR_ID + ops.len() as i64,
            name,
            country,
            kind,
            regions,
            supports_inquiry,
            promotion: None,
        });
    };
    for (ci, country) in COUNTRIES.iter().enumerate() {
        let mut rng = Rng::derive(seed, 1000 + ci as u64);
        match ci {
            GLOBAL => {
                for (brand, sub) in [
                    ("Steam", 42),
                    ("Netflix", 45),
                    ("Razer Gold", 42),
                    ("Uber", 46),
                ] {
                    push(
                        &mut ops,
                        format!("{brand} Global"),
                        ci,
                        OpKind::GiftCard(sub),
                        None,
                        false,
                    );
                }
                push(
                    &mut ops,
                    "WorldRoam eSIM".into(),
                    ci,
                    OpKind::Esim,
                    None,
                    false,
                );
                push(
                    &mut ops,
                    "Globetrotter eSIM".into(),
                    ci,
                    OpKind::Esim,
                    None,
                    false,
                );
                continue;
            }
            EUROPE => {
                push(
                    &mut ops,
                    "EuroConnect eSIM".into(),
                    ci,
                    OpKind::Esim,
                    None,
                    false,
                );
                push(
                    &mut ops,
                    "Paysafecard Europe".into(),
                    ci,
                    OpKind::GiftCard(43),
                    None,
                    false,
                );
                continue;
            }
            _ => {}
        }
        // Mobile operators: 2 to 4 distinct brands.
        let n_mobile = rng.range(2, 4) as usize;
        let mut brands: Vec<&str> = Vec::new();
        while brands.len() < n_mobile {
            let b = *rng.pick(MOBILE_BRANDS);
            if !brands.contains(&b) {
                brands.push(b);
            }
        }
        for (i, b) in brands.iter().enumerate() {
            let regions = (i == 0 && !country.regions.is_empty())
                .then(|| (0..country.regions.len().min(2)).collect());
            push(
                &mut ops,
                format!("{b} {}", country.name),
                ci,
                OpKind::Mobile,
                regions,
                false,
            );
        }
        // Utilities: two subservices.
        let first = rng.range(31, 37);
        let second = 31 + (first - 31 + rng.range(1, 6)) % 7;
        for sub in [first, second] {
            let name = match sub {
                31 => format!("{} Power", country.name),
                32 => format!("{} Water Board", country.name),
                33 => format!("{} Gas", country.name),
                34 => format!("{} Broadband", country.name),
                35 => format!("{} Telecom Landline", country.name),
                36 => format!("{} Cable TV", country.name),
                _ => format!("{} VoIP", country.name),
            };
            let inquiry = rng.chance(0.5);
            push(&mut ops, name, ci, OpKind::Utility(sub), None, inquiry);
        }
        // One or two other payment services.
        let services = [7, 10, 11, 12];
        let start = rng.below(4) as usize;
        for k in 0..rng.range(1, 2) as usize {
            let sid = services[(start + k) % 4];
            let name = match sid {
                7 => format!("{} Life Insurance", country.name),
                10 => format!("{} Microfinance", country.name),
                11 => format!("{} Revenue Authority", country.name),
                _ => format!("University of {}", country.name),
            };
            let inquiry = rng.chance(0.5);
            push(&mut ops, name, ci, OpKind::Payment(sid), None, inquiry);
        }
        if rng.chance(0.7) {
            let (brand, sub) = *rng.pick(GIFT_BRANDS);
            push(
                &mut ops,
                format!("{brand} {}", country.iso2),
                ci,
                OpKind::GiftCard(sub),
                None,
                false,
            );
        }
        if rng.chance(0.3) {
            push(
                &mut ops,
                format!("{} Travel eSIM", country.name),
                ci,
                OpKind::Esim,
                None,
                false,
            );
        }
    }
    ops
}

/// Operator indices interleaved across countries: the first operator of
/// every country, then the second of every country, and so on.
fn fill_order(ops: &[OperatorDef]) -> Vec<usize> {
    let mut by_country: Vec<Vec<usize>> = vec![Vec::new(); COUNTRIES.len()];
    for (i, o) in ops.iter().enumerate() {
        by_country[o.country].push(i);
    }
    // Countries before the regional codes, so the first products are local.
    by_country.rotate_left(2);
    let depth = by_country.iter().map(Vec::len).max().unwrap_or(0);
    let mut order = Vec::with_capacity(ops.len());
    for d in 0..depth {
        for list in &by_country {
            if let Some(&i) = list.get(d) {
                order.push(i);
            }
        }
    }
    order
}

const AIRTIME_USD: &[i64] = &[5, 10, 20, 2, 50, 3, 15, 25, 100, 1, 30, 40, 75];
const DATA_GB: &[i64] = &[1, 2, 5, 10, 3, 20, 50];
const GIFT_USD: &[i64] = &[10, 25, 50, 100, 15, 20, 200, 5];

fn make_product(seed: u64, id: i64, op: &OperatorDef, op_idx: usize, k: usize) -> ProductDef {
    let mut rng = Rng::derive(seed, id as u64);
    let country = &COUNTRIES[op.country];
    let fx = country.fx;
    let margin = Decimal::ONE + dm(rng.range(2, 8), 2);
    let fee = dm(if rng.chance(0.7) { 0 } else { rng.range(5, 75) }, 2);
    let retail = match rng.below(3) {
        0 => Retail::Null,
        1 => Retail::Unset,
        _ => Retail::Priced {
            margin_pct: rng.range(5, 15) as u32,
            fee: dm(rng.range(0, 50), 2),
        },
    };
    let base_rate = fx * (Decimal::ONE - dm(rng.range(0, 4), 2));
    let mut p = ProductDef {
        id,
        kind: ProductType::FixedValueRecharge,
        operator: op_idx,
        subservice: None,
        name: String::new(),
        description: String::new(),
        tag: None,
        validity: None,
        credit_party: CreditParty::Mobile,
        sender_names_required: false,
        zones: &["INTERNATIONAL"],
        calc_modes: &[],
        dest: Amt::Fixed(Decimal::ZERO),
        dest_unit: country.currency,
        rate_base: base_rate,
        rate_wholesale: base_rate * margin,
        fee,
        retail,
        benefits: Vec::new(),
        promotion: None,
    };
    let cycle = |table_len: usize, n: usize| -> (usize, Decimal) {
        (n % table_len, Decimal::ONE + dm((n / table_len) as i64, 1))
    };
    let credits = |amount: Amt, info: Option<String>| BenefitDef {
        kind: "CREDITS",
        unit_type: "CURRENCY",
        unit: country.currency.to_string(),
        amount,
        info,
    };
    match op.kind {
        OpKind::Mobile => {
            // 0: fixed airtime, 1: ranged airtime, then data, bundle, airtime.
            let slot = match k {
                0 => 0,
                1 => 1,
                k => [2, 3, 0][(k - 2) % 3],
            };
            let n = if k < 2 { 0 } else { (k - 2) / 3 + 1 };
            match slot {
                0 => {
                    let (i, scale) = cycle(AIRTIME_USD.len(), n);
                    let d = nice(Decimal::from(AIRTIME_USD[i]) * scale * fx);
                    p.subservice = Some(11);
                    p.tag = Some("AIRTIME");
                    p.dest = Amt::Fixed(d);
                    p.name = format!("{} {} {}", op.name, fmt_amount(d), country.currency);
                    p.description = format!(
                        "{} prepaid airtime top-up of {} {}",
                        op.name,
                        fmt_amount(d),
                        country.currency
                    );
                    p.benefits.push(credits(Amt::Fixed(d), None));
                }
                1 => {
                    let min = nice(fx);
                    let max = nice(Decimal::ONE_HUNDRED * fx);
                    let inc = increment_for(fx);
                    p.kind = ProductType::RangedValueRecharge;
                    p.subservice = Some(11);
                    p.tag = if rng.chance(0.5) {
                        Some("AIRTIME")
                    } else {
                        None
                    };
                    p.calc_modes = &["SOURCE_AMOUNT", "DESTINATION_AMOUNT"];
                    p.dest = Amt::Range { min, max, inc };
                    p.validity = Some(("DAY", 28));
                    p.name = format!("{} Airtime", op.name);
                    p.description = format!(
                        "{} prepaid airtime, any amount from {} to {} {}",
                        op.name,
                        fmt_amount(min),
                        fmt_amount(max),
                        country.currency
                    );
                    p.benefits.push(credits(
                        Amt::Range { min, max, inc },
                        (country.tax > Decimal::ZERO).then(|| {
                            format!(
                                "{}% tax deducted by the operator",
                                round_to(country.tax * Decimal::ONE_HUNDRED, 0)
                            )
                        }),
                    ));
                }
                2 => {
                    let (i, scale) = cycle(DATA_GB.len(), n);
                    let gb = round_to(Decimal::from(DATA_GB[i]) * scale, 0);
                    let d = nice(gb * dm(25, 1) * fx);
                    p.subservice = Some(13);
                    p.tag = Some("DATA");
                    p.dest = Amt::Fixed(d);
                    p.validity = Some(("DAY", if gb < dm(5, 0) { 7 } else { 30 }));
                    p.name = format!("{} {} GB Data", op.name, gb);
                    p.description = format!("{} mobile data bundle of {} GB", op.name, gb);
                    p.benefits.push(BenefitDef {
                        kind: "DATA",
                        unit_type: "DATA",
                        unit: "GB".into(),
                        amount: Amt::Fixed(gb),
                        info: None,
                    });
                }
                _ => {
                    let (i, scale) = cycle(DATA_GB.len(), n);
                    let gb = round_to(Decimal::from(DATA_GB[i]) * scale, 0);
                    let minutes = dm(50, 0) * gb;
                    let d = nice(gb * dm(4, 0) * fx);
                    p.subservice = Some(12);
                    p.tag = Some("BUNDLE");
                    p.dest = Amt::Fixed(d);
                    p.validity = Some(if gb < dm(3, 0) {
                        ("WEEK", 1)
                    } else {
                        ("DAY", 30)
                    });
                    p.name = format!("{} Combo {} GB + {} min", op.name, gb, minutes);
                    p.description = format!(
                        "{} bundle: {} GB data, {} minutes and 100 SMS",
                        op.name, gb, minutes
                    );
                    p.benefits.push(BenefitDef {
                        kind: "DATA",
                        unit_type: "DATA",
                        unit: "GB".into(),
                        amount: Amt::Fixed(gb),
                        info: None,
                    });
                    p.benefits.push(BenefitDef {
                        kind: "TALKTIME",
                        unit_type: "TIME",
                        unit: "MINUTES".into(),
                        amount: Amt::Fixed(minutes),
                        info: Some("National calls".into()),
                    });
                    p.benefits.push(BenefitDef {
                        kind: "SMS",
                        unit_type: "QUANTITY",
                        unit: "SMS".into(),
                        amount: Amt::Fixed(dm(100, 0)),
                        info: None,
                    });
                }
            }
        }
        OpKind::Utility(_) | OpKind::Payment(_) => {
            let min = nice(fx);
            let max = nice(dm(1000, 0) * fx);
            let inc = dm(1, 2);
            p.kind = ProductType::RangedValuePayment;
            p.subservice = match op.kind {
                OpKind::Utility(s) => Some(s),
                _ => None,
            };
            p.credit_party = CreditParty::Account;
            p.sender_names_required = k.is_multiple_of(2);
            p.zones = &["DOMESTIC", "INTERNATIONAL"];
            p.calc_modes = &["DESTINATION_AMOUNT"];
            p.dest = Amt::Range { min, max, inc };
            let what = [
                "Bill Payment",
                "Prepaid Account",
                "Postpaid Bill",
                "Installment Payment",
            ][k % 4];
            p.name = if k < 4 {
                format!("{} {what}", op.name)
            } else {
                format!("{} {what} {}", op.name, k / 4 + 1)
            };
            p.description = format!(
                "Pay a {} account, from {} to {} {}",
                op.name,
                fmt_amount(min),
                fmt_amount(max),
                country.currency
            );
            p.benefits.push(BenefitDef {
                kind: "PAYMENT",
                unit_type: "CURRENCY",
                unit: country.currency.to_string(),
                amount: Amt::Range { min, max, inc },
                info: None,
            });
        }
        OpKind::GiftCard(sub) => {
            p.subservice = Some(sub);
            p.tag = Some("GIFT_CARD");
            p.credit_party = CreditParty::None;
            p.zones = if rng.chance(0.5) {
                &["DOMESTIC", "INTERNATIONAL"]
            } else {
                &["INTERNATIONAL"]
            };
            if k % 3 == 2 {
                let min = nice(dm(10, 0) * fx);
                let max = nice(dm(500, 0) * fx);
                let inc = increment_for(fx).max(if fx < dm(5, 0) {
                    Decimal::ONE
                } else {
                    Decimal::ZERO
                });
                p.kind = ProductType::RangedValuePinPurchase;
                p.calc_modes = &["DESTINATION_AMOUNT"];
                p.dest = Amt::Range { min, max, inc };
                p.validity = Some(("MONTH", 12));
                p.name = format!("{} Gift Card", op.name);
                p.description = format!(
                    "{} e-gift card, any amount from {} to {} {}",
                    op.name,
                    fmt_amount(min),
                    fmt_amount(max),
                    country.currency
                );
                p.benefits.push(credits(Amt::Range { min, max, inc }, None));
            } else {
                let (i, scale) = cycle(GIFT_USD.len(), k - k / 3);
                let d = nice(Decimal::from(GIFT_USD[i]) * scale * fx);
                p.kind = ProductType::FixedValuePinPurchase;
                p.dest = Amt::Fixed(d);
                p.name = format!("{} {} {}", op.name, fmt_amount(d), country.currency);
                p.description = format!(
                    "{} gift code worth {} {}",
                    op.name,
                    fmt_amount(d),
                    country.currency
                );
                p.benefits.push(credits(Amt::Fixed(d), None));
            }
        }
        OpKind::Esim => {
            let (i, scale) = cycle(DATA_GB.len(), k);
            let gb = round_to(Decimal::from(DATA_GB[i]) * scale, 0);
            let days = if gb < dm(5, 0) { 7 } else { 30 };
            let d = nice(gb * dm(45, 1) * fx);
            p.kind = ProductType::FixedValuePinPurchase;
            p.tag = Some("ESIM");
            p.credit_party = CreditParty::None;
            p.dest = Amt::Fixed(d);
            p.validity = Some(("DAY", days));
            p.name = format!("{} {} GB {} days", op.name, gb, days);
            p.description = format!(
                "{} travel eSIM with {} GB of data for {} days in {}",
                op.name, gb, days, country.name
            );
            p.benefits.push(BenefitDef {
                kind: "DATA",
                unit_type: "DATA",
                unit: "GB".into(),
                amount: Amt::Fixed(gb),
                info: Some("Activation code delivered as PIN".into()),
            });
        }
    }
    p
}

fn make_campaigns(seed: u64, products: &[ProductDef], anchor: DateTime<Utc>) -> Vec<CampaignDef> {
    const TITLES: &[&str] = &[
        "Ramadan Kareem",
        "Back to School",
        "Holiday Season",
        "Summer Travel",
        "Lunar New Year",
    ];
    if products.is_empty() {
        return Vec::new();
    }
    let mut rng = Rng::derive(seed, 77);
    TITLES
        .iter()
        .enumerate()
        .map(|(i, title)| {
            let n = rng.range(3, 8) as usize;
            let mut picked: Vec<usize> = (0..n)
                .map(|_| rng.below(products.len() as u64) as usize)
                .collect();
            picked.sort_unstable();
            picked.dedup();
            CampaignDef {
                id: i as i64 + 1,
                title,
                description: format!("{title}: selected products with extra value"),
                terms: (i % 2 == 0)
                    .then(|| "While stocks last. Terms of each operator apply.".to_string()),
                start: anchor - TimeDelta::days(3 + i as i64),
                end: anchor + TimeDelta::days(30 + 5 * i as i64) - TimeDelta::seconds(1),
                products: picked,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> DateTime<Utc> {
        "2024-03-14T09:00:00Z".parse().unwrap()
    }

    #[test]
    fn deterministic_and_sized() {
        let a = Catalog::generate(42, 500, today());
        let b = Catalog::generate(42, 500, today());
        assert_eq!(a.products.len(), 500);
        let ja: Vec<Value> = a.products.iter().map(|p| a.product_json(p)).collect();
        let jb: Vec<Value> = b.products.iter().map(|p| b.product_json(p)).collect();
        assert_eq!(ja, jb);
        let c = Catalog::generate(43, 500, today());
        let jc: Vec<Value> = c.products.iter().map(|p| c.product_json(p)).collect();
        assert_ne!(ja, jc);
    }

    #[test]
    fn all_types_services_and_regional_codes() {
        let cat = Catalog::generate(1, 2000, today());
        for t in ProductType::KNOWN {
            assert!(cat.products.iter().any(|p| p.kind.as_str() == *t), "{t}");
        }
        assert_eq!(cat.services_with_products(None).len(), 8);
        for code in ["GXX", "EXX"] {
            let c = Catalog::country_index(code).unwrap();
            assert!(
                cat.products
                    .iter()
                    .any(|p| cat.operators[p.operator].country == c),
                "{code}"
            );
        }
        assert!(!cat.promotions.is_empty());
        assert_eq!(cat.campaigns.len(), 5);
    }

    #[test]
    fn numbers_find_their_country() {
        assert_eq!(
            Catalog::country_of_number("+50241234100").map(|i| COUNTRIES[i].iso3),
            Some("GTM")
        );
        assert_eq!(
            Catalog::country_of_number("+18095551100").map(|i| COUNTRIES[i].iso3),
            Some("DOM")
        );
        assert_eq!(
            Catalog::country_of_number("+12125551100").map(|i| COUNTRIES[i].iso3),
            Some("USA")
        );
        assert_eq!(
            Catalog::country_of_number("+6595123100").map(|i| COUNTRIES[i].iso3),
            Some("SGP")
        );
    }

    #[test]
    fn nice_amounts() {
        assert_eq!(nice(dm(775, 2) * dm(5, 0)).to_string(), "39");
        assert_eq!(nice(dm(15600, 0) * dm(5, 0)).to_string(), "78000");
        assert_eq!(nice(dm(92, 2) * dm(5, 0)).to_string(), "4.6");
        // Half away from zero, as a person rounds money: 20.5 -> 21, 0.125 -> 0.13.
        assert_eq!(nice(dm(205, 1)).to_string(), "21");
        assert_eq!(nice(dm(125, 3)).to_string(), "0.13");
    }
}

//! What the facade relies on in a DVS document, checked before any code is
//! generated: the names of the types it uses (given to the schemas found
//! where they are used, whatever a document calls them), and the operations,
//! parameters and fields it calls and reads. A document that lacks any of
//! them stops normalization with one list of exactly those needs.

use super::resolve::{self, escape, SCHEMA_PREFIX};
use super::shape::{operations, rename_refs};
use serde_json::{Map, Value};

/// Where a schema the facade names is used.
#[derive(Debug, Clone, Copy)]
pub enum Site {
    /// The JSON body of the operation's success response; with `item`, the
    /// items of that array.
    Response {
        /// Operation name.
        op: &'static str,
        /// The array's items rather than the body itself.
        item: bool,
    },
    /// The JSON request body of the operation.
    Body {
        /// Operation name.
        op: &'static str,
    },
    /// The schema of a parameter of the operation.
    Param {
        /// Operation name.
        op: &'static str,
        /// Parameter name.
        name: &'static str,
    },
    /// A property of a component named earlier in the table.
    Property {
        /// Canonical component name.
        of: &'static str,
        /// Property name.
        name: &'static str,
    },
}

/// A type name the facade relies on, and where the schema it names is used.
#[derive(Debug, Clone, Copy)]
pub struct Canonical {
    /// The component name (and so the Rust type name).
    pub name: &'static str,
    /// Where that schema is used; the first site found names it.
    pub sites: &'static [Site],
    /// Fields the facade reads or sets on it.
    pub fields: &'static [&'static str],
}

/// An operation the facade calls, with the parameters it sets.
#[derive(Debug, Clone, Copy)]
pub struct NeededOperation {
    /// Operation name.
    pub op: &'static str,
    /// Method, upper case, for messages.
    pub method: &'static str,
    /// Path, for messages.
    pub path: &'static str,
    /// Parameters the facade sets.
    pub params: &'static [&'static str],
}

/// Everything the facade of one API version relies on.
#[derive(Debug, Clone, Copy)]
pub struct Contract {
    /// Operations and their parameters.
    pub operations: &'static [NeededOperation],
    /// Type names, in naming order (a `Property` site names a component
    /// found through a type named before it).
    pub types: &'static [Canonical],
}

/// Finds the schema pointer of a site in `spec`; `Err` says what is missing.
fn locate(spec: &Value, site: &Site) -> Result<String, String> {
    let ops = operations(spec);
    let op_ptr = |op: &str| {
        ops.get(op)
            .map(|(_, _, ptr)| ptr.clone())
            .ok_or_else(|| format!("operation `{op}`"))
    };
    match *site {
        Site::Response { op, item } => {
            let ptr = op_ptr(op)?;
            let responses = spec
                .pointer(&format!("{ptr}/responses"))
                .and_then(Value::as_object)
                .ok_or_else(|| format!("responses of `{op}`"))?;
            let code = responses
                .keys()
                .filter(|c| c.starts_with('2'))
                .find(|c| {
                    let r = resolve::resolve(spec, &responses[*c]);
                    r.pointer("/content/application~1json/schema").is_some()
                })
                .ok_or_else(|| format!("a JSON success response of `{op}`"))?;
            let resp = &responses[code];
            let base = match resp.get("$ref").and_then(Value::as_str) {
                Some(r) => r.trim_start_matches('#').to_string(),
                None => format!("{ptr}/responses/{}", escape(code)),
            };
            let mut schema_ptr = format!("{base}/content/application~1json/schema");
            if item {
                let schema = resolve::resolve(spec, spec.pointer(&schema_ptr).expect("found"));
                if schema.get("items").is_none() {
                    return Err(format!("a list response of `{op}`"));
                }
                schema_ptr = match spec
                    .pointer(&schema_ptr)
                    .and_then(|s| s.get("$ref"))
                    .and_then(Value::as_str)
                {
                    Some(r) => format!("{}/items", r.trim_start_matches('#')),
                    None => format!("{schema_ptr}/items"),
                };
            }
            Ok(schema_ptr)
        }
        Site::Body { op } => {
            let ptr = op_ptr(op)?;
            let body = spec
                .pointer(&format!("{ptr}/requestBody"))
                .ok_or_else(|| format!("the request body of `{op}`"))?;
            let base = match body.get("$ref").and_then(Value::as_str) {
                Some(r) => r.trim_start_matches('#').to_string(),
                None => format!("{ptr}/requestBody"),
            };
            let p = format!("{base}/content/application~1json/schema");
            spec.pointer(&p)
                .map(|_| p)
                .ok_or_else(|| format!("a JSON request body of `{op}`"))
        }
        Site::Param { op, name } => {
            let ptr = op_ptr(op)?;
            let params = spec
                .pointer(&format!("{ptr}/parameters"))
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for (i, p) in params.iter().enumerate() {
                let resolved = resolve::resolve(spec, p);
                if resolved.get("name").and_then(Value::as_str) == Some(name) {
                    let base = match p.get("$ref").and_then(Value::as_str) {
                        Some(r) => r.trim_start_matches('#').to_string(),
                        None => format!("{ptr}/parameters/{i}"),
                    };
                    return Ok(format!("{base}/schema"));
                }
            }
            Err(format!("parameter `{name}` of `{op}`"))
        }
        Site::Property { of, name } => {
            let p = format!(
                "/components/schemas/{}/properties/{}",
                escape(of),
                escape(name)
            );
            spec.pointer(&p)
                .map(|_| p)
                .ok_or_else(|| format!("property `{name}` of `{of}`"))
        }
    }
}

/// Keys an `allOf` member may have to count as an extension of the schema it
/// is composed with (extra optional properties).
const EXTENSION_KEYS: &[&str] = &[
    "type",
    "properties",
    "description",
    "title",
    "additionalProperties",
];

/// Gives the types the facade uses their canonical names, located by where
/// they are used (see [`Contract::types`]): a referenced component is renamed,
/// an inline schema becomes a component, and a use that extends a component
/// with optional properties (`allOf: [Transaction, {properties: {callback_url}}]`)
/// adds them to the component, so every use shares one type. A request body
/// that is the very component another name is given to (DVS's single
/// `Transaction` with read-only and write-only fields) is left for
/// `split_read_write_only`.
pub fn canonical_names(spec: &mut Value, contract: &Contract) -> Result<usize, String> {
    let mut changed = 0;
    let canonical: Vec<&str> = contract.types.iter().map(|t| t.name).collect();
    for ty in contract.types {
        for site in ty.sites {
            let Ok(ptr) = locate(spec, site) else {
                continue; // reported by the needs check
            };
            changed += name_site(spec, &ptr, ty.name, &canonical, site)?;
        }
    }
    Ok(changed)
}

fn name_site(
    spec: &mut Value,
    ptr: &str,
    name: &str,
    canonical: &[&str],
    site: &Site,
) -> Result<usize, String> {
    let target_ref = format!("{SCHEMA_PREFIX}{name}");
    let schema = spec.pointer(ptr).cloned().unwrap_or_default();
    let exists = spec
        .pointer(&format!("/components/schemas/{}", escape(name)))
        .is_some();
    // `allOf: [{$ref: X}, {properties: ...}]`: fold the extension into X.
    if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
        let (refs, rest): (Vec<&Value>, Vec<&Value>) =
            members.iter().partition(|m| m.get("$ref").is_some());
        let extensions = rest.iter().all(|m| {
            m.as_object()
                .is_some_and(|o| o.keys().all(|k| EXTENSION_KEYS.contains(&k.as_str())))
        });
        if let ([base], true, false) = (refs.as_slice(), extensions, rest.is_empty()) {
            *spec.pointer_mut(ptr).expect("site") = (*base).clone();
            let n = name_site(spec, ptr, name, canonical, site)?;
            // The component the site now points at (a shared request body
            // keeps pointing at the other type's component).
            let here = spec.pointer(ptr).cloned().unwrap_or_default();
            let Some(component) = resolve::final_component(spec, &here).map(str::to_string) else {
                return Err(format!(
                    "`{name}`: the schema it extends is not a component"
                ));
            };
            let comp = format!("/components/schemas/{}", escape(&component));
            let Some(component) = spec.pointer_mut(&comp).and_then(Value::as_object_mut) else {
                return Err(format!("`{name}`: the schema it extends is not an object"));
            };
            let props = component
                .entry("properties")
                .or_insert_with(|| Value::Object(Map::new()));
            let closes = rest
                .iter()
                .any(|m| m.get("additionalProperties") == Some(&Value::Bool(false)));
            if let Some(props) = props.as_object_mut() {
                for ext in &rest {
                    if let Some(extra) = ext.get("properties").and_then(Value::as_object) {
                        for (k, v) in extra {
                            props.entry(k.clone()).or_insert_with(|| v.clone());
                        }
                    }
                }
            }
            if closes {
                component
                    .entry("additionalProperties")
                    .or_insert(Value::Bool(false));
            }
            return Ok(n + 1);
        }
    }
    // The reference of the site: `{$ref}` or a lone `{allOf: [{$ref}], flags}`.
    let holder = match schema
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        Some([one]) if one.get("$ref").is_some() => format!("{ptr}/allOf/0"),
        _ => ptr.to_string(),
    };
    let reference = spec.pointer(&holder).cloned().unwrap_or_default();
    match resolve::final_component(spec, &reference).map(str::to_string) {
        Some(current) if current == name => {
            if reference.get("$ref").and_then(Value::as_str) != Some(target_ref.as_str()) {
                *spec.pointer_mut(&holder).expect("site") = serde_json::json!({"$ref": target_ref});
                return Ok(1);
            }
            Ok(0)
        }
        Some(current) => {
            // A request body that is another canonical type's component is
            // split later.
            if matches!(site, Site::Body { .. }) && canonical.contains(&current.as_str()) {
                return Ok(0);
            }
            if exists {
                let a = spec.pointer(&format!("/components/schemas/{}", escape(&current)));
                let b = spec.pointer(&format!("/components/schemas/{}", escape(name)));
                if a != b {
                    return Err(format!(
                        "`{name}`: the schema used there is `{current}`, and another \
                         component is already called `{name}`"
                    ));
                }
                spec["components"]["schemas"]
                    .as_object_mut()
                    .expect("schemas")
                    .remove(&current);
                rename_refs(spec, &current, name);
                return Ok(1);
            }
            let schemas = spec["components"]["schemas"]
                .as_object_mut()
                .expect("schemas");
            let content = schemas.remove(&current).expect("component exists");
            schemas.insert(name.to_string(), content);
            rename_refs(spec, &current, name);
            Ok(1)
        }
        None => {
            if exists {
                let existing = spec
                    .pointer(&format!("/components/schemas/{}", escape(name)))
                    .cloned();
                if existing.as_ref() != Some(&schema) {
                    return Err(format!(
                        "`{name}`: an inline schema is used there, and another component \
                         is already called `{name}`"
                    ));
                }
            } else {
                // Flags and words stay where the schema is used: `readOnly` /
                // `nullable` belong to the property, not to the type.
                let mut schema = schema.clone();
                let mut site_flags = Map::new();
                if let Some(obj) = schema.as_object_mut() {
                    for k in ["readOnly", "writeOnly", "nullable", "description"] {
                        if let Some(v) = obj.remove(k) {
                            site_flags.insert(k.to_string(), v);
                        }
                    }
                }
                let mut at_site = Map::new();
                at_site.insert(
                    "allOf".into(),
                    Value::Array(vec![serde_json::json!({"$ref": target_ref})]),
                );
                at_site.extend(site_flags);
                *spec.pointer_mut(ptr).expect("site") = if at_site.len() == 1 {
                    serde_json::json!({"$ref": target_ref})
                } else {
                    Value::Object(at_site)
                };
                spec.as_object_mut()
                    .expect("document")
                    .entry("components")
                    .or_insert_with(|| Value::Object(Map::new()))
                    .as_object_mut()
                    .expect("components")
                    .entry("schemas")
                    .or_insert_with(|| Value::Object(Map::new()))
                    .as_object_mut()
                    .expect("schemas")
                    .insert(name.to_string(), schema);
                return Ok(1);
            }
            *spec.pointer_mut(ptr).expect("site") = serde_json::json!({"$ref": target_ref});
            Ok(1)
        }
    }
}

/// Lists what the facade needs and `spec` lacks; empty when nothing is
/// missing. Each line names the operation with its method and path.
pub fn missing_needs(spec: &Value, contract: &Contract) -> Vec<String> {
    let mut missing = Vec::new();
    let ops = operations(spec);
    for need in contract.operations {
        if !ops.contains_key(need.op) {
            missing.push(format!(
                "operation `{}` ({} {})",
                need.op, need.method, need.path
            ));
            continue;
        }
        for p in need.params {
            if locate(
                spec,
                &Site::Param {
                    op: need.op,
                    name: p,
                },
            )
            .is_err()
            {
                missing.push(format!(
                    "parameter `{p}` of operation `{}` ({} {})",
                    need.op, need.method, need.path
                ));
            }
        }
    }
    let describe = |site: &Site| -> String {
        let find = |op: &str| {
            contract
                .operations
                .iter()
                .find(|o| o.op == op)
                .map(|o| format!("`{op}` ({} {})", o.method, o.path))
                .unwrap_or_else(|| format!("`{op}`"))
        };
        match *site {
            Site::Response { op, item: false } => format!("the response of {}", find(op)),
            Site::Response { op, item: true } => format!("the items of {}", find(op)),
            Site::Body { op } => format!("the request body of {}", find(op)),
            Site::Param { op, name } => format!("parameter `{name}` of {}", find(op)),
            Site::Property { of, name } => format!("property `{name}` of `{of}`"),
        }
    };
    for ty in contract.types {
        let mut found = None;
        for site in ty.sites {
            if let Ok(ptr) = locate(spec, site) {
                found = Some((ptr, site));
                break;
            }
        }
        let Some((ptr, site)) = found else {
            if let Some(site) = ty.sites.first() {
                // A property of a type the document names otherwise: its
                // name is given later, and the type's own site is checked.
                if let Site::Property { of, .. } = site {
                    if spec
                        .pointer(&format!("/components/schemas/{}", escape(of)))
                        .is_none()
                    {
                        continue;
                    }
                }
                // The operation itself is reported above.
                let op_missing = match site {
                    Site::Response { op, .. } | Site::Body { op } | Site::Param { op, .. } => {
                        !ops.contains_key(*op)
                    }
                    Site::Property { .. } => false,
                };
                if !op_missing {
                    missing.push(format!("type `{}`: {}", ty.name, describe(site)));
                }
            }
            continue;
        };
        if ty.fields.is_empty() {
            continue;
        }
        let schema = spec.pointer(&ptr).cloned().unwrap_or_default();
        let names = resolve::property_names(spec, &schema);
        for f in ty.fields {
            if !names.iter().any(|n| n == f) {
                missing.push(format!(
                    "field `{f}` of type `{}` ({})",
                    ty.name,
                    describe(site)
                ));
            }
        }
    }
    missing
}

/// Fails with the list of [`missing_needs`], if any.
pub fn check_needs(spec: &Value, contract: &Contract) -> Result<(), String> {
    let missing = missing_needs(spec, contract);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the document lacks what the facade needs:\n  - {}",
            missing.join("\n  - ")
        ))
    }
}

const fn op(
    op: &'static str,
    method: &'static str,
    path: &'static str,
    params: &'static [&'static str],
) -> NeededOperation {
    NeededOperation {
        op,
        method,
        path,
        params,
    }
}

const fn ty(
    name: &'static str,
    sites: &'static [Site],
    fields: &'static [&'static str],
) -> Canonical {
    Canonical {
        name,
        sites,
        fields,
    }
}

const fn item(op: &'static str) -> Site {
    Site::Response { op, item: true }
}

const fn one(op: &'static str) -> Site {
    Site::Response { op, item: false }
}

const fn param(op: &'static str, name: &'static str) -> Site {
    Site::Param { op, name }
}

const fn body(op: &'static str) -> Site {
    Site::Body { op }
}

/// The paging parameters every list takes.
const PAGED: &[&str] = &["page", "per_page"];

/// Fields the facade reads of every transaction.
const TRANSACTION_FIELDS: &[&str] = &["id", "external_id", "status", "product", "pin"];

// Operations and types both versions' facades rely on, alike.
const GET_SERVICES: NeededOperation = op("getServices", "GET", "/services", PAGED);
const GET_SERVICE: NeededOperation = op(
    "getServiceById",
    "GET",
    "/services/{service_id}",
    &["service_id"],
);
const GET_COUNTRY: NeededOperation = op(
    "getCountryByIsoCode",
    "GET",
    "/countries/{country_iso_code}",
    &["country_iso_code"],
);
const GET_OPERATOR: NeededOperation = op(
    "getOperatorById",
    "GET",
    "/operators/{operator_id}",
    &["operator_id"],
);
const GET_BENEFIT_TYPES: NeededOperation = op("getBenefitTypes", "GET", "/benefit-types", PAGED);
const GET_TRANSACTION: NeededOperation = op(
    "getTransactionById",
    "GET",
    "/transactions/{transaction_id}",
    &["transaction_id"],
);
const GET_TRANSACTIONS: NeededOperation = op(
    "getTransactions",
    "GET",
    "/transactions",
    &[
        "external_id",
        "product_type",
        "service_id",
        "country_iso_code",
        "operator_id",
        "status_id",
        "credit_party_mobile_number",
        "credit_party_account_number",
        "from_date",
        "to_date",
        "page",
        "per_page",
    ],
);
const CANCEL: NeededOperation = op(
    "postTransactionCancel",
    "POST",
    "/transactions/{transaction_id}/cancel",
    &["transaction_id"],
);
const GET_BALANCES: NeededOperation = op("getBalances", "GET", "/balances", PAGED);

const PRODUCT: Canonical = ty(
    "Product",
    &[item("getProducts"), one("getProductById")],
    &[],
);
const TRANSACTION_PIN: Canonical = ty(
    "TransactionPin",
    &[Site::Property {
        of: "Transaction",
        name: "pin",
    }],
    &["code", "serial"],
);
const SERVICE: Canonical = ty(
    "Service",
    &[item("getServices"), one("getServiceById")],
    &[],
);
const COUNTRY: Canonical = ty(
    "Country",
    &[item("getCountries"), one("getCountryByIsoCode")],
    &[],
);
const OPERATOR: Canonical = ty(
    "Operator",
    &[item("getOperators"), one("getOperatorById")],
    &[],
);
const BENEFIT_TYPE: Canonical = ty("BenefitType", &[item("getBenefitTypes")], &[]);
const PROMOTION: Canonical = ty(
    "Promotion",
    &[item("getPromotions"), one("getPromotionById")],
    &[],
);
const BALANCE: Canonical = ty("Balance", &[item("getBalances")], &[]);
/// The identifier and code types, named by the parameters that take them.
const PARAMETER_TYPES: [Canonical; 9] = [
    ty(
        "CountryIsoCode",
        &[param("getProducts", "country_iso_code")],
        &[],
    ),
    ty("RegionCode", &[param("getProducts", "region")], &[]),
    ty("ProductTypes", &[param("getProducts", "type")], &[]),
    ty("ServiceID", &[param("getServiceById", "service_id")], &[]),
    ty(
        "OperatorID",
        &[param("getOperatorById", "operator_id")],
        &[],
    ),
    ty("ProductID", &[param("getProductById", "product_id")], &[]),
    ty(
        "PromotionID",
        &[param("getPromotionById", "promotion_id")],
        &[],
    ),
    ty(
        "TransactionID",
        &[param("getTransactionById", "transaction_id")],
        &[],
    ),
    ty(
        "GetTransactionsExternalId",
        &[param("getTransactions", "external_id")],
        &[],
    ),
];

/// What the 1.21.0 facade relies on.
pub const V1_21: Contract = Contract {
    operations: &[
        GET_SERVICES,
        GET_SERVICE,
        op(
            "getCountries",
            "GET",
            "/countries",
            &["service_id", "subservice_id", "page", "per_page"],
        ),
        GET_COUNTRY,
        op(
            "getOperators",
            "GET",
            "/operators",
            &[
                "country_iso_code",
                "service_id",
                "subservice_id",
                "page",
                "per_page",
            ],
        ),
        GET_OPERATOR,
        GET_BENEFIT_TYPES,
        op(
            "getPromotions",
            "GET",
            "/promotions",
            &[
                "country_iso_code",
                "operator_id",
                "product_id",
                "Accept-Language",
                "page",
                "per_page",
            ],
        ),
        op(
            "getPromotionById",
            "GET",
            "/promotions/{promotion_id}",
            &["promotion_id", "Accept-Language"],
        ),
        op(
            "getCampaigns",
            "GET",
            "/campaigns",
            &[
                "country_iso_code",
                "operator_id",
                "product_id",
                "page",
                "per_page",
            ],
        ),
        op(
            "getCampaignById",
            "GET",
            "/campaigns/{campaign_id}",
            &["campaign_id"],
        ),
        op(
            "getProducts",
            "GET",
            "/products",
            &[
                "type",
                "service_id",
                "subservice_id",
                "tags",
                "country_iso_code",
                "operator_id",
                "region",
                "benefit_types",
                "Accept-Language",
                "page",
                "per_page",
            ],
        ),
        op(
            "getProductById",
            "GET",
            "/products/{product_id}",
            &["product_id", "Accept-Language"],
        ),
        op("postTransactionAsync", "POST", "/async/transactions", &[]),
        op("postTransactionSync", "POST", "/sync/transactions", &[]),
        GET_TRANSACTION,
        GET_TRANSACTIONS,
        op(
            "postTransactionConfirmAsync",
            "POST",
            "/async/transactions/{transaction_id}/confirm",
            &["transaction_id"],
        ),
        op(
            "postTransactionConfirmSync",
            "POST",
            "/sync/transactions/{transaction_id}/confirm",
            &["transaction_id"],
        ),
        CANCEL,
        GET_BALANCES,
        op(
            "postLookupMobileNumber",
            "POST",
            "/lookup/mobile-number",
            &[],
        ),
        op(
            "postLookupStatementInquiry",
            "POST",
            "/lookup/statement-inquiry",
            &[],
        ),
        op(
            "postLookupCreditPartyBenefits",
            "POST",
            "/lookup/credit-party-benefits",
            &[],
        ),
        op(
            "postLookupCreditPartyStatus",
            "POST",
            "/lookup/credit-party-status",
            &[],
        ),
    ],
    types: &[
        PRODUCT,
        ty(
            "Transaction",
            &[
                one("postTransactionAsync"),
                one("getTransactionById"),
                item("getTransactions"),
                one("postTransactionSync"),
                one("postTransactionConfirmAsync"),
                one("postTransactionConfirmSync"),
                one("postTransactionCancel"),
            ],
            TRANSACTION_FIELDS,
        ),
        ty(
            "TransactionRequest",
            &[body("postTransactionAsync"), body("postTransactionSync")],
            &[],
        ),
        TRANSACTION_PIN,
        SERVICE,
        COUNTRY,
        OPERATOR,
        BENEFIT_TYPE,
        PROMOTION,
        ty(
            "Campaign",
            &[item("getCampaigns"), one("getCampaignById")],
            &[],
        ),
        BALANCE,
        ty(
            "MobileNumberOperator",
            &[
                item("postLookupMobileNumber"),
                item("getLookupMobileNumber"),
            ],
            &[],
        ),
        ty(
            "MobileNumberLookupRequest",
            &[body("postLookupMobileNumber")],
            &["mobile_number"],
        ),
        ty("Statement", &[item("postLookupStatementInquiry")], &[]),
        ty(
            "StatementInquiryRequest",
            &[body("postLookupStatementInquiry")],
            &["product_id", "account_number"],
        ),
        ty(
            "CreditPartyBenefit",
            &[item("postLookupCreditPartyBenefits")],
            &[],
        ),
        ty(
            "CreditPartyBenefitsRequest",
            &[body("postLookupCreditPartyBenefits")],
            &["service_id", "credit_party_identifier"],
        ),
        ty(
            "CreditPartyStatus",
            &[one("postLookupCreditPartyStatus")],
            &[],
        ),
        ty(
            "CreditPartyStatusRequest",
            &[body("postLookupCreditPartyStatus")],
            &["service_id", "credit_party_identifier"],
        ),
        PARAMETER_TYPES[0],
        PARAMETER_TYPES[1],
        PARAMETER_TYPES[2],
        PARAMETER_TYPES[3],
        ty(
            "SubServiceID",
            &[param("getProducts", "subservice_id")],
            &[],
        ),
        PARAMETER_TYPES[4],
        PARAMETER_TYPES[5],
        PARAMETER_TYPES[6],
        ty(
            "CampaignID",
            &[param("getCampaignById", "campaign_id")],
            &[],
        ),
        PARAMETER_TYPES[7],
        PARAMETER_TYPES[8],
    ],
};

/// What the 1.0.0 facade relies on.
pub const V1_0: Contract = Contract {
    operations: &[
        GET_SERVICES,
        GET_SERVICE,
        op("getCountries", "GET", "/countries", PAGED),
        GET_COUNTRY,
        op(
            "getOperators",
            "GET",
            "/operators",
            &["country_iso_code", "page", "per_page"],
        ),
        GET_OPERATOR,
        GET_BENEFIT_TYPES,
        op(
            "getPromotions",
            "GET",
            "/promotions",
            &[
                "country_iso_code",
                "operator_id",
                "product_id",
                "page",
                "per_page",
            ],
        ),
        op(
            "getPromotionById",
            "GET",
            "/promotions/{promotion_id}",
            &["promotion_id"],
        ),
        op(
            "getProducts",
            "GET",
            "/products",
            &[
                "type",
                "service_id",
                "tags",
                "country_iso_code",
                "operator_id",
                "region",
                "benefit_types",
                "page",
                "per_page",
            ],
        ),
        op(
            "getProductById",
            "GET",
            "/products/{product_id}",
            &["product_id"],
        ),
        op("postTransaction", "POST", "/transactions", &[]),
        GET_TRANSACTION,
        GET_TRANSACTIONS,
        op(
            "postTransactionConfirm",
            "POST",
            "/transactions/{transaction_id}/confirm",
            &["transaction_id"],
        ),
        CANCEL,
        GET_BALANCES,
    ],
    types: &[
        PRODUCT,
        ty(
            "Transaction",
            &[
                one("postTransaction"),
                one("getTransactionById"),
                item("getTransactions"),
                one("postTransactionConfirm"),
                one("postTransactionCancel"),
            ],
            TRANSACTION_FIELDS,
        ),
        ty("TransactionRequest", &[body("postTransaction")], &[]),
        TRANSACTION_PIN,
        SERVICE,
        COUNTRY,
        OPERATOR,
        BENEFIT_TYPE,
        PROMOTION,
        BALANCE,
        PARAMETER_TYPES[0],
        PARAMETER_TYPES[1],
        PARAMETER_TYPES[2],
        PARAMETER_TYPES[3],
        PARAMETER_TYPES[4],
        PARAMETER_TYPES[5],
        PARAMETER_TYPES[6],
        PARAMETER_TYPES[7],
        PARAMETER_TYPES[8],
    ],
};

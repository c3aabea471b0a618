//! Engine behaviour beyond single rules: cycles, shared components, moved
//! definitions.

use serde_json::{json, Value};
use xtask::diff::diff;

fn spec(paths: Value, schemas: Value) -> Value {
    json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths, "components": {"schemas": schemas}})
}

fn get(path_ref: &str) -> Value {
    json!({"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": path_ref}}}}}}})
}

#[test]
fn a_change_inside_a_recursive_schema_is_reported_once() {
    let category = |with_slug: bool| {
        let mut props = json!({
            "name": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Category"}},
            "parent": {"allOf": [{"$ref": "#/components/schemas/Category"}], "nullable": true}
        });
        if with_slug {
            props["slug"] = json!({"type": "string"});
        }
        json!({"Category": {"type": "object", "properties": props}})
    };
    let paths = json!({"/categories": get("#/components/schemas/Category"), "/tree": get("#/components/schemas/Category")});
    let report = diff(
        &spec(paths.clone(), category(true)),
        &spec(paths, category(false)),
    );
    assert_eq!(report.findings.len(), 1, "{:#?}", report.findings);
    let f = &report.findings[0];
    assert_eq!(f.rule, "response-field-removed");
    assert_eq!(f.message, "response field `Category.slug` removed");
    assert_eq!(f.operations, ["GET /categories", "GET /tree"]);
    assert_eq!(
        f.old_pointer,
        "/components/schemas/Category/properties/slug"
    );
    assert_eq!(f.new_pointer, "/components/schemas/Category/properties");
}

#[test]
fn a_component_renamed_and_reshuffled_through_all_of_is_no_change() {
    let old = spec(
        json!({"/pets": get("#/components/schemas/Pet")}),
        json!({"Pet": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}, "name": {"type": "string", "maxLength": 10}}}}),
    );
    let new = spec(
        json!({"/pets": get("#/components/schemas/Animal")}),
        json!({
            "Named": {"properties": {"name": {"$ref": "#/components/schemas/Name"}}},
            "Name": {"type": "string", "maxLength": 10, "description": "moved"},
            "Animal": {"allOf": [
                {"$ref": "#/components/schemas/Named"},
                {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}
            ]}
        }),
    );
    let report = diff(&old, &new);
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
}

#[test]
fn a_field_that_became_read_only_is_gone_from_requests_only() {
    let doc = |read_only: bool| {
        let mut id = json!({"type": "string"});
        if read_only {
            id["readOnly"] = json!(true);
        }
        spec(
            json!({"/things": {"post": {
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                "responses": {"201": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}
            }}}),
            json!({"Thing": {"type": "object", "properties": {"id": id, "name": {"type": "string"}}}}),
        )
    };
    let report = diff(&doc(false), &doc(true));
    let rules: Vec<&str> = report.findings.iter().map(|f| f.rule).collect();
    assert_eq!(rules, ["request-field-removed"]);
    assert_eq!(
        report.findings[0].message,
        "request field `Thing.id` removed"
    );
}

#[test]
fn documents_without_paths_or_with_odd_shapes_do_not_panic() {
    let empty = json!({"openapi": "3.0.3"});
    let odd = json!({"openapi": "3.0.3", "paths": {"/x": {"get": {"parameters": [1, {"name": "a"}], "responses": {"200": 5}, "callbacks": []}}}});
    for (a, b) in [(&empty, &odd), (&odd, &empty), (&odd, &odd)] {
        let _ = diff(a, b);
    }
    let report = diff(&empty, &odd);
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].rule, "endpoint-added");
}

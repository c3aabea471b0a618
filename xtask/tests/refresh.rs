//! `cargo xtask refresh` on copies of the workspace: nothing here touches the
//! network but loopback servers the tests start, and nothing writes into the
//! real `openapi/`.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn committed(file: &str) -> String {
    std::fs::read_to_string(root().join("openapi").join(file)).unwrap()
}

/// A scratch workspace root: `openapi/` only, or (`full`) the whole crate
/// without the target directory, hidden entries and the xtask member.
fn scratch(full: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy(&root().join("openapi"), &dir.path().join("openapi"));
    if full {
        for entry in std::fs::read_dir(root()).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || ["target", "xtask", "openapi"].contains(&name.as_str()) {
                continue;
            }
            copy(&entry.path(), &dir.path().join(&name));
        }
    }
    dir
}

fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

/// Every file under `dir/openapi`, with its bytes.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.join("openapi"))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

fn refresh(dir: &Path, args: &[&str]) -> Output {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("refresh")
        .arg("--root")
        .arg(dir)
        .args(args)
        // The crate copy that a refresh compiles reuses the workspace's
        // already-built dependencies.
        .env("CARGO_TARGET_DIR", target)
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The committed 1.21.0 spec with one more (optional) response field.
fn with_new_response_field() -> String {
    let mut spec: serde_json::Value = serde_json::from_str(&committed("dvs-1.21.0.json")).unwrap();
    spec["components"]["schemas"]["Balance"]["properties"]["note"] =
        serde_json::json!({"type": "string", "description": "A note."});
    serde_json::to_string(&spec).unwrap()
}

/// Serves one canned response per connection, `bodies.len()` times, on a
/// loopback port; returns the URL.
fn serve(bodies: Vec<(u16, String)>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/openapi.json", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for (status, body) in bodies {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

fn point_manifest_at(dir: &Path, url: &str) {
    let path = dir.join("openapi/specs.toml");
    let manifest = std::fs::read_to_string(&path).unwrap();
    let mut doc: toml_edit::DocumentMut = manifest.parse().unwrap();
    for t in doc["spec"].as_array_of_tables_mut().unwrap().iter_mut() {
        t["url"] = toml_edit::value(url);
    }
    std::fs::write(path, doc.to_string()).unwrap();
}

#[test]
fn the_committed_spec_from_a_file_is_no_change() {
    let dir = scratch(false);
    let before = snapshot(dir.path());
    let spec = root().join("openapi/dvs-1.21.0.json");
    let out = refresh(
        dir.path(),
        &["--from-file", spec.to_str().unwrap(), "dvs-v1_21"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with(
            "== dvs-v1_21: no changes (openapi/dvs-1.21.0.json, version 1.21.0, sha256 "
        ),
        "{stdout}"
    );
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn the_committed_spec_as_yaml_is_no_change_either() {
    // YAML input comes out in the stable JSON form, keys in document order.
    let dir = scratch(false);
    let before = snapshot(dir.path());
    let doc = xtask::doc::parse_text(&committed("dvs-1.21.0.json"), "spec").unwrap();
    let yaml = dir.path().join("dvs.yaml");
    std::fs::write(&yaml, serde_norway::to_string(&doc).unwrap()).unwrap();
    let out = refresh(
        dir.path(),
        &[
            "--check",
            "--from-file",
            yaml.to_str().unwrap(),
            "dvs-v1_21",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("no changes"));
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn a_spec_whose_normalization_fails_replaces_nothing() {
    // Without `default` responses the first fixup has nothing to fix: stale.
    let mut spec: serde_json::Value = serde_json::from_str(&committed("dvs-1.21.0.json")).unwrap();
    for item in spec["paths"].as_object_mut().unwrap().values_mut() {
        for op in item.as_object_mut().unwrap().values_mut() {
            op["responses"].as_object_mut().unwrap().remove("default");
        }
    }
    let dir = scratch(false);
    let before = snapshot(dir.path());
    let file = dir.path().join("stale.json");
    std::fs::write(&file, serde_json::to_string(&spec).unwrap()).unwrap();
    let out = refresh(
        dir.path(),
        &["--from-file", file.to_str().unwrap(), "dvs-v1_21"],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("error: dvs-v1_21: the normalization failed: spec fixup `default_response_to_error_ranges`: found nothing to fix")
            && stderr.contains("nothing was replaced"),
        "{stderr}"
    );
    assert!(text(&out.stdout)
        .starts_with("== dvs-v1_21: openapi/dvs-1.21.0.json 1.21.0 -> 1.21.0 (sha256 "));
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn documents_progenitor_cannot_take_are_rejected() {
    let dir = scratch(false);
    let before = snapshot(dir.path());
    let cases = [
        ("v31.json", "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"x\", \"version\": \"1\"}, \"paths\": {}}", "OpenAPI 3.1.0 is not supported"),
        ("swagger.yaml", "swagger: '2.0'\ninfo: {title: x, version: '1'}\n", "a Swagger 2.0 document"),
        ("cut.json", "{\"openapi\": \"3.0.3\", \"paths\": {", "not valid JSON"),
        ("tabs.yaml", "openapi: 3.0.3\npaths:\n\t/x: {}\n", "neither JSON nor valid YAML"),
        ("shape.yaml", "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: []\n", "not an OpenAPI 3.0 document progenitor can read"),
    ];
    for (name, content, needle) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, content).unwrap();
        let out = refresh(
            dir.path(),
            &["--from-file", file.to_str().unwrap(), "dvs-v1_21"],
        );
        assert_eq!(out.status.code(), Some(2), "{name}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains(needle) && stderr.contains(name),
            "{name}: {stderr}"
        );
    }
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn check_downloads_and_exits_1_only_when_upstream_differs() {
    let dir = scratch(false);
    let url = serve(vec![
        (200, committed("dvs-1.21.0.json")),
        (200, with_new_response_field()),
    ]);
    point_manifest_at(dir.path(), &url);
    let before_manifest = snapshot(dir.path());

    let out = refresh(dir.path(), &["--check", "dvs-v1_21"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("== dvs-v1_21: no changes"));
    assert!(text(&out.stderr).contains(&format!("downloading {url}")));

    let out = refresh(dir.path(), &["--check", "--no-compile", "dvs-v1_21"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("INFO     response-field-added  response field `Balance.note` added"),
        "{stdout}"
    );
    assert!(stdout.contains("nothing written (--check)"));
    assert!(text(&out.stderr).contains("differ from their source"));
    assert_eq!(snapshot(dir.path()), before_manifest);
}

#[test]
fn download_failures_name_the_url() {
    let dir = scratch(false);
    // A port nothing listens on any more.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let closed = format!("http://127.0.0.1:{port}/openapi.json");
    point_manifest_at(dir.path(), &closed);
    let out = refresh(dir.path(), &["--check", "dvs-v1_21"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!("error: cannot download {closed}"))
            && stderr.contains("--from-file"),
        "{stderr}"
    );

    let url = serve(vec![(404, "{}".into())]);
    point_manifest_at(dir.path(), &url);
    let out = refresh(dir.path(), &["--check", "dvs-v1_21"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "cannot download {url}: the server answered HTTP 404"
        )) && stderr.contains("marks this URL as not verified"),
        "{stderr}"
    );
}

#[test]
fn bad_invocations_are_refused_before_any_work() {
    let dir = scratch(false);
    let spec = root().join("openapi/dvs-1.21.0.json");
    let spec = spec.to_str().unwrap();
    let cases: [(&[&str], &str); 4] = [
        (
            &["--no-compile", "--from-file", spec, "dvs-v1_21"],
            "--no-compile is only allowed with --check or --dry-run",
        ),
        (
            &["--from-file", spec],
            "--from-file takes exactly one spec NAME",
        ),
        (&["dvs-v1_0"], "`dvs-v1_0` is frozen"),
        (&["--check", "dvs-v2"], "no spec named `dvs-v2`"),
    ];
    for (args, needle) in cases {
        let out = refresh(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).contains(needle),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn a_changed_spec_is_compiled_then_written_with_its_manifest_entry() {
    let dir = scratch(true);
    let file = dir.path().join("new.json");
    std::fs::write(&file, with_new_response_field()).unwrap();

    // --dry-run does the whole check and writes nothing.
    let before = snapshot(dir.path());
    let out = refresh(
        dir.path(),
        &[
            "--dry-run",
            "--no-compile",
            "--from-file",
            file.to_str().unwrap(),
            "dvs-v1_21",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("nothing written (--dry-run)"));
    assert_eq!(snapshot(dir.path()), before);

    let out = refresh(
        dir.path(),
        &["--from-file", file.to_str().unwrap(), "dvs-v1_21"],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("==> cargo check of the crate with the new spec(s)"),
        "{stderr}"
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("response field `Balance.note` added"),
        "{stdout}"
    );
    assert!(
        stdout.contains("wrote 1 spec(s) and openapi/specs.toml"),
        "{stdout}"
    );

    let written = std::fs::read_to_string(dir.path().join("openapi/dvs-1.21.0.json")).unwrap();
    let doc = xtask::doc::parse_text(&with_new_response_field(), "new").unwrap();
    assert_eq!(written, xtask::doc::stable_text(&doc));
    assert!(
        written.contains("      \"note\": {\n"),
        "pretty, in document order"
    );
    let sha = {
        use sha2::Digest;
        sha2::Sha256::digest(written.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let manifest = xtask::manifest::Manifest::load(&dir.path().join("openapi/specs.toml")).unwrap();
    let entry = manifest.get("dvs-v1_21").unwrap();
    assert_eq!(
        (entry.sha256.as_str(), entry.version.as_str()),
        (sha.as_str(), "1.21.0")
    );
    // The frozen spec is untouched.
    assert_eq!(
        manifest.get("dvs-v1_0"),
        xtask::manifest::Manifest::load(&root().join("openapi/specs.toml"))
            .unwrap()
            .get("dvs-v1_0")
    );

    // Running it again finds nothing to do.
    let out = refresh(
        dir.path(),
        &[
            "--check",
            "--from-file",
            file.to_str().unwrap(),
            "dvs-v1_21",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("no changes"));
}

#[test]
fn a_changed_spec_that_cannot_be_compiled_replaces_nothing() {
    // A root without the crate: the compile step cannot run.
    let dir = scratch(false);
    let before = snapshot(dir.path());
    let file = dir.path().join("new.json");
    std::fs::write(&file, with_new_response_field()).unwrap();
    let out = refresh(
        dir.path(),
        &["--from-file", file.to_str().unwrap(), "dvs-v1_21"],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("no Cargo.toml, so no crate to compile the new spec with")
            && stderr.contains("nothing was replaced"),
        "{stderr}"
    );
    // The report comes first, so it is there when a later step fails.
    assert!(
        text(&out.stdout).contains("response field `Balance.note` added"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(snapshot(dir.path()), before);
}

/// A public copy of one of the vendor's own documents, read from beside the
/// checkout; `None` (the test skips) when it is not there.
fn vendor_document(name: &str) -> Option<PathBuf> {
    let path = root()
        .join("..")
        .join("shared")
        .join("reference")
        .join(name);
    if path.is_file() {
        Some(path)
    } else {
        eprintln!("skipped: {} is not beside the checkout", path.display());
        None
    }
}

/// The vendor's 1.23.0 document, as published (with a third party's
/// lower-case alias schemas): normalized, generated and compiled with the
/// whole crate, facade included; its report lists the vendor's changes and
/// nothing that normalization adds.
#[test]
fn the_vendors_1_23_document_refreshes_and_compiles() {
    let Some(file) = vendor_document("dvs-openapi-1.23.0.json") else {
        return;
    };
    let dir = scratch(true);
    let before = snapshot(dir.path());
    let out = refresh(
        dir.path(),
        &[
            "--dry-run",
            "--from-file",
            file.to_str().unwrap(),
            "dvs-v1_21",
        ],
    );
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        text(&out.stderr)
    );
    assert!(
        stdout.contains("optional query parameter `sort` added"),
        "{stdout}"
    );
    assert!(stdout.contains("`transaction.metadata` added"), "{stdout}");
    for ours in ["Ratelimit", "callback", "BREAKING"] {
        assert!(!stdout.contains(ours), "{ours} in the report:\n{stdout}");
    }
    assert!(stdout.contains("nothing written (--dry-run)"));
    assert_eq!(snapshot(dir.path()), before);
}

/// The vendor's 1.14.0 document lacks what the 1.21 facade calls: the refresh
/// stops before generating code, with the list of exactly those needs.
#[test]
fn the_vendors_1_14_document_is_stopped_with_the_facades_needs() {
    let Some(file) = vendor_document("dvs-openapi-1.14.0.json") else {
        return;
    };
    let dir = scratch(false);
    let before = snapshot(dir.path());
    let out = refresh(
        dir.path(),
        &[
            "--dry-run",
            "--from-file",
            file.to_str().unwrap(),
            "dvs-v1_21",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    for need in [
        "spec fixup `facade_needs`: the document lacks what the facade needs:",
        "operation `postLookupCreditPartyBenefits` (POST /lookup/credit-party-benefits)",
        "operation `postLookupCreditPartyStatus` (POST /lookup/credit-party-status)",
        "parameter `subservice_id` of operation `getCountries` (GET /countries)",
        "parameter `Accept-Language` of operation `getProducts` (GET /products)",
    ] {
        assert!(stderr.contains(need), "{need} missing from:\n{stderr}");
    }
    assert!(!stderr.contains("error["), "a rustc error:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(snapshot(dir.path()), before);
}

/// A document in other spellings than ours: no `operationId`s, components
/// renamed, lower-case aliases, an inline list item: the names the facade
/// relies on still come out, and it normalizes.
#[test]
fn other_spellings_of_the_document_normalize_to_the_same_names() {
    let mut spec: serde_json::Value = serde_json::from_str(&committed("dvs-1.21.0.json")).unwrap();
    // No operation ids.
    for item in spec["paths"].as_object_mut().unwrap().values_mut() {
        for op in item.as_object_mut().unwrap().values_mut() {
            if let Some(op) = op.as_object_mut() {
                op.remove("operationId");
            }
        }
    }
    // `Transaction` renamed and reached through a lower-case alias; the
    // country code schema renamed.
    let respelled = serde_json::to_string(&spec)
        .unwrap()
        .replace(
            "#/components/schemas/Transaction\"",
            "#/components/schemas/TxAlias\"",
        )
        .replace(
            "#/components/schemas/X-ISO-3166-1_Alpha-3\"",
            "#/components/schemas/iso_country\"",
        );
    let mut spec: serde_json::Value = serde_json::from_str(&respelled).unwrap();
    let schemas = spec["components"]["schemas"].as_object_mut().unwrap();
    let tx = schemas.remove("Transaction").unwrap();
    schemas.insert("tx_record".into(), tx);
    schemas.insert(
        "TxAlias".into(),
        serde_json::json!({"$ref": "#/components/schemas/tx_record"}),
    );
    let iso = schemas.remove("X-ISO-3166-1_Alpha-3").unwrap();
    schemas.insert("iso_country".into(), iso);
    // A product type this crate does not know, composed as the vendor does.
    schemas.insert(
        "ProductNewKind".into(),
        serde_json::json!({"allOf": [
            {"$ref": "#/components/schemas/ProductBase"},
            {"type": "object", "properties": {
                "type": {"type": "string", "enum": ["NEW_KIND"]},
                "new_field": {"type": "string"}}}
        ]}),
    );
    let product = schemas.get_mut("Product").unwrap();
    product["oneOf"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"$ref": "#/components/schemas/ProductNewKind"}));
    if let Some(mapping) = product.pointer_mut("/discriminator/mapping") {
        mapping["NEW_KIND"] = "#/components/schemas/ProductNewKind".into();
    }
    // The country list's item written inline instead of referenced.
    let country = schemas["Country"].clone();
    spec["paths"]["/countries"]["get"]["responses"]["200"]["content"]["application/json"]
        ["schema"]["items"] = country;
    let dir = scratch(true);
    let file = dir.path().join("respelled.json");
    std::fs::write(&file, serde_json::to_string_pretty(&spec).unwrap()).unwrap();
    let out = refresh(
        dir.path(),
        &[
            "--dry-run",
            "--from-file",
            file.to_str().unwrap(),
            "dvs-v1_21",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

/// A program, compiled against the crate built from a changed spec, that
/// lists products through the facade with a filter only the changed spec has
/// and prints the request line a loopback server received.
const NEW_FILTER_PROGRAM: &str = r##"
use std::io::{Read, Write};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && conn.read(&mut byte).unwrap() == 1 {
            head.push(byte[0]);
        }
        let body = r#"[{"id": 1, "name": "Mobile"}]"#;
        let answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-page: 1\r\nx-per-page: 100\r\nx-total: 1\r\nx-total-pages: 1\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        conn.write_all(answer.as_bytes()).unwrap();
        String::from_utf8_lossy(&head).lines().next().unwrap_or_default().to_string()
    });
    let client = dvs::v1_21::Client::builder()
        .base_url(&url)
        .credentials(dvs::Credentials::new("key", "secret"))
        .build()
        .unwrap();
    let services = client
        .services(|q| q.partner_segment("SMB"))
        .collect_all()
        .await
        .unwrap();
    println!("items: {}", services.len());
    println!("request: {}", server.join().unwrap());
}
"##;

/// A filter the vendor adds to a list reaches the facade's paging with no
/// hand-written line: a copy of the crate, whose 1.21.0 spec has one more
/// query parameter on `GET /services`, is generated and compiled, and a
/// program using the new filter through `client.services(..)` sends it.
#[test]
fn a_query_parameter_added_to_the_spec_is_a_filter_of_the_facade() {
    let dir = scratch(true);
    let mut spec: serde_json::Value = serde_json::from_str(&committed("dvs-1.21.0.json")).unwrap();
    let params = spec["paths"]["/services"]["get"]["parameters"]
        .as_array_mut()
        .expect("GET /services has parameters");
    params.push(serde_json::json!({
        "name": "partner_segment",
        "in": "query",
        "required": false,
        "description": "Only services offered to this segment.",
        "schema": {"type": "string", "maxLength": 16}
    }));
    std::fs::write(
        dir.path().join("openapi").join("dvs-1.21.0.json"),
        serde_json::to_string_pretty(&spec).unwrap(),
    )
    .unwrap();
    // The copy is a workspace of its own (the xtask member is not copied).
    let manifest = dir.path().join("Cargo.toml");
    let manifest_text = std::fs::read_to_string(&manifest)
        .unwrap()
        .replace(r#"members = [".", "xtask"]"#, r#"members = ["."]"#);
    std::fs::write(&manifest, manifest_text).unwrap();
    std::fs::create_dir_all(dir.path().join("examples")).unwrap();
    std::fs::write(
        dir.path().join("examples").join("new_filter.rs"),
        NEW_FILTER_PROGRAM,
    )
    .unwrap();

    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let out = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["run", "--quiet", "--example", "new_filter"])
        .current_dir(dir.path())
        .env("CARGO_TARGET_DIR", target)
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}\n{stdout}", text(&out.stderr));
    assert!(stdout.contains("items: 1"), "{stdout}");
    let request = stdout
        .lines()
        .find_map(|l| l.strip_prefix("request: "))
        .unwrap_or_default();
    assert!(
        request.starts_with("GET /v1/services?") && request.contains("partner_segment=SMB"),
        "{request}"
    );
    assert!(
        request.contains("page=1") && request.contains("per_page=100"),
        "{request}"
    );
}

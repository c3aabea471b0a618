//! TLS: an `https` client builds (no process-wide crypto provider needed)
//! and opens its connections with a TLS handshake; the default build carries
//! no aws-lc and no OpenSSL.

use std::process::Command;

/// The crates of the default build, runtime and build scripts, as
/// `cargo tree` prints them; `None` when cargo cannot be run here.
fn default_tree() -> Option<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args("tree -p dvs -e normal,build --prefix none --offline".split(' '))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!(
            "skipped: cargo tree failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    Some(String::from_utf8(out.stdout).expect("cargo tree prints UTF-8"))
}

#[test]
fn the_default_build_has_rustls_on_ring_and_no_aws_lc_or_openssl() {
    let Some(tree) = default_tree() else {
        return;
    };
    let crates: std::collections::BTreeSet<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    for present in ["rustls", "ring", "reqwest"] {
        assert!(crates.contains(present), "{present} missing: {crates:?}");
    }
    for absent in [
        "aws-lc-sys",
        "aws-lc-rs",
        "cmake",
        "openssl-sys",
        "native-tls",
        "h2",
    ] {
        assert!(!crates.contains(absent), "{absent} in the default build");
    }
}

#[cfg(all(feature = "v1_21", any(feature = "rustls", feature = "native-tls")))]
mod handshake {
    use dvs::{v1_21, Credentials, Error, RetryPolicy};
    use std::time::Duration;
    use tokio::io::AsyncReadExt;
    use tokio::net::TcpListener;

    /// The client's first bytes on an `https` base URL are a TLS ClientHello
    /// offering the HTTP versions the client speaks; the failed handshake
    /// (the server hangs up) is a transport error, not a panic.
    #[tokio::test]
    async fn an_https_client_builds_and_opens_with_a_client_hello() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut hello = Vec::new();
            let mut buf = [0u8; 4096];
            // A record header (5 bytes) and its body: the whole ClientHello.
            while hello.len() < 5
                || hello.len() < 5 + u16::from_be_bytes([hello[3], hello[4]]) as usize
            {
                let n = socket.read(&mut buf).await.unwrap();
                if n == 0 {
                    break;
                }
                hello.extend_from_slice(&buf[..n]);
            }
            hello
        });

        let client = v1_21::Client::builder()
            .base_url(format!("https://127.0.0.1:{port}/v1"))
            .credentials(Credentials::new("key", "secret"))
            .retry(RetryPolicy::none())
            .connect_timeout(Duration::from_secs(5))
            .build()
            .expect("an https client builds");
        let result = tokio::time::timeout(Duration::from_secs(10), client.campaign(1))
            .await
            .expect("the call ends once the server hangs up");
        let hello = tokio::time::timeout(Duration::from_secs(10), server)
            .await
            .unwrap()
            .unwrap();

        assert!(matches!(result, Err(Error::Transport { .. })), "{result:?}");
        assert_eq!(hello[0], 0x16, "a TLS handshake record");
        assert_eq!(hello[1], 0x03, "TLS record version 3.x");
        assert_eq!(hello[5], 0x01, "a ClientHello");
        let offers = |proto: &[u8]| hello.windows(proto.len()).any(|w| w == proto);
        assert!(offers(b"http/1.1"), "ALPN offers HTTP/1.1");
        assert_eq!(offers(b"\x02h2"), cfg!(feature = "http2"), "ALPN h2");
        // Nothing of the request, credentials included, goes out in clear.
        assert!(!offers(b"campaigns"));
        assert!(!offers(b"Authorization"));
    }
}

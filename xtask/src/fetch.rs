//! Downloading a spec, with timeouts and a progress line.

use std::io::{IsTerminal, Read, Write};
use std::time::Duration;

/// A spec larger than this is not a spec.
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Progress messages on stderr: one line per step, and a live byte count
/// while downloading when stderr is a terminal.
pub struct Progress {
    live: bool,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            live: std::io::stderr().is_terminal(),
        }
    }
}

impl Progress {
    /// Announces a step.
    pub fn step(&self, message: &str) {
        eprintln!("==> {message}");
    }

    fn bytes(&self, got: u64, total: Option<u64>) {
        if !self.live {
            return;
        }
        let mut err = std::io::stderr();
        let _ = match total {
            Some(t) => write!(err, "\r    {} / {} KiB", got / 1024, t.div_ceil(1024)),
            None => write!(err, "\r    {} KiB", got / 1024),
        };
        let _ = err.flush();
    }

    fn done(&self, got: u64) {
        if self.live {
            eprintln!();
        }
        eprintln!("    received {} KiB", got.div_ceil(1024));
    }
}

/// Downloads `url` as text. Errors name the URL and say what to do when
/// offline.
pub fn download(url: &str, progress: &Progress) -> Result<String, String> {
    progress.step(&format!("downloading {url}"));
    let offline_hint = "offline? take the spec from a file with --from-file PATH";
    // TLS runs on rustls with the ring provider; this command owns its
    // process, so the provider is installed process-wide (a second install
    // is refused and changes nothing).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::blocking::Client::builder()
        .connect_timeout(Duration::from_secs(15))
        .timeout(Duration::from_secs(120))
        .user_agent(concat!("dvs-xtask/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot start an HTTP client: {e}"))?;
    let mut response = client
        .get(url)
        .send()
        .map_err(|e| format!("cannot download {url}: {} ({offline_hint})", chain(&e)))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!(
            "cannot download {url}: the server answered HTTP {status}"
        ));
    }
    let total = response.content_length();
    let mut body = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = response.read(&mut buf).map_err(|e| {
            format!("cannot download {url}: the transfer failed: {e} ({offline_hint})")
        })?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&buf[..n]);
        if body.len() as u64 > MAX_BYTES {
            return Err(format!(
                "cannot download {url}: more than {} MiB, not a spec",
                MAX_BYTES / 1024 / 1024
            ));
        }
        progress.bytes(body.len() as u64, total);
    }
    progress.done(body.len() as u64);
    String::from_utf8(body).map_err(|_| format!("{url}: the document is not UTF-8 text"))
}

/// An error and its sources on one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        let text = inner.to_string();
        if !s.contains(&text) {
            s.push_str(": ");
            s.push_str(&text);
        }
        source = inner.source();
    }
    s
}

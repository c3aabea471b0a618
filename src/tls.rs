//! The TLS set-up of every HTTP client the crate builds.
//!
//! With the `rustls` feature (the default), TLS runs on rustls with the `ring`
//! crypto provider, handed to each client in its own configuration: nothing
//! is installed process-wide, so an application's own choice of rustls
//! provider is left alone. Server certificates are checked against the
//! platform's roots. With the `native-tls` feature the platform's TLS library
//! is used instead (it wins when both features are on). TLS 1.2 is the
//! minimum either way. Without either feature the clients speak plain HTTP
//! only.

/// Whether the crate was built with a TLS back end (`https` base URLs work).
pub(crate) const HTTPS: bool = cfg!(any(feature = "rustls", feature = "native-tls"));

/// The error of a TLS set-up that could not be made.
pub(crate) type SetupError = Box<dyn std::error::Error + Send + Sync>;

/// A `reqwest` client builder with the crate's TLS set-up, for an HTTP client
/// of your own, such as the one a raw client takes
/// (`raw::Client::new_with_client`).
///
/// With the `rustls` feature reqwest has no crypto provider of its own: a
/// client made by `reqwest::Client::builder()` directly (and the generated
/// `raw::Client::new`, which makes one) panics unless the application has
/// installed a process-wide rustls provider, for example with
/// `rustls::crypto::ring::default_provider().install_default()`. Clients
/// from this builder carry their own.
///
/// # Errors
///
/// [`Error::Transport`](crate::Error::Transport) when the platform's
/// certificate roots cannot be loaded.
pub fn http_client_builder() -> Result<reqwest::ClientBuilder, crate::Error> {
    client_builder().map_err(|source| crate::Error::Transport {
        outcome: crate::Outcome::NotApplicable,
        source,
    })
}

/// A `reqwest` client builder carrying the crate's TLS set-up. Fails when the
/// platform's certificate roots cannot be loaded.
pub(crate) fn client_builder() -> Result<reqwest::ClientBuilder, SetupError> {
    let builder = reqwest::Client::builder();
    #[cfg(feature = "native-tls")]
    let builder = builder
        .tls_backend_native()
        .tls_version_min(reqwest::tls::Version::TLS_1_2);
    #[cfg(all(feature = "rustls", not(feature = "native-tls")))]
    let builder = builder.tls_backend_preconfigured(ring_config::config(Roots::Platform)?);
    Ok(builder)
}

/// Like [`client_builder`], but when the platform's roots cannot be loaded the
/// client still works for plain HTTP, and every `https` connection fails its
/// certificate check.
#[cfg(feature = "simulator")]
pub(crate) fn client_builder_lenient() -> reqwest::ClientBuilder {
    match client_builder() {
        Ok(builder) => builder,
        #[cfg(all(feature = "rustls", not(feature = "native-tls")))]
        // A configuration without roots fails only if ring lacked both TLS
        // 1.2 and 1.3; reqwest then reports the unrecognised back end as a
        // build error.
        Err(_) => match ring_config::config(Roots::None) {
            Ok(config) => reqwest::Client::builder().tls_backend_preconfigured(config),
            Err(_) => reqwest::Client::builder().tls_backend_preconfigured(()),
        },
        #[cfg(not(all(feature = "rustls", not(feature = "native-tls"))))]
        Err(_) => reqwest::Client::builder(),
    }
}

#[cfg(feature = "rustls")]
#[cfg_attr(feature = "native-tls", allow(dead_code))]
enum Roots {
    /// The platform's certificate roots.
    Platform,
    /// No roots: every server certificate is rejected.
    #[cfg_attr(not(feature = "simulator"), allow(dead_code))]
    None,
}

#[cfg(feature = "rustls")]
#[cfg_attr(feature = "native-tls", allow(dead_code))]
mod ring_config {
    use super::Roots;
    use ::rustls::{ClientConfig, RootCertStore};
    use std::sync::Arc;

    /// A rustls client configuration on the ring provider: TLS 1.3 and 1.2,
    /// the given roots, ALPN for the HTTP versions the client speaks.
    pub(super) fn config(roots: Roots) -> Result<ClientConfig, ::rustls::Error> {
        let provider = Arc::new(::rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()?;
        let mut config = match roots {
            Roots::Platform => {
                let verifier = rustls_platform_verifier::Verifier::new(provider)?;
                builder
                    .dangerous()
                    .with_custom_certificate_verifier(Arc::new(verifier))
                    .with_no_client_auth()
            }
            Roots::None => builder
                .with_root_certificates(RootCertStore::empty())
                .with_no_client_auth(),
        };
        config.alpn_protocols = if cfg!(feature = "http2") {
            vec![b"h2".to_vec(), b"http/1.1".to_vec()]
        } else {
            vec![b"http/1.1".to_vec()]
        };
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_builds_without_a_process_wide_provider() {
        // No provider was installed by anyone: the per-client one is used.
        #[cfg(feature = "rustls")]
        assert!(::rustls::crypto::CryptoProvider::get_default().is_none());
        let client = client_builder().expect("platform roots").build();
        assert!(client.is_ok(), "{client:?}");
        #[cfg(feature = "simulator")]
        assert!(client_builder_lenient().build().is_ok());
    }

    /// The rustls set-up, also when `native-tls` takes precedence.
    #[cfg(feature = "rustls")]
    #[test]
    fn the_ring_configuration_builds_a_client() {
        for roots in [Roots::Platform, Roots::None] {
            let config = ring_config::config(roots).expect("a configuration");
            let alpn: Vec<&[u8]> = config.alpn_protocols.iter().map(Vec::as_slice).collect();
            if cfg!(feature = "http2") {
                assert_eq!(alpn, [&b"h2"[..], b"http/1.1"]);
            } else {
                assert_eq!(alpn, [b"http/1.1"]);
            }
            let client = reqwest::Client::builder()
                .tls_backend_preconfigured(config)
                .build();
            assert!(client.is_ok(), "{client:?}");
        }
    }
}

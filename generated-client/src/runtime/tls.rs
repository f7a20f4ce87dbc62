//! The HTTP client this crate builds for itself, with the TLS its features choose.
//!
//! reqwest 0.13's `rustls` feature brings the aws-lc-rs crypto provider (a long C build), and its
//! `rustls-no-provider` panics when a client is built with no provider installed. The rustls
//! features therefore build their own rustls config with the ring provider, passed explicitly:
//! the library never installs a process-wide provider, which belongs to the application.

/// A `reqwest::ClientBuilder` with this crate's TLS choice: native-tls when that feature is on
/// (as reqwest itself prefers it), else rustls with the platform's verifier and roots
/// (`rustls-tls-native-roots`), else rustls with the webpki roots (`rustls-tls`). Without a TLS
/// feature, only `http://` base URLs work, as in reqwest.
pub(crate) fn http_client_builder() -> Result<reqwest::ClientBuilder, String> {
    let builder = reqwest::Client::builder();
    #[cfg(feature = "native-tls")]
    let builder = builder.tls_backend_native();
    #[cfg(all(
        not(feature = "native-tls"),
        any(feature = "rustls-tls", feature = "rustls-tls-native-roots")
    ))]
    let builder = builder.tls_backend_preconfigured(rustls_config()?);
    Ok(builder)
}

/// The rustls config of the rustls features: ring, the safe default protocol versions (TLS 1.2
/// and 1.3), and the platform's roots when `rustls-tls-native-roots` is on, else the webpki ones.
/// ALPN offers HTTP/1.1 only: reqwest is built without HTTP/2 here.
#[cfg(any(feature = "rustls-tls", feature = "rustls-tls-native-roots"))]
#[cfg_attr(feature = "native-tls", allow(dead_code))] // native-tls wins; the tests still build it
pub(crate) fn rustls_config() -> Result<rustls::ClientConfig, String> {
    use std::sync::Arc;

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| format!("TLS protocol versions: {err}"))?;
    #[cfg(feature = "rustls-tls-native-roots")]
    let builder = {
        use rustls_platform_verifier::BuilderVerifierExt;
        builder
            .with_platform_verifier()
            .map_err(|err| format!("the platform's TLS verifier: {err}"))?
    };
    #[cfg(not(feature = "rustls-tls-native-roots"))]
    let builder = builder.with_root_certificates(rustls::RootCertStore::from_iter(
        webpki_roots::TLS_SERVER_ROOTS.iter().cloned(),
    ));
    let mut config = builder.with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(test)]
mod tests {
    use crate::Client;

    #[test]
    fn a_client_for_an_https_host_builds_with_this_feature_set() {
        // Run under each TLS feature set (see generated-client/README.md): building must not
        // panic for want of a crypto provider, and nothing here installs one process-wide.
        let client = Client::builder("app-key", "app-secret")
            .base_url("https://api.netease.im")
            .build();
        assert!(client.is_ok(), "{:?}", client.err());
    }

    /// What the test above guards against: reqwest 0.13's `rustls-no-provider` alone cannot
    /// build a client, so the crate's own config is what makes it work.
    #[cfg(all(
        not(feature = "native-tls"),
        any(feature = "rustls-tls", feature = "rustls-tls-native-roots")
    ))]
    #[test]
    fn a_bare_reqwest_client_has_no_provider_to_build_with() {
        assert!(rustls::crypto::CryptoProvider::get_default().is_none());
        let bare = std::panic::catch_unwind(|| reqwest::Client::builder().build());
        assert!(bare.is_err(), "reqwest found a crypto provider of its own");
    }

    #[cfg(any(feature = "rustls-tls", feature = "rustls-tls-native-roots"))]
    #[test]
    fn the_rustls_config_uses_ring_and_offers_http1() {
        let config = super::rustls_config().unwrap();
        let names = |suites: &[rustls::SupportedCipherSuite]| {
            suites.iter().map(|s| s.suite()).collect::<Vec<_>>()
        };
        assert_eq!(
            names(&config.crypto_provider().cipher_suites),
            names(&rustls::crypto::ring::default_provider().cipher_suites)
        );
        assert_eq!(config.alpn_protocols, [b"http/1.1".to_vec()]);
    }
}

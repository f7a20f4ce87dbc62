//! Request signing: the `AppKey`, `Nonce`, `CurTime` and `CheckSum` headers that every v1 and
//! v2 request carries.
//!
//! `CheckSum` is the SHA-1 of `AppSecret + Nonce + CurTime` as 40 lowercase hex digits; the
//! AppSecret itself never travels over the wire and never appears in any `Debug` or `Display`.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sha1::{Digest, Sha1};

/// The vendor's upper bound on the length of a `Nonce`, in characters.
pub const MAX_NONCE_CHARS: usize = 128;

/// An application's key and secret. `Debug` never shows the secret.
#[derive(Clone)]
pub struct Credentials {
    app_key: String,
    app_secret: String,
}

impl Credentials {
    /// Credentials for the application `app_key` with its `app_secret`.
    pub fn new(app_key: impl Into<String>, app_secret: impl Into<String>) -> Self {
        Credentials {
            app_key: app_key.into(),
            app_secret: app_secret.into(),
        }
    }

    /// The application's key, sent as the `AppKey` header.
    pub fn app_key(&self) -> &str {
        &self.app_key
    }

    /// The secret, for signing only; deliberately not public so it cannot leak through the API.
    pub(crate) fn app_secret(&self) -> &str {
        &self.app_secret
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("app_key", &self.app_key)
            .field("app_secret", &"<redacted>")
            .finish()
    }
}

/// The `CheckSum` header: lowercase hex SHA-1 of `app_secret + nonce + cur_time`.
pub fn checksum(app_secret: &str, nonce: &str, cur_time: &str) -> String {
    let mut hasher = Sha1::new();
    hasher.update(app_secret.as_bytes());
    hasher.update(nonce.as_bytes());
    hasher.update(cur_time.as_bytes());
    format!("{:x}", hasher.finalize())
}

/// The source of `CurTime`: UTC Unix time in seconds.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Seconds since the Unix epoch.
    fn unix_seconds(&self) -> u64;
}

/// The source of `Nonce`: a fresh random string per request, at most [`MAX_NONCE_CHARS`]
/// visible ASCII characters.
pub trait NonceSource: Send + Sync + fmt::Debug {
    /// A new nonce.
    fn nonce(&self) -> String;
}

/// The system clock (the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn unix_seconds(&self) -> u64 {
        // A clock before 1970 is a broken host; 0 makes the server answer 414 (stale CurTime)
        // rather than making the client panic.
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    }
}

/// A clock that always reads the same second, for deterministic tests.
#[cfg(any(test, feature = "test-util"))]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedClock(pub u64);

#[cfg(any(test, feature = "test-util"))]
impl Clock for FixedClock {
    fn unix_seconds(&self) -> u64 {
        self.0
    }
}

/// 16 bytes from the operating system's random source, as 32 lowercase hex digits (the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct OsRandomNonce;

impl NonceSource for OsRandomNonce {
    fn nonce(&self) -> String {
        let mut bytes = [0u8; 16];
        if getrandom::fill(&mut bytes).is_err() {
            // The server only needs the nonce to be unique, not secret, so a unique fallback
            // beats panicking inside a library when the OS random source is unavailable.
            bytes = fallback_unique_bytes();
        }
        hex(&bytes)
    }
}

fn fallback_unique_bytes() -> [u8; 16] {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let mut hasher = Sha1::new();
    hasher.update(nanos.to_le_bytes());
    hasher.update(std::process::id().to_le_bytes());
    hasher.update(COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    let digest = hasher.finalize();
    let mut out = [0u8; 16];
    out.copy_from_slice(&digest[..16]);
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A nonce source that always yields the same nonce, for deterministic tests.
#[cfg(any(test, feature = "test-util"))]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedNonce(pub String);

#[cfg(any(test, feature = "test-util"))]
impl NonceSource for FixedNonce {
    fn nonce(&self) -> String {
        self.0.clone()
    }
}

/// The four authentication headers of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    /// `AppKey`.
    pub app_key: String,
    /// `Nonce`.
    pub nonce: String,
    /// `CurTime`: Unix seconds as a decimal string.
    pub cur_time: String,
    /// `CheckSum`: see [`checksum`].
    pub checksum: String,
}

/// Signs one request: a fresh nonce from `nonces` and the current second from `clock`.
pub fn sign(creds: &Credentials, clock: &dyn Clock, nonces: &dyn NonceSource) -> SignedHeaders {
    let nonce = nonces.nonce();
    let cur_time = clock.unix_seconds().to_string();
    let checksum = checksum(creds.app_secret(), &nonce, &cur_time);
    SignedHeaders {
        app_key: creds.app_key().to_owned(),
        nonce,
        cur_time,
        checksum,
    }
}

/// Whether `nonce` can travel as the `Nonce` header and respects the vendor's length bound.
pub(crate) fn is_usable_nonce(nonce: &str) -> bool {
    !nonce.is_empty()
        && nonce.len() <= MAX_NONCE_CHARS
        && nonce.bytes().all(|b| b.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_matches_independent_vectors() {
        // Expected values computed with Python's hashlib:
        // hashlib.sha1(b'c9e6ea3b1e4a' + b'4tgggergigwow323t23t' + b'1443592222').hexdigest()
        assert_eq!(
            checksum("c9e6ea3b1e4a", "4tgggergigwow323t23t", "1443592222"),
            "8952d186dd1823e6e46df26153d857da16ecf066"
        );
        // hashlib.sha1(('密钥秘密' + 'nonce-é✓' + '1700000000').encode()).hexdigest()
        assert_eq!(
            checksum("密钥秘密", "nonce-é✓", "1700000000"),
            "62d42a26c6dde22eea5692464c1deb23e429da33"
        );
        // hashlib.sha1(b'').hexdigest()
        assert_eq!(
            checksum("", "", ""),
            "da39a3ee5e6b4b0d3255bfef95601890afd80709"
        );
    }

    #[test]
    fn debug_redacts_the_secret() {
        let creds = Credentials::new("my-app-key", "s3cr3t-value-xyz");
        let shown = format!("{creds:?} {creds:#?}");
        assert!(!shown.contains("s3cr3t-value-xyz"), "{shown}");
        assert!(shown.contains("app_secret: \"<redacted>\""), "{shown}");
        assert!(shown.contains("my-app-key"));
        assert_eq!(creds.app_key(), "my-app-key");
    }

    #[test]
    fn sign_uses_clock_nonce_and_secret() {
        let creds = Credentials::new("key", "c9e6ea3b1e4a");
        let signed = sign(
            &creds,
            &FixedClock(1443592222),
            &FixedNonce("4tgggergigwow323t23t".into()),
        );
        assert_eq!(
            signed,
            SignedHeaders {
                app_key: "key".into(),
                nonce: "4tgggergigwow323t23t".into(),
                cur_time: "1443592222".into(),
                checksum: "8952d186dd1823e6e46df26153d857da16ecf066".into(),
            }
        );
    }

    #[test]
    fn os_nonces_are_fresh_hex_and_usable() {
        let a = OsRandomNonce.nonce();
        let b = OsRandomNonce.nonce();
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert!(is_usable_nonce(&a));
        assert_eq!(hex(&fallback_unique_bytes()).len(), 32);
    }

    #[test]
    fn nonce_usability() {
        assert!(!is_usable_nonce(""));
        assert!(!is_usable_nonce("has space"));
        assert!(!is_usable_nonce("é"));
        assert!(is_usable_nonce(&"x".repeat(128)));
        assert!(!is_usable_nonce(&"x".repeat(129)));
    }

    #[test]
    fn system_clock_is_after_2020() {
        assert!(SystemClock.unix_seconds() > 1_577_836_800);
    }
}

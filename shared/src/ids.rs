//! Identifiers and secrets: every id and token in Jamie is made here, from the OS random source.
//! Ids are 128-bit, lowercase base32; secret tokens are 256-bit base64url and stored only hashed.

use std::{fmt, str::FromStr};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

const BASE32: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
/// Characters in a 128-bit id: ceil(128 / 5).
const ID_LEN: usize = 26;

/// `N` bytes from the operating system's secure random source.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // The OS generator failing is not something a request can recover from.
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    bytes
}

pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(BASE32[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(BASE32[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

fn is_id(raw: &str) -> bool {
    raw.len() == ID_LEN && raw.bytes().all(|b| BASE32.contains(&b))
}

/// The input was not an id of this kind.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not a valid {kind} id")]
pub struct InvalidId {
    pub kind: &'static str,
}

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident, $kind:literal) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// A fresh random id.
            pub fn generate() -> Self {
                Self(base32(&random_bytes::<16>()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = InvalidId;

            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                if is_id(raw) {
                    Ok(Self(raw.to_owned()))
                } else {
                    Err(InvalidId { kind: $kind })
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = InvalidId;

            fn try_from(raw: String) -> Result<Self, Self::Error> {
                raw.parse()
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// An organizer's (or superadmin's) account.
    UserId,
    "user"
);
id_type!(
    /// A jam series.
    SeriesId,
    "series"
);
id_type!(
    /// A jam session; also its unguessable public id in `/s/{id}` (128 random bits).
    SessionId,
    "session"
);
id_type!(
    /// A participant's registration for a session.
    RegistrationId,
    "registration"
);
impl RegistrationId {
    /// A fresh id that sorts after every id made at an earlier millisecond: 10 characters of
    /// the time (in the ASCII-ordered subset of the id alphabet) and 16 random ones (80 bits).
    /// Registrations of a session therefore list in the order they were made.
    pub fn generate_at(at: jiff::Timestamp) -> Self {
        const ORDERED: &[u8; 32] = b"234567abcdefghijklmnopqrstuvwxyz";
        let millis = u64::try_from(at.as_millisecond()).unwrap_or(0);
        let mut id = String::with_capacity(ID_LEN);
        for shift in (0..10).rev() {
            id.push(char::from(ORDERED[((millis >> (shift * 5)) & 31) as usize]));
        }
        id.push_str(&base32(&random_bytes::<10>()));
        Self(id)
    }
}

id_type!(
    /// An outbox notification.
    NotificationId,
    "notification"
);

impl NotificationId {
    /// The id of the one notification that `parts` name (a fan-out's recipient, a reminder of
    /// a registration for one start time): writing it only if absent makes a re-run a no-op.
    pub fn derived(parts: &[&str]) -> Self {
        let mut digest = Sha256::new();
        for part in parts {
            digest.update(part.as_bytes());
            digest.update([0]);
        }
        let bytes = digest.finalize();
        Self(base32(&bytes[..16]))
    }
}

/// An invite's id: random, chosen by us, part of its item's key and of its signed token.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct InviteId(String);

impl InviteId {
    pub(crate) fn generate() -> Self {
        Self(crate::ids::base32(&crate::ids::random_bytes::<16>()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for InviteId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Not an invite id: empty, longer than any we make, or not letters and digits.
#[derive(Debug, thiserror::Error)]
#[error("not an invite id")]
pub struct InvalidInviteId;

impl std::str::FromStr for InviteId {
    type Err = InvalidInviteId;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        if (1..=64).contains(&raw.len()) && raw.bytes().all(|byte| byte.is_ascii_alphanumeric()) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidInviteId)
        }
    }
}

id_type!(
    /// A sign-in link or an email change: its link's secret is derived from it (never stored).
    LinkId,
    "link"
);

/// One sign-in of a user (a browser that signed in): named in the signed cookie, revocable in
/// the table. New ones are 128 random bits in lowercase hex, as they always were.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SignInId(String);

impl SignInId {
    /// A fresh random sign-in id.
    pub fn generate() -> Self {
        Self(hex(&random_bytes::<16>()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for SignInId {
    type Err = InvalidId;

    /// Accepts 1 to 64 lowercase letters and digits: every id this module has made (and the
    /// short names tests give their sign-ins), never a key separator.
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let valid = (1..=64).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidId { kind: "sign-in" })
        }
    }
}

impl TryFrom<String> for SignInId {
    type Error = InvalidId;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        raw.parse()
    }
}

impl From<SignInId> for String {
    fn from(id: SignInId) -> Self {
        id.0
    }
}

impl fmt::Display for SignInId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A 256-bit secret handed to one person (magic link, cancel link). Never stored: only its
/// [`TokenHash`] is.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretToken(String);

impl SecretToken {
    pub fn generate() -> Self {
        Self(URL_SAFE_NO_PAD.encode(random_bytes::<32>()))
    }

    /// Parses a token from a link; anything that is not 43 base64url characters is refused
    /// before it reaches the store.
    pub fn parse(raw: &str) -> Option<Self> {
        let valid = raw.len() == 43
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        valid.then(|| Self(raw.to_owned()))
    }

    /// The token of 32 bytes (a derived link secret).
    pub(crate) fn from_bytes(bytes: &[u8; 32]) -> Self {
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The token as it goes into a link.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> TokenHash {
        TokenHash(hex(&Sha256::digest(self.0.as_bytes())))
    }
}

impl fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretToken(..)")
    }
}

/// The SHA-256 of a [`SecretToken`], lowercase hex: what the table stores and looks up by.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TokenHash(String);

impl TokenHash {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn ids_are_26_base32_characters_and_unique() {
        let ids: HashSet<SessionId> = (0..1000).map(|_| SessionId::generate()).collect();
        assert_eq!(ids.len(), 1000);
        for id in &ids {
            assert_eq!(id.as_str().len(), 26);
            assert_eq!(id.as_str().parse::<SessionId>().as_ref(), Ok(id));
        }
    }

    #[test]
    fn base32_matches_rfc_4648_lowercase() {
        assert_eq!(base32(b"foobar"), "mzxw6ytboi");
        assert_eq!(base32(&[0u8; 16]), "a".repeat(26));
    }

    #[test]
    fn malformed_ids_are_refused() {
        for raw in [
            "",
            "short",
            &"A".repeat(26),
            &"a".repeat(27),
            &format!("{}1", "a".repeat(25)),
        ] {
            assert_eq!(
                raw.parse::<UserId>(),
                Err(InvalidId { kind: "user" }),
                "{raw:?}"
            );
        }
        let json = serde_json::to_string(&"not-an-id").unwrap();
        assert!(serde_json::from_str::<SeriesId>(&json).is_err());
    }

    #[test]
    fn sign_in_ids_are_hex_and_refuse_separators() {
        let id = SignInId::generate();
        assert_eq!(id.as_str().len(), 32);
        assert_eq!(id.as_str().parse::<SignInId>().as_ref(), Ok(&id));
        for bad in ["", "a#b", "A", &"a".repeat(65), "a b"] {
            assert!(bad.parse::<SignInId>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn tokens_round_trip_and_hash_to_sha256_hex() {
        let token = SecretToken::generate();
        assert_eq!(token.expose().len(), 43);
        assert!(SecretToken::parse(token.expose()) == Some(token.clone()));
        assert_eq!(token.hash(), token.hash());
        assert_eq!(token.hash().as_str().len(), 64);
        assert_ne!(token.hash(), SecretToken::generate().hash());
        assert_eq!(format!("{token:?}"), "SecretToken(..)");
        assert!(SecretToken::parse("../../etc/passwd").is_none());
        assert!(SecretToken::parse(&"a".repeat(44)).is_none());
        // sha256("abc")
        assert_eq!(
            hex(&Sha256::digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}

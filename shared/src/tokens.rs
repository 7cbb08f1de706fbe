//! Signed tokens: the HS256 keys derived once from `SESSION_SECRET`, the sign-in token's claims
//! and lifetime, tokens bound to another purpose by their audience (co-organizer invites), and
//! the secrets derived from an id (cancel, sign-in and email-change links, CSRF tokens), never
//! stored.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::{
    Error,
    config::Secret,
    ids::{SecretToken, SignInId, UserId},
};

/// How long a sign-in lasts without use.
pub const SIGN_IN_LIFETIME: SignedDuration = SignedDuration::from_hours(14 * 24);

/// The claims of a sign-in cookie.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInClaims {
    /// The user id.
    pub sub: String,
    /// The sign-in (revocable in the table).
    pub sid: SignInId,
    pub iat: i64,
    pub exp: i64,
}

/// Signs and checks tokens with the key from `SESSION_SECRET`: HS256 only, whatever a token's
/// header claims.
#[derive(Clone)]
pub struct SigningKeys {
    encoding: Arc<EncodingKey>,
    decoding: Arc<DecodingKey>,
    /// The key of the derived link secrets (an HMAC of `SESSION_SECRET` and a label, so it is
    /// not the cookies' key).
    links: Arc<[u8; 32]>,
}

/// What a derived link secret opens; the same id gives a different secret for each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkPurpose {
    /// `/cancel/…` of a registration (keyed by the registration id).
    Cancel,
    /// `/auth/link/…` of a sign-in link (keyed by the link's id).
    SignIn,
    /// `/account/email/…` of an email change (keyed by the change's id).
    EmailChange,
    /// `/confirm/…` that keeps a held registration (keyed by the registration id).
    Hold,
}

impl LinkPurpose {
    fn label(self) -> &'static [u8] {
        match self {
            LinkPurpose::Cancel => b"cancel",
            LinkPurpose::SignIn => b"sign-in",
            LinkPurpose::EmailChange => b"email-change",
            LinkPurpose::Hold => b"hold",
        }
    }
}

/// What a CSRF token is bound to: the sign-in a request comes through, or, before signing in,
/// the random id the browser's CSRF cookie holds. A token of one never passes for another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsrfBinding<'a> {
    SignIn(&'a SignInId),
    PreSignIn(&'a str),
}

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    use hmac::{KeyInit, Mac};
    // HMAC takes a key of any length.
    let Ok(mut mac) = HmacSha256::new_from_slice(key) else {
        unreachable!("HMAC-SHA256 accepts every key length")
    };
    for part in parts {
        mac.update(part);
        mac.update(&[0]);
    }
    mac.finalize().into_bytes().into()
}

impl std::fmt::Debug for SigningKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKeys(..)")
    }
}

impl SigningKeys {
    pub fn new(secret: &Secret) -> Self {
        Self {
            encoding: Arc::new(EncodingKey::from_secret(secret.expose().as_bytes())),
            decoding: Arc::new(DecodingKey::from_secret(secret.expose().as_bytes())),
            links: Arc::new(hmac(
                secret.expose().as_bytes(),
                &[b"jamie link secrets v1"],
            )),
        }
    }

    /// The secret of the `purpose` link of `id`: an HMAC, so the table keeps only its hash (or
    /// nothing) and every message can carry the link again without storing it.
    pub fn link_secret(&self, purpose: LinkPurpose, id: &str) -> SecretToken {
        SecretToken::from_bytes(&hmac(
            self.links.as_slice(),
            &[purpose.label(), id.as_bytes()],
        ))
    }

    /// The CSRF token of `binding`: an HMAC under the derived key, so only we can make one and
    /// it is good for that sign-in (or that browser before signing in) alone.
    pub fn csrf_token(&self, binding: CsrfBinding<'_>) -> SecretToken {
        let (label, id): (&[u8], &str) = match binding {
            CsrfBinding::SignIn(sign_in) => (b"csrf sign-in", sign_in.as_str()),
            CsrfBinding::PreSignIn(id) => (b"csrf pre-sign-in", id),
        };
        SecretToken::from_bytes(&hmac(self.links.as_slice(), &[label, id.as_bytes()]))
    }

    /// A signed sign-in token for `sign_in` of `user`, issued at `now`.
    pub fn issue(
        &self,
        user: &UserId,
        sign_in: &SignInId,
        now: Timestamp,
    ) -> Result<String, Error> {
        let claims = SignInClaims {
            sub: user.to_string(),
            sid: sign_in.clone(),
            iat: now.as_second(),
            exp: now.as_second() + SIGN_IN_LIFETIME.as_secs(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| Error::failed("signing a sign-in", e))
    }

    /// A signed token for another purpose than signing in; `claims` name it by their `aud`, so
    /// such a token never passes as a sign-in (whose check refuses any audience).
    pub fn sign<T: Serialize>(&self, claims: &T) -> Result<String, Error> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .map_err(|e| Error::failed("signing a token", e))
    }

    /// The claims of a token signed by [`SigningKeys::sign`] for `audience`, whatever its
    /// expiry (the caller checks it against its clock, to tell "expired" from "tampered").
    pub fn verify_for<T: serde::de::DeserializeOwned>(
        &self,
        token: &str,
        audience: &str,
    ) -> Option<T> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.validate_exp = false;
        validation.set_audience(&[audience]);
        validation.required_spec_claims = ["exp", "sub", "aud"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        jsonwebtoken::decode::<T>(token, &self.decoding, &validation)
            .ok()
            .map(|data| data.claims)
    }

    /// The claims of a sign-in token signed with our key by HS256 and unexpired at `now`.
    pub fn verify(&self, token: &str, now: Timestamp) -> Option<SignInClaims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        // Expiry is checked against our clock below, not the system's.
        validation.validate_exp = false;
        validation.required_spec_claims = ["exp", "sub"].into_iter().map(str::to_owned).collect();
        let claims = jsonwebtoken::decode::<SignInClaims>(token, &self.decoding, &validation)
            .ok()?
            .claims;
        (claims.exp > now.as_second()).then_some(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> SigningKeys {
        SigningKeys::new(&Secret::new("a".repeat(32)).unwrap())
    }

    fn sid() -> SignInId {
        "sid".parse().unwrap()
    }

    #[test]
    fn csrf_tokens_are_bound_to_what_they_name() {
        let sid = sid();
        let other: SignInId = "other".parse().unwrap();
        let token = |binding| keys().csrf_token(binding).expose().to_owned();
        assert_eq!(
            token(CsrfBinding::SignIn(&sid)),
            token(CsrfBinding::SignIn(&sid))
        );
        assert_ne!(
            token(CsrfBinding::SignIn(&sid)),
            token(CsrfBinding::SignIn(&other))
        );
        assert_ne!(
            token(CsrfBinding::SignIn(&sid)),
            token(CsrfBinding::PreSignIn("sid")),
            "a sign-in's token is not the pre-sign-in one of the same id"
        );
        assert_ne!(
            token(CsrfBinding::SignIn(&sid)),
            keys()
                .link_secret(LinkPurpose::SignIn, "sid")
                .expose()
                .to_owned()
        );
        let other_key = SigningKeys::new(&Secret::new("b".repeat(32)).unwrap());
        assert_ne!(
            token(CsrfBinding::PreSignIn("x")),
            other_key.csrf_token(CsrfBinding::PreSignIn("x")).expose()
        );
    }

    #[test]
    fn sign_in_tokens_round_trip_and_expire() {
        let now: Timestamp = "2026-11-25T20:00:00Z".parse().unwrap();
        let user = UserId::generate();
        let token = keys().issue(&user, &sid(), now).unwrap();
        let claims = keys().verify(&token, now).unwrap();
        assert_eq!(claims.sub, user.to_string());
        assert_eq!(claims.sid, sid());
        assert_eq!(claims.exp - claims.iat, SIGN_IN_LIFETIME.as_secs());
        let later = now.checked_add(SIGN_IN_LIFETIME).unwrap();
        assert!(
            keys().verify(&token, later).is_none(),
            "expired after 14 days"
        );
    }

    #[test]
    fn tokens_for_other_purposes_never_pass_as_sign_ins_nor_the_reverse() {
        #[derive(Serialize, Deserialize)]
        struct Purpose {
            aud: String,
            sub: String,
            sid: String,
            exp: i64,
        }
        let now: Timestamp = "2026-11-25T20:00:00Z".parse().unwrap();
        let other = keys()
            .sign(&Purpose {
                aud: "co-organizer-invite".to_owned(),
                sub: UserId::generate().to_string(),
                sid: "sid".to_owned(),
                exp: now.as_second() + 3600,
            })
            .unwrap();
        assert!(
            keys().verify(&other, now).is_none(),
            "an invite is no sign-in"
        );
        assert!(
            keys()
                .verify_for::<Purpose>(&other, "co-organizer-invite")
                .is_some(),
            "but it is an invite"
        );
        assert!(
            keys()
                .verify_for::<Purpose>(&other, "something-else")
                .is_none()
        );
        let sign_in = keys().issue(&UserId::generate(), &sid(), now).unwrap();
        assert!(
            keys()
                .verify_for::<Purpose>(&sign_in, "co-organizer-invite")
                .is_none(),
            "a sign-in is no invite"
        );
    }

    #[test]
    fn tokens_signed_otherwise_are_refused() {
        let now = Timestamp::now();
        let user = UserId::generate();
        let other = SigningKeys::new(&Secret::new("b".repeat(32)).unwrap());
        let forged = other.issue(&user, &sid(), now).unwrap();
        assert!(keys().verify(&forged, now).is_none(), "another key");

        use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let claims = URL_SAFE_NO_PAD.encode(
            serde_json::to_vec(&SignInClaims {
                sub: user.to_string(),
                sid: sid(),
                iat: now.as_second(),
                exp: now.as_second() + 60,
            })
            .unwrap(),
        );
        assert!(
            keys().verify(&format!("{header}.{claims}."), now).is_none(),
            "alg none"
        );
        let hs512 = jsonwebtoken::encode(
            &Header::new(Algorithm::HS512),
            &SignInClaims {
                sub: user.to_string(),
                sid: sid(),
                iat: now.as_second(),
                exp: now.as_second() + 60,
            },
            &EncodingKey::from_secret("a".repeat(32).as_bytes()),
        )
        .unwrap();
        assert!(keys().verify(&hs512, now).is_none(), "only HS256");
        assert!(keys().verify("not.a.jwt", now).is_none());
    }
}

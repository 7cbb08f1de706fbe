//! Signing in: magic links (requested under rate limits, previewed, consumed exactly once),
//! login sessions (a signed HS256 JWT naming a session item the table can revoke), logout.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::{
    Context, Error,
    accounts::{self, User},
    authorization::{Actor, Principal},
    config::Secret,
    ids::{SecretToken, UserId, random_bytes},
    notifications::{Message, Notification},
    store::{Change, Condition, Entry, Query, StoreError, keys},
    values::{DisplayName, Email},
};

/// How long a sign-in link works.
pub const MAGIC_LINK_LIFETIME: SignedDuration = SignedDuration::from_mins(15);
/// How long a login lasts without use.
pub const SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(14 * 24);
/// A session cookie older than this is renewed (sliding expiry).
pub const SESSION_REFRESH_AFTER: SignedDuration = SignedDuration::from_hours(7 * 24);
/// Sign-in links one address may request per hour.
pub const LINKS_PER_EMAIL_PER_HOUR: i64 = 5;
/// Sign-in links one client address may request per hour.
pub const LINKS_PER_IP_PER_HOUR: i64 = 20;

/// Why signing in did not work, in terms the person can act on.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("Too many sign-in links were requested. Please wait an hour and try again.")]
    RateLimited,
    #[error("This sign-in link has expired. Links work for 15 minutes: request a new one.")]
    LinkExpired,
    #[error("This sign-in link has already been used or is not valid. Request a new one.")]
    LinkInvalid,
    #[error("This account is blocked. Contact the Jamie team if you think this is a mistake.")]
    Blocked,
    #[error("That email and password do not match. Try again, or sign in with an email link.")]
    WrongPassword,
    #[error(
        "Password sign-in is paused for 15 minutes after too many attempts. Sign in with an email link instead."
    )]
    PasswordPaused,
    #[error(transparent)]
    Internal(#[from] Error),
}

impl From<StoreError> for AuthError {
    fn from(error: StoreError) -> Self {
        Self::Internal(error.into())
    }
}

/// A path on this site to return to after signing in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LocalPath(String);

impl LocalPath {
    /// Accepts absolute paths on this site only: no scheme, no `//host`, no backslashes, no
    /// control characters, at most 512 characters.
    pub fn parse(raw: &str) -> Option<Self> {
        let ok = raw.starts_with('/')
            && !raw.starts_with("//")
            && !raw.contains('\\')
            && !raw.chars().any(char::is_control)
            && raw.len() <= 512;
        ok.then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for LocalPath {
    type Error = String;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw).ok_or(raw)
    }
}

impl From<LocalPath> for String {
    fn from(path: LocalPath) -> Self {
        path.0
    }
}

/// A request for a sign-in link.
#[derive(Clone, Debug)]
pub struct LinkRequest {
    pub email: Email,
    /// The name for a new account; ignored for an existing one.
    pub display_name: Option<DisplayName>,
    pub next: Option<LocalPath>,
    /// The client's address, for the per-IP limit.
    pub client_ip: String,
}

/// A stored sign-in link (keyed by the hash of its token).
#[derive(Clone, Debug, Serialize, Deserialize)]
struct MagicLink {
    email: Email,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    display_name: Option<DisplayName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    next: Option<LocalPath>,
    expires_at: i64,
}

/// The hourly window a limit counts in.
fn hour_window(now: Timestamp) -> String {
    now.strftime("%Y-%m-%dT%H").to_string()
}

/// The write that counts one more use of `scope` by `key` this hour, under the condition
/// that fewer than `limit` came before: the window's key and the change, for a transaction.
pub(crate) fn rate_limit(
    ctx: &Context,
    scope: &str,
    key: &str,
    limit: i64,
) -> (crate::store::Key, Change) {
    let now = ctx.clock.now();
    let window = keys::rate_window(scope, key, &hour_window(now));
    (
        window,
        Change::new("ADD #count :one SET expires_at = :expires")
            .when("attribute_not_exists(#count) OR #count < :limit")
            .name("#count", "count")
            .value(":one", 1)
            .value(":limit", limit)
            .value(":expires", now.as_second() + 2 * 3600),
    )
}

/// Records a sign-in link for `request.email` and its email in the outbox, under the per-email
/// and per-IP hourly limits — all in one transaction. Whether the address has an account is not
/// looked at, so the answer (and its timing) is the same for both.
#[tracing::instrument(skip_all)]
pub async fn request_link(ctx: &Context, request: LinkRequest) -> Result<(), AuthError> {
    let token = SecretToken::generate();
    let now = ctx.clock.now();
    let expires_at = now.as_second() + MAGIC_LINK_LIFETIME.as_secs();
    let link = MagicLink {
        email: request.email.clone(),
        display_name: request.display_name,
        next: request.next,
        expires_at,
    };
    let url = ctx
        .config
        .base_url
        .join(&format!("/auth/link/{}", token.expose()));
    let email = Notification::new(ctx, request.email.clone(), Message::MagicLink { url });
    const PER_EMAIL: &str = "per-email limit";
    const PER_IP: &str = "per-IP limit";
    let (email_window, email_count) = rate_limit(
        ctx,
        "link-email",
        request.email.as_str(),
        LINKS_PER_EMAIL_PER_HOUR,
    );
    let (ip_window, ip_count) =
        rate_limit(ctx, "link-ip", &request.client_ip, LINKS_PER_IP_PER_HOUR);
    let mut writes = ctx.store.transaction();
    writes
        .update(PER_EMAIL, &email_window, email_count)?
        .update(PER_IP, &ip_window, ip_count)?
        .put_new(
            "magic link",
            &Entry::new(keys::magic_link(&token.hash())).expires_at(expires_at),
            &link,
        )?
        .put_new("sign-in email", &email.entry(), &email)?;
    match writes.commit().await {
        Ok(()) => Ok(()),
        Err(conflict)
            if writes
                .failed_writes(&conflict)
                .iter()
                .all(|name| [PER_EMAIL, PER_IP].contains(name)) =>
        {
            Err(AuthError::RateLimited)
        }
        Err(error) => Err(error.into()),
    }
}

/// What the confirmation page shows before the person presses the button.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkPreview {
    pub email: Email,
}

/// Looks at a link without using it (mail scanners open links: only the POST signs in).
pub async fn preview_link(ctx: &Context, token: &SecretToken) -> Result<LinkPreview, AuthError> {
    let link: MagicLink = ctx
        .store
        .get(&keys::magic_link(&token.hash()))
        .await?
        .ok_or(AuthError::LinkInvalid)?;
    if link.expires_at <= ctx.clock.epoch_seconds() {
        return Err(AuthError::LinkExpired);
    }
    Ok(LinkPreview { email: link.email })
}

/// A successful sign-in: the account, the new session and where to go.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub user: User,
    pub session_id: String,
    pub next: Option<LocalPath>,
}

/// A login session, as stored (its key names the user).
#[derive(Clone, Debug, Serialize, Deserialize)]
struct LoginSession {
    id: String,
    user_id: UserId,
    created_at: Timestamp,
    expires_at: i64,
}

/// Uses a sign-in link: deletes it under the condition that it exists and has not expired, so
/// of any number of simultaneous presses exactly one signs in. Creates the account on first
/// use, applies `SUPERADMIN_EMAILS`, refuses blocked accounts, and opens a session.
#[tracing::instrument(skip_all)]
pub async fn consume_link(ctx: &Context, token: &SecretToken) -> Result<SignedIn, AuthError> {
    let key = keys::magic_link(&token.hash());
    let now = ctx.clock.epoch_seconds();
    let taken: Option<MagicLink> = ctx
        .store
        .take(
            &key,
            Condition::new("attribute_exists(PK) AND expires_at > :now").value(":now", now),
        )
        .await?;
    let Some(link) = taken else {
        // Tell an expired link from a used or unknown one.
        return Err(match ctx.store.get::<MagicLink>(&key).await? {
            Some(_) => AuthError::LinkExpired,
            None => AuthError::LinkInvalid,
        });
    };
    let name = link
        .display_name
        .clone()
        .unwrap_or_else(|| DisplayName::from_email(&link.email));
    let user = accounts::find_or_create(ctx, &link.email, &name).await?;
    open_session(ctx, user, link.next).await
}

/// Opens a session for `user` (refused when blocked), applying `SUPERADMIN_EMAILS` and
/// recording the login.
pub(crate) async fn open_session(
    ctx: &Context,
    mut user: User,
    next: Option<LocalPath>,
) -> Result<SignedIn, AuthError> {
    if user.blocked.is_some() {
        return Err(AuthError::Blocked);
    }
    let now = ctx.clock.epoch_seconds();
    let superadmin = ctx
        .config
        .superadmin_emails
        .iter()
        .any(|email| email == user.email.as_str());
    let session = LoginSession {
        id: crate::ids::hex(&random_bytes::<16>()),
        user_id: user.id.clone(),
        created_at: ctx.clock.now(),
        expires_at: now + SESSION_LIFETIME.as_secs(),
    };
    user.last_login_at = Some(ctx.clock.now());
    // SUPERADMIN_EMAILS is the source of truth: removing an address demotes at next sign-in.
    user.superadmin = superadmin;
    let writes = vec![
        ctx.store.put(
            &Entry::new(keys::login_session(&user.id, &session.id)).expires_at(session.expires_at),
            &session,
            None,
        )?,
        ctx.store.update(
            &keys::user(&user.id),
            Change::new("SET last_login_at = :at, superadmin = :superadmin")
                .when("attribute_exists(PK) AND attribute_not_exists(blocked)")
                .value(
                    ":at",
                    crate::store::Value::from(
                        user.last_login_at
                            .map(|at| at.to_string())
                            .unwrap_or_default(),
                    ),
                )
                .value(":superadmin", user.superadmin),
        )?,
    ];
    match ctx.store.transact(writes).await {
        Ok(()) => {}
        Err(StoreError::Conflict { .. }) => return Err(AuthError::Blocked),
        Err(error) => return Err(error.into()),
    }
    Ok(SignedIn {
        user,
        session_id: session.id,
        next,
    })
}

/// The claims of a session cookie.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    /// The session id (revocable in the table).
    pub sid: String,
    pub iat: i64,
    pub exp: i64,
}

/// Signs and checks session tokens: HS256 only, whatever a token's header claims.
#[derive(Clone)]
pub struct SessionKeys {
    encoding: Arc<EncodingKey>,
    decoding: Arc<DecodingKey>,
}

impl std::fmt::Debug for SessionKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionKeys(..)")
    }
}

impl SessionKeys {
    pub fn new(secret: &Secret) -> Self {
        Self {
            encoding: Arc::new(EncodingKey::from_secret(secret.expose().as_bytes())),
            decoding: Arc::new(DecodingKey::from_secret(secret.expose().as_bytes())),
        }
    }

    /// A signed token for `sid` of `user`, issued at `now`.
    pub fn issue(&self, user: &UserId, sid: &str, now: Timestamp) -> Result<String, Error> {
        let claims = Claims {
            sub: user.to_string(),
            sid: sid.to_owned(),
            iat: now.as_second(),
            exp: now.as_second() + SESSION_LIFETIME.as_secs(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| Error::failed("signing a sign-in", e))
    }

    /// A signed token for another purpose than a session; `claims` name it by their `aud`, so
    /// such a token never passes as a session (whose check refuses any audience).
    pub fn sign<T: Serialize>(&self, claims: &T) -> Result<String, Error> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .map_err(|e| Error::failed("signing a token", e))
    }

    /// The claims of a token signed by [`SessionKeys::sign`] for `audience`, whatever its
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

    /// The claims of a token signed with our key by HS256 and unexpired at `now`.
    pub fn verify(&self, token: &str, now: Timestamp) -> Option<Claims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        // Expiry is checked against our clock below, not the system's.
        validation.validate_exp = false;
        validation.required_spec_claims = ["exp", "sub"].into_iter().map(str::to_owned).collect();
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .ok()?
            .claims;
        (claims.exp > now.as_second()).then_some(claims)
    }
}

/// Who a request comes from, from its session token, and a renewed token when the old one is
/// over a week old. Revoked, expired and blocked sessions count as anonymous.
pub async fn resolve(
    ctx: &Context,
    token: Option<&str>,
) -> Result<(Principal, Option<String>), Error> {
    let now = ctx.clock.now();
    let Some(claims) = token.and_then(|token| ctx.sessions.verify(token, now)) else {
        return Ok((Principal::Anonymous, None));
    };
    let Ok(user_id) = claims.sub.parse::<UserId>() else {
        return Ok((Principal::Anonymous, None));
    };
    let session_key = keys::login_session(&user_id, &claims.sid);
    let user_key = keys::user(&user_id);
    let (session, user) = tokio::try_join!(
        ctx.store.get::<LoginSession>(&session_key),
        ctx.store.get::<User>(&user_key),
    )?;
    let (Some(session), Some(user)) = (session, user) else {
        return Ok((Principal::Anonymous, None));
    };
    if session.expires_at <= now.as_second() || user.blocked.is_some() {
        return Ok((Principal::Anonymous, None));
    }
    let renewed = if now.as_second() - claims.iat >= SESSION_REFRESH_AFTER.as_secs() {
        let expires_at = now.as_second() + SESSION_LIFETIME.as_secs();
        // Only an existing session is extended: one ended since the read above stays ended.
        let extended = ctx
            .store
            .update_item(
                &session_key,
                Change::new("SET expires_at = :expires")
                    .when("attribute_exists(PK)")
                    .value(":expires", expires_at),
            )
            .await;
        match extended {
            Ok(()) => {}
            Err(StoreError::Conflict { .. }) => return Ok((Principal::Anonymous, None)),
            Err(error) => return Err(error.into()),
        }
        Some(ctx.sessions.issue(&user.id, &session.id, now)?)
    } else {
        None
    };
    Ok((
        Principal::User(Box::new(Actor {
            user,
            session_id: session.id,
        })),
        renewed,
    ))
}

/// Ends one session.
pub async fn logout(ctx: &Context, actor: &Actor) -> Result<(), Error> {
    ctx.store
        .delete_item(&keys::login_session(&actor.user.id, &actor.session_id))
        .await?;
    Ok(())
}

/// Ends every session of `user` (log out everywhere; blocking).
pub async fn end_all_sessions(ctx: &Context, user: &UserId) -> Result<usize, Error> {
    let partition = keys::user(user).pk;
    let mut ended = 0;
    let mut start = None;
    loop {
        let mut query = Query::table(&partition);
        query.prefix = Some("SESSION#");
        query.start = start;
        let page = ctx.store.query::<LoginSession>(query).await?;
        for session in &page.items {
            ctx.store
                .delete_item(&keys::login_session(user, &session.id))
                .await?;
            ended += 1;
        }
        start = page.next;
        if start.is_none() {
            return Ok(ended);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> SessionKeys {
        SessionKeys::new(&Secret::new("a".repeat(32)).unwrap())
    }

    #[test]
    fn local_paths_only() {
        for good in ["/", "/s/abc?x=1", "/jams/1#top", "/jams/abc?tab=sessions"] {
            assert!(LocalPath::parse(good).is_some(), "{good}");
        }
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil",
            "/\\evil.example",
            "",
            "jams",
            "/a\r\nb",
            "/a\nb",
            "javascript:alert(1)",
        ] {
            assert!(LocalPath::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn session_tokens_round_trip_and_expire() {
        let now: Timestamp = "2026-11-25T20:00:00Z".parse().unwrap();
        let user = UserId::generate();
        let token = keys().issue(&user, "sid", now).unwrap();
        let claims = keys().verify(&token, now).unwrap();
        assert_eq!(claims.sub, user.to_string());
        assert_eq!(claims.sid, "sid");
        assert_eq!(claims.exp - claims.iat, SESSION_LIFETIME.as_secs());
        let later = now.checked_add(SESSION_LIFETIME).unwrap();
        assert!(
            keys().verify(&token, later).is_none(),
            "expired after 14 days"
        );
    }

    #[test]
    fn tokens_for_other_purposes_never_pass_as_sessions_nor_the_reverse() {
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
            "an invite is no session"
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
        let session = keys().issue(&UserId::generate(), "sid", now).unwrap();
        assert!(
            keys()
                .verify_for::<Purpose>(&session, "co-organizer-invite")
                .is_none(),
            "a session is no invite"
        );
    }

    #[test]
    fn tokens_signed_otherwise_are_refused() {
        let now = Timestamp::now();
        let user = UserId::generate();
        let other = SessionKeys::new(&Secret::new("b".repeat(32)).unwrap());
        let forged = other.issue(&user, "sid", now).unwrap();
        assert!(keys().verify(&forged, now).is_none(), "another key");

        use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let claims = URL_SAFE_NO_PAD.encode(
            serde_json::to_vec(&Claims {
                sub: user.to_string(),
                sid: "sid".to_owned(),
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
            &Claims {
                sub: user.to_string(),
                sid: "sid".to_owned(),
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

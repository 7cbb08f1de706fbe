//! Signing in: magic links (requested under rate limits, previewed, consumed exactly once),
//! sign-ins (a signed HS256 cookie naming a sign-in item the table can revoke), signing out.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::{
    Context, Error,
    accounts::{self, User},
    authorization::{Actor, Operation, Principal, authorize},
    ids::{LinkId, SecretToken, SignInId, UserId},
    limits::{ClientIp, rate_limit},
    outbox::{Kind, Notification, Recipient},
    store::{Change, Condition, Entry, Query, StoreError, keys},
    tokens::{CsrfBinding, LinkPurpose},
    values::{DisplayName, Email},
};

/// How long a sign-in link works.
pub const MAGIC_LINK_LIFETIME: SignedDuration = SignedDuration::from_mins(15);
/// How long a sign-in lasts without use.
pub use crate::tokens::SIGN_IN_LIFETIME;
/// A sign-in cookie older than this is renewed (sliding expiry).
pub const SIGN_IN_REFRESH_AFTER: SignedDuration = SignedDuration::from_hours(7 * 24);
/// Sign-in links one address may request per hour.
pub const LINKS_PER_EMAIL_PER_HOUR: i64 = 5;
/// Sign-in links one client address may request per hour.
pub const LINKS_PER_IP_PER_HOUR: i64 = 20;

/// Why signing in did not work, in terms the person can act on.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
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
    /// Too many wrong passwords from one client address this hour, whatever the addresses.
    #[error(
        "Too many wrong passwords were tried from your connection this hour. Sign in with an email link instead, or try your password again later."
    )]
    ClientPaused { until: Timestamp },
    #[error(transparent)]
    Internal(#[from] Error),
}

impl From<StoreError> for SignInError {
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
    pub client_ip: ClientIp,
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

/// Records a sign-in link for `request.email` and its email in the outbox, under the per-email
/// and per-IP hourly limits — all in one transaction. Whether the address has an account is not
/// looked at, so the answer (and its timing) is the same for both.
#[tracing::instrument(skip_all)]
pub async fn request_link(ctx: &Context, request: LinkRequest) -> Result<(), SignInError> {
    let link_id = LinkId::generate();
    let token = ctx
        .signing
        .link_secret(LinkPurpose::SignIn, link_id.as_str());
    let now = ctx.clock.now();
    let expires_at = now.as_second() + MAGIC_LINK_LIFETIME.as_secs();
    let link = MagicLink {
        email: request.email.clone(),
        display_name: request.display_name,
        next: request.next,
        expires_at,
    };
    let email = Notification::new(
        ctx,
        Recipient::email(&request.email),
        Kind::SignInLink { link: link_id },
    );
    const PER_EMAIL: &str = "per-email limit";
    const PER_IP: &str = "per-IP limit";
    let (email_window, email_count) = rate_limit(
        ctx,
        "link-email",
        request.email.as_str(),
        LINKS_PER_EMAIL_PER_HOUR,
    );
    let (ip_window, ip_count) = rate_limit(
        ctx,
        "link-ip",
        request.client_ip.as_str(),
        LINKS_PER_IP_PER_HOUR,
    );
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
            Err(SignInError::RateLimited)
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
pub async fn preview_link(ctx: &Context, token: &SecretToken) -> Result<LinkPreview, SignInError> {
    let link: MagicLink = ctx
        .store
        .get(&keys::magic_link(&token.hash()))
        .await?
        .ok_or(SignInError::LinkInvalid)?;
    if link.expires_at <= ctx.clock.epoch_seconds() {
        return Err(SignInError::LinkExpired);
    }
    Ok(LinkPreview { email: link.email })
}

/// A successful sign-in: the account, the new sign-in and where to go.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub user: User,
    pub sign_in: SignInId,
    pub next: Option<LocalPath>,
}

/// How a sign-in was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignInMethod {
    EmailLink,
    Password,
}

/// How long a sign-in by email link counts as recent: sensitive account changes need one this
/// fresh, or the current password.
pub const RECENT_SIGN_IN: SignedDuration = SignedDuration::from_mins(10);

/// A sign-in, as stored (its key names the user).
#[derive(Clone, Debug, Serialize, Deserialize)]
struct SignInRecord {
    id: SignInId,
    user_id: UserId,
    /// When it was made (sliding renewal does not change it).
    created_at: Timestamp,
    expires_at: i64,
    /// How it was made (absent on sign-ins made before this was recorded: never recent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    method: Option<SignInMethod>,
}

/// Uses a sign-in link: deletes it under the condition that it exists and has not expired, so
/// of any number of simultaneous presses exactly one signs in. Creates the account on first
/// use, applies `SUPERADMIN_EMAILS`, refuses blocked accounts, and opens a sign-in.
#[tracing::instrument(skip_all)]
pub async fn consume_link(ctx: &Context, token: &SecretToken) -> Result<SignedIn, SignInError> {
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
            Some(_) => SignInError::LinkExpired,
            None => SignInError::LinkInvalid,
        });
    };
    let name = link
        .display_name
        .clone()
        .unwrap_or_else(|| DisplayName::from_email(&link.email));
    let user = accounts::find_or_create(ctx, &link.email, &name).await?;
    open_sign_in(ctx, user, SignInMethod::EmailLink, link.next).await
}

/// Opens a sign-in for `user` made by `method` (refused when blocked), applying
/// `SUPERADMIN_EMAILS` and recording when they signed in.
pub(crate) async fn open_sign_in(
    ctx: &Context,
    mut user: User,
    method: SignInMethod,
    next: Option<LocalPath>,
) -> Result<SignedIn, SignInError> {
    if user.blocked.is_some() {
        return Err(SignInError::Blocked);
    }
    let now = ctx.clock.epoch_seconds();
    let superadmin = ctx
        .config
        .superadmin_emails
        .iter()
        .any(|email| email == user.email.as_str());
    let sign_in = SignInRecord {
        id: SignInId::generate(),
        user_id: user.id.clone(),
        created_at: ctx.clock.now(),
        expires_at: now + SIGN_IN_LIFETIME.as_secs(),
        method: Some(method),
    };
    user.last_login_at = Some(ctx.clock.now());
    // SUPERADMIN_EMAILS is the source of truth: removing an address demotes at next sign-in.
    user.superadmin = superadmin;
    const USER: &str = "user";
    let mut writes = ctx.store.transaction();
    writes
        .put(
            "sign-in",
            &Entry::new(keys::login_session(&user.id, sign_in.id.as_str()))
                .expires_at(sign_in.expires_at),
            &sign_in,
            None,
        )?
        .update(
            USER,
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
        )?;
    match writes.commit().await {
        Ok(()) => {}
        // The user item's condition: blocked (or deleted) since the read above.
        Err(conflict) if writes.failed(&conflict, USER) => return Err(SignInError::Blocked),
        Err(error) => return Err(error.into()),
    }
    Ok(SignedIn {
        user,
        sign_in: sign_in.id,
        next,
    })
}

/// Who a request comes from, from its sign-in token, and a renewed token when the old one is
/// over a week old. Revoked, expired and blocked sign-ins count as anonymous.
pub async fn resolve(
    ctx: &Context,
    token: Option<&str>,
) -> Result<(Principal, Option<String>), Error> {
    let now = ctx.clock.now();
    let Some(claims) = token.and_then(|token| ctx.signing.verify(token, now)) else {
        return Ok((Principal::Anonymous, None));
    };
    let Ok(user_id) = claims.sub.parse::<UserId>() else {
        return Ok((Principal::Anonymous, None));
    };
    let sign_in_key = keys::login_session(&user_id, claims.sid.as_str());
    let user_key = keys::user(&user_id);
    let (sign_in, user) = tokio::try_join!(
        ctx.store.get::<SignInRecord>(&sign_in_key),
        ctx.store.get::<User>(&user_key),
    )?;
    let (Some(sign_in), Some(user)) = (sign_in, user) else {
        return Ok((Principal::Anonymous, None));
    };
    if sign_in.expires_at <= now.as_second() || user.blocked.is_some() {
        return Ok((Principal::Anonymous, None));
    }
    let renewed = if now.as_second() - claims.iat >= SIGN_IN_REFRESH_AFTER.as_secs() {
        let expires_at = now.as_second() + SIGN_IN_LIFETIME.as_secs();
        // Only an existing sign-in is extended: one ended since the read above stays ended.
        let extended = ctx
            .store
            .update_item(
                &sign_in_key,
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
        Some(ctx.signing.issue(&user.id, &sign_in.id, now)?)
    } else {
        None
    };
    Ok((
        Principal::User(Box::new(Actor {
            user: user.into(),
            sign_in: sign_in.id,
        })),
        renewed,
    ))
}

/// Ends the sign-in the request comes through; nothing to do for an anonymous one.
pub async fn sign_out(ctx: &Context, principal: &Principal) -> Result<(), Error> {
    let Some(actor) = principal.actor() else {
        return Ok(());
    };
    ctx.store
        .delete_item(&keys::login_session(&actor.user.id, actor.sign_in.as_str()))
        .await?;
    Ok(())
}

/// Ends every sign-in of the signed-in user, this one included; how many ended.
pub async fn sign_out_everywhere(
    ctx: &Context,
    principal: &Principal,
) -> Result<usize, crate::accounts::AccountError> {
    let actor = authorize(principal, Operation::ManageOwnAccount)?;
    Ok(end_all(ctx, &actor.user.id).await?)
}

/// Whether `actor`'s sign-in was made with an email link less than [`RECENT_SIGN_IN`] ago.
pub(crate) async fn is_recent_link_sign_in(ctx: &Context, actor: &Actor) -> Result<bool, Error> {
    let record: Option<SignInRecord> = ctx
        .store
        .get(&keys::login_session(&actor.user.id, actor.sign_in.as_str()))
        .await?;
    let now = ctx.clock.epoch_seconds();
    Ok(record.is_some_and(|record| {
        record.method == Some(SignInMethod::EmailLink)
            && now - record.created_at.as_second() < RECENT_SIGN_IN.as_secs()
    }))
}

/// Ends every sign-in of `user` (signing out everywhere, blocking, deleting the account).
pub async fn end_all(ctx: &Context, user: &UserId) -> Result<usize, Error> {
    end_all_but(ctx, user, None).await
}

/// Ends every sign-in of `user` but `keep` (the one a password change comes through).
pub(crate) async fn end_all_but(
    ctx: &Context,
    user: &UserId,
    keep: Option<&SignInId>,
) -> Result<usize, Error> {
    let partition = keys::user(user).pk;
    let mut ended = 0;
    let mut start = None;
    loop {
        let mut query = Query::table(&partition);
        query.prefix = Some("SESSION#");
        query.start = start;
        let page = ctx.store.query::<SignInRecord>(query).await?;
        for sign_in in page.items.iter().filter(|s| Some(&s.id) != keep) {
            ctx.store
                .delete_item(&keys::login_session(user, sign_in.id.as_str()))
                .await?;
            ended += 1;
        }
        start = page.next;
        if start.is_none() {
            return Ok(ended);
        }
    }
}

/// The CSRF token a browser's forms carry: bound to the sign-in its sign-in cookie names (a
/// token we signed and unexpired, even if the sign-in has since ended, so such a form gets the
/// signed-out answer rather than "expired"), else to the random id its CSRF cookie holds.
pub fn csrf_token(ctx: &Context, sign_in_token: Option<&str>, pre_sign_in: &str) -> SecretToken {
    let claims = sign_in_token.and_then(|token| ctx.signing.verify(token, ctx.clock.now()));
    let binding = match &claims {
        Some(claims) => CsrfBinding::SignIn(&claims.sid),
        None => CsrfBinding::PreSignIn(pre_sign_in),
    };
    ctx.signing.csrf_token(binding)
}

/// The address of the sign-in link `link` (its secret derived again, never stored).
pub fn link_url(ctx: &Context, link: &LinkId) -> String {
    let token = ctx.signing.link_secret(LinkPurpose::SignIn, link.as_str());
    ctx.config
        .base_url
        .join(&format!("/auth/link/{}", token.expose()))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}

//! Optional passwords: an account may add one (argon2id, at least 10 characters, not a common
//! password) and then sign in with email + password. Wrong and unknown answer alike; 10
//! failures in 15 minutes pause password sign-in for that address for 15 minutes, and one client
//! address may fail a configured number of times an hour across addresses (magic links keep
//! working). The hash lives in its own item beside the profile. Also the proof of a recent
//! sign-in that sensitive account changes need ([`confirm_recent`]).

use argon2::{
    Argon2,
    password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash},
};
use jiff::SignedDuration;
use serde::{Deserialize, Serialize};

use crate::{
    Context, Error,
    accounts::{self, AccountError},
    authorization::{Actor, Denied, NotRecent, Operation, Principal, authorize},
    ids::{UserId, random_bytes},
    limits::{ClientIp, Per, rate_limit},
    sign_ins::{self, LocalPath, SignInError, SignInMethod, SignedIn, open_sign_in},
    store::{Change, Entry, Key, StoreError, keys},
    values::{DisplayName, Email, FieldError},
};

pub const MIN_CHARS: usize = 10;
pub const MAX_CHARS: usize = 200;
/// Failures that pause password sign-in.
pub const MAX_FAILURES: i64 = 10;
/// The window the failures count in, and how long the pause lasts.
pub const LOCKOUT: SignedDuration = SignedDuration::from_mins(15);

/// Passwords too common to accept, whatever their length (compared without case).
const COMMON: &[&str] = &[
    "1234567890",
    "12345678910",
    "0123456789",
    "1111111111",
    "0000000000",
    "1234512345",
    "password12",
    "password123",
    "password1234",
    "passw0rd123",
    "qwertyuiop",
    "qwerty1234",
    "qwerty12345",
    "1q2w3e4r5t",
    "1qaz2wsx3edc",
    "zaq12wsxcde",
    "asdfghjkl1",
    "iloveyou12",
    "iloveyou123",
    "football123",
    "baseball123",
    "welcome123",
    "welcome1234",
    "letmein123",
    "abcdefghij",
    "abc1234567",
    "monkey1234",
    "dragon1234",
    "sunshine12",
    "princess12",
    "superman123",
    "trustno1234",
    "changeme123",
    "administrator",
    "adminadmin",
    "admin12345",
    "master1234",
    "starwars123",
    "whatever12",
    "987654321a",
    "9876543210",
    "acroyoga123",
    "jamiejamie",
    "yogayogayoga",
    "p@ssw0rd123",
    "passwordpassword",
    "qwertyqwerty",
];

/// The stored hash (PHC string).
#[derive(Clone, Debug, Serialize, Deserialize)]
struct PasswordItem {
    hash: String,
}

/// Checks a new password against the rules.
pub fn check_strength(password: &str) -> Result<(), FieldError> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(FieldError("Use at least 10 characters."));
    }
    if chars > MAX_CHARS {
        return Err(FieldError("Use at most 200 characters."));
    }
    let lower = password.to_lowercase();
    let first = lower.chars().next();
    if COMMON.contains(&lower.as_str()) || lower.chars().all(|c| Some(c) == first) {
        return Err(FieldError("That password is too common. Choose another."));
    }
    Ok(())
}

fn hash(password: &str) -> Result<String, Error> {
    let salt = random_bytes::<16>();
    Argon2::default()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| Error::failed("hashing a password", e.to_string()))
}

fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Why setting a password did not work.
#[derive(Debug, thiserror::Error)]
pub enum SetPasswordError {
    #[error(transparent)]
    Weak(FieldError),
    #[error(transparent)]
    NotRecent(#[from] NotRecent),
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error(transparent)]
    Internal(#[from] Error),
}

/// Confirms that `actor` may make a sensitive change of their account: their sign-in was made
/// with an email link less than 10 minutes ago, or `current_password` is the account's password
/// (each try counted with the password sign-ins of that address, under the same pause).
pub(crate) async fn confirm_recent<E: From<NotRecent> + From<Error>>(
    ctx: &Context,
    actor: &Actor,
    current_password: &str,
) -> Result<(), E> {
    if sign_ins::is_recent_link_sign_in(ctx, actor).await? {
        return Ok(());
    }
    let stored: Option<PasswordItem> = ctx
        .store
        .get(&keys::password(&actor.user.id))
        .await
        .map_err(Error::from)?;
    let Some(stored) = stored else {
        return Err(NotRecent::SignInAgain.into());
    };
    if current_password.is_empty() {
        return Err(NotRecent::PasswordMissing.into());
    }
    // Signed in already: the address's pause applies, the per-client one is for sign-ins.
    let Attempt::Counted { address, client } = count_attempt(ctx, &actor.user.email, None).await?
    else {
        return Err(NotRecent::Paused.into());
    };
    if !verify(current_password, &stored.hash) {
        return Err(NotRecent::WrongPassword.into());
    }
    forget_attempt(ctx, &address, client.as_ref()).await?;
    Ok(())
}

/// Sets (or replaces) the signed-in user's password, given the proof of a recent sign-in (see
/// [`confirm_recent`]), and ends every other sign-in of the account: one made with a stolen
/// cookie does not outlive the change.
#[tracing::instrument(skip_all)]
pub async fn set(
    ctx: &Context,
    principal: &Principal,
    current_password: &str,
    password: &str,
) -> Result<(), SetPasswordError> {
    let actor = authorize(principal, Operation::ManageOwnAccount)?;
    check_strength(password).map_err(SetPasswordError::Weak)?;
    confirm_recent::<SetPasswordError>(ctx, actor, current_password).await?;
    let item = PasswordItem {
        hash: hash(password)?,
    };
    ctx.store
        .put_item(&Entry::new(keys::password(&actor.user.id)), &item)
        .await
        .map_err(Error::from)?;
    sign_ins::end_all_but(ctx, &actor.user.id, Some(&actor.sign_in)).await?;
    Ok(())
}

/// Removes the user's password, if any (when their account is deleted).
pub(crate) async fn remove(ctx: &Context, user: &UserId) -> Result<(), Error> {
    ctx.store.delete_item(&keys::password(user)).await?;
    Ok(())
}

/// What the signed-in user's account page shows of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountOverview {
    pub email: Email,
    pub display_name: DisplayName,
    pub has_password: bool,
    /// Signed in with an email link in the last 10 minutes: sensitive changes need no password.
    pub recent_sign_in: bool,
}

/// The signed-in user's account as their account page shows it.
pub async fn account_overview(
    ctx: &Context,
    principal: &Principal,
) -> Result<AccountOverview, AccountError> {
    let actor = authorize(principal, Operation::ManageOwnAccount)?;
    Ok(AccountOverview {
        email: actor.user.email.clone(),
        display_name: actor.user.display_name.clone(),
        has_password: has_password(ctx, &actor.user.id).await?,
        recent_sign_in: sign_ins::is_recent_link_sign_in(ctx, actor).await?,
    })
}

/// Whether the user has a password.
async fn has_password(ctx: &Context, user: &UserId) -> Result<bool, Error> {
    Ok(ctx
        .store
        .get::<PasswordItem>(&keys::password(user))
        .await?
        .is_some())
}

#[derive(Debug, Serialize, Deserialize)]
struct Pause {
    until: i64,
}

/// The failure counter of an address in the current 15-minute window, and its pause; kept
/// whether or not the address has an account, so a pause reveals nothing.
fn failures_key(email: &Email, now: i64) -> Key {
    let window = now / LOCKOUT.as_secs();
    keys::rate_window("password-failures", email.as_str(), &window.to_string())
}

fn pause_key(email: &Email) -> Key {
    keys::rate_window("password-pause", email.as_str(), "current")
}

/// What counting a password attempt found.
enum Attempt {
    /// Counted: the address's failure counter (cleared on success) and, when a client was
    /// given, its hour's window (given back on success: only failures count against it).
    Counted { address: Key, client: Option<Key> },
    /// Password checks for the address are paused.
    Paused,
    /// The client used up its failures for the hour; they count afresh from `until`.
    ClientPaused { until: jiff::Timestamp },
}

/// Counts a password attempt for `email` (and for `client`, across addresses) before it is
/// checked, in one transaction, so parallel guesses cannot pass either limit and a refused
/// attempt counts for neither. The [`MAX_FAILURES`]th attempt in a window starts the address's
/// pause.
async fn count_attempt(
    ctx: &Context,
    email: &Email,
    client: Option<&ClientIp>,
) -> Result<Attempt, Error> {
    let now = ctx.clock.epoch_seconds();
    let pause: Option<Pause> = ctx.store.get(&pause_key(email)).await?;
    if pause.is_some_and(|pause| pause.until > now) {
        return Ok(Attempt::Paused);
    }
    let address = failures_key(email, now);
    let reserve = Change::new("ADD #count :one SET expires_at = :expires")
        .when("attribute_not_exists(#count) OR #count < :max")
        .name("#count", "count")
        .value(":one", 1)
        .value(":max", MAX_FAILURES)
        .value(":expires", now + 2 * LOCKOUT.as_secs());
    const PER_ADDRESS: &str = "password failures of the address";
    const PER_CLIENT: &str = "password failures of the client";
    let mut writes = ctx.store.transaction();
    writes.update(PER_ADDRESS, &address, reserve)?;
    let client = match client {
        Some(client) => {
            let (window, count) = rate_limit(
                ctx,
                "password-client",
                client.as_str(),
                ctx.config.limits.password_failures_per_client_hour,
            );
            writes.update(PER_CLIENT, &window, count)?;
            Some(window)
        }
        None => None,
    };
    match writes.commit().await {
        Ok(()) => Ok(Attempt::Counted { address, client }),
        Err(conflict) if writes.failed(&conflict, PER_CLIENT) => Ok(Attempt::ClientPaused {
            until: Per::Hour.ends(ctx.clock.now()),
        }),
        Err(conflict) if writes.failed(&conflict, PER_ADDRESS) => {
            let until = now + LOCKOUT.as_secs();
            ctx.store
                .put_item(
                    &Entry::new(pause_key(email)).expires_at(until),
                    &Pause { until },
                )
                .await?;
            Ok(Attempt::Paused)
        }
        Err(error) => Err(error.into()),
    }
}

/// A successful check clears the address's failures and gives the client back the attempt
/// it counted.
async fn forget_attempt(ctx: &Context, address: &Key, client: Option<&Key>) -> Result<(), Error> {
    ctx.store.delete_item(address).await?;
    if let Some(window) = client {
        ctx.store
            .update_item(
                window,
                Change::new("ADD #count :minus")
                    .when("attribute_exists(#count)")
                    .name("#count", "count")
                    .value(":minus", -1),
            )
            .await
            .or_else(|error| match error {
                StoreError::Conflict { .. } => Ok(()),
                other => Err(other),
            })?;
    }
    Ok(())
}

/// Signs in with email and password. Unknown address, no password and a wrong password all
/// answer [`SignInError::WrongPassword`] after the same reads and the same hashing work. Each
/// attempt is counted before the password is checked, so parallel guesses cannot pass the limit.
#[tracing::instrument(skip_all)]
pub async fn sign_in(
    ctx: &Context,
    email: &Email,
    password: &str,
    next: Option<LocalPath>,
    client: &ClientIp,
) -> Result<SignedIn, SignInError> {
    let (address, client) = match count_attempt(ctx, email, Some(client)).await? {
        Attempt::Counted { address, client } => (address, client),
        Attempt::Paused => return Err(SignInError::PasswordPaused),
        Attempt::ClientPaused { until } => return Err(SignInError::ClientPaused { until }),
    };
    // The same reads whether or not the address has an account.
    let user_id = ctx
        .store
        .get::<accounts::EmailClaim>(&keys::email_claim(email))
        .await?
        .map_or_else(UserId::generate, |claim| claim.user_id);
    let password_key = keys::password(&user_id);
    let user_key = keys::user(&user_id);
    let (user, stored) = tokio::try_join!(
        ctx.store.get::<accounts::User>(&user_key),
        ctx.store.get::<PasswordItem>(&password_key),
    )?;
    // A fixed hash to verify against when there is none, so every answer costs the same.
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("not a real password at all").unwrap_or_default());
    let matches = verify(
        password,
        stored
            .as_ref()
            .map_or(dummy.as_str(), |item| item.hash.as_str()),
    );
    match user {
        Some(user) if matches && stored.is_some() => {
            // A success clears the attempts it reserved and those before it, and gives the
            // client back the one it counted: only failures count against it.
            forget_attempt(ctx, &address, client.as_ref()).await?;
            open_sign_in(ctx, user, SignInMethod::Password, next).await
        }
        _ => Err(SignInError::WrongPassword),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passwords_are_refused() {
        assert_eq!(
            check_strength("short"),
            Err(FieldError("Use at least 10 characters."))
        );
        assert!(
            check_strength("Password123").is_err(),
            "common, whatever the case"
        );
        assert!(
            check_strength("aaaaaaaaaaaa").is_err(),
            "one repeated character"
        );
        assert!(check_strength(&"x".repeat(201)).is_err());
        assert!(check_strength("flyer on the base's feet").is_ok());
    }

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let stored = hash("correct horse battery").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &stored));
        assert!(!verify("correct horse batter", &stored));
        assert!(!verify("anything", "not a hash"));
    }
}

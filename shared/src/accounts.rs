//! Organizer accounts: who they are (email, display name), how they are found (by id, by email),
//! and their standing (superadmin, blocked). Participants need no account.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{
    Context, Error,
    authorization::ActingUser,
    ids::UserId,
    store::{Entry, StoreError, keys},
    values::{DisplayName, Email},
};

/// Why and when a superadmin blocked an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub reason: String,
    pub at: Timestamp,
    pub by: UserId,
}

/// An organizer's account, as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub email: Email,
    pub display_name: DisplayName,
    pub created_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_login_at: Option<Timestamp>,
    #[serde(default)]
    pub superadmin: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<Block>,
    /// Series this user owns; kept by the transactions that create and delete series, so the
    /// superadmin's list needs no count query per row.
    #[serde(default)]
    pub series_count: u32,
}

impl From<User> for ActingUser {
    fn from(user: User) -> Self {
        Self {
            blocked: user.blocked.is_some(),
            id: user.id,
            email: user.email,
            display_name: user.display_name,
            superadmin: user.superadmin,
        }
    }
}

/// The claim that gives an email address to exactly one account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailClaim {
    pub user_id: UserId,
}

/// Where a user item lives: its key and its place in the admin list (GSI1, by creation).
pub fn user_entry(user: &User) -> Entry {
    Entry::new(keys::user(&user.id)).gsi1(
        keys::USERS_INDEX,
        format!("{}#{}", keys::sortable_time(user.created_at), user.id),
    )
}

/// The account with this id.
pub async fn get(ctx: &Context, id: &UserId) -> Result<Option<User>, Error> {
    Ok(ctx.store.get(&keys::user(id)).await?)
}

/// The accounts with these ids, in the order given (`None` for an id with no account): one
/// BatchGetItem per 100 ids, whatever their number.
pub async fn get_many(ctx: &Context, ids: &[UserId]) -> Result<Vec<Option<User>>, Error> {
    let mut users = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(100) {
        let wanted: Vec<_> = chunk.iter().map(keys::user).collect();
        for item in ctx.store.get_many(&wanted).await? {
            users.push(
                item.map(|item| serde_dynamo::from_item(item).map_err(StoreError::from))
                    .transpose()?,
            );
        }
    }
    Ok(users)
}

/// The account that owns this email address.
pub async fn find_by_email(ctx: &Context, email: &Email) -> Result<Option<User>, Error> {
    let Some(claim) = ctx
        .store
        .get::<EmailClaim>(&keys::email_claim(email))
        .await?
    else {
        return Ok(None);
    };
    get(ctx, &claim.user_id).await
}

/// The account for `email`, created with `name` if there is none. Two racing creations for the
/// same address end with one account: the loser reads the winner's.
pub async fn find_or_create(
    ctx: &Context,
    email: &Email,
    name: &DisplayName,
) -> Result<User, Error> {
    if let Some(user) = find_by_email(ctx, email).await? {
        return Ok(user);
    }
    let user = User {
        id: UserId::generate(),
        email: email.clone(),
        display_name: name.clone(),
        created_at: ctx.clock.now(),
        last_login_at: None,
        superadmin: false,
        blocked: None,
        series_count: 0,
    };
    let claim = EmailClaim {
        user_id: user.id.clone(),
    };
    let mut writes = ctx.store.transaction();
    writes
        .put_new(
            "address claim",
            &Entry::new(keys::email_claim(email)),
            &claim,
        )?
        .put_new("user", &user_entry(&user), &user)?;
    match writes.commit().await {
        Ok(()) => Ok(user),
        // Someone signing up with the same address got there first: theirs is the account.
        Err(conflict @ StoreError::Conflict { .. }) => find_by_email(ctx, email)
            .await?
            .ok_or(Error::Store(conflict)),
        Err(error) => Err(error.into()),
    }
}

/// Why an account operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(transparent)]
    Denied(#[from] crate::authorization::Denied),
    #[error("There is no such account.")]
    NotFound,
    #[error("Type your account's email address exactly to confirm.")]
    NotConfirmed,
    #[error(transparent)]
    NotRecent(#[from] crate::authorization::NotRecent),
    #[error("You cannot block your own account.")]
    CannotBlockSelf,
    #[error("Say why the account is blocked (up to 500 characters).")]
    ReasonRequired,
    #[error(
        "You own series with upcoming sessions. Cancel those sessions or delete the series first, or hand it over by inviting a co-organizer."
    )]
    OwnsUpcomingSessions,
    #[error(transparent)]
    Internal(#[from] Error),
}

impl From<StoreError> for AccountError {
    fn from(error: StoreError) -> Self {
        Self::Internal(error.into())
    }
}

/// Users per page of the superadmin's list.
pub const USERS_PER_PAGE: usize = 25;

/// A page of the superadmin's user list.
#[derive(Clone, Debug)]
pub struct UserPage {
    pub users: Vec<User>,
    /// Pass back as `after` for the next page.
    pub next: Option<String>,
}

/// Every account, newest first, optionally only those whose email or name contains `search`;
/// paged by the opaque `after` cursor. Superadmins only.
#[tracing::instrument(skip(ctx, principal))]
pub async fn list(
    ctx: &Context,
    principal: &crate::authorization::Principal,
    search: &str,
    after: Option<&str>,
) -> Result<UserPage, AccountError> {
    use crate::{
        authorization::{Operation, authorize},
        store::{Condition, Query},
    };
    authorize(principal, Operation::ListUsers)?;
    let search = search.trim();
    let mut start = after.and_then(cursor_key);
    let mut users = Vec::new();
    // A filtered query may return short pages; a few more reads fill one.
    for _ in 0..10 {
        let mut query = Query::index("GSI1", keys::USERS_INDEX);
        query.descending = true;
        query.limit = Some(i32::try_from(USERS_PER_PAGE + 1 - users.len()).unwrap_or(26));
        query.start = start.take();
        if !search.is_empty() {
            query.filter = Some(
                Condition::new("contains(email, :lower) OR contains(display_name, :raw)")
                    .value(":lower", search.to_lowercase())
                    .value(":raw", search),
            );
        }
        let page = ctx.store.query::<User>(query).await?;
        users.extend(page.items);
        start = page.next;
        if users.len() > USERS_PER_PAGE || start.is_none() {
            break;
        }
    }
    let more = users.len() > USERS_PER_PAGE || start.is_some();
    users.truncate(USERS_PER_PAGE);
    let next = more
        .then(|| {
            users
                .last()
                .map(|user| format!("{}#{}", keys::sortable_time(user.created_at), user.id))
        })
        .flatten();
    Ok(UserPage { users, next })
}

/// The DynamoDB start key for a cursor `created#user_id`, if it is well formed.
fn cursor_key(cursor: &str) -> Option<crate::store::Item> {
    let (created, id) = cursor.rsplit_once('#')?;
    let id: UserId = id.parse().ok()?;
    created.parse::<Timestamp>().ok()?;
    Some(crate::store::start_after(
        &keys::user(&id),
        "GSI1",
        keys::USERS_INDEX,
        cursor,
    ))
}

/// Records `block` on `target`'s account (which must exist).
pub(crate) async fn set_block(
    ctx: &Context,
    target: &UserId,
    block: &Block,
) -> Result<(), AccountError> {
    use crate::store::{Change, Value};
    let change = Change::new("SET blocked = :block")
        .when("attribute_exists(PK)")
        .value(":block", Value::of(block)?);
    match ctx.store.update_item(&keys::user(target), change).await {
        Err(StoreError::Conflict { .. }) => Err(AccountError::NotFound),
        other => Ok(other?),
    }
}

/// Lifts the block on `target`'s account (which must exist).
pub(crate) async fn clear_block(ctx: &Context, target: &UserId) -> Result<(), AccountError> {
    let change = crate::store::Change::new("REMOVE blocked").when("attribute_exists(PK)");
    match ctx.store.update_item(&keys::user(target), change).await {
        Err(StoreError::Conflict { .. }) => Err(AccountError::NotFound),
        other => Ok(other?),
    }
}

/// Sets the display name of `user`'s account.
pub(crate) async fn set_display_name(
    ctx: &Context,
    user: &UserId,
    name: &DisplayName,
) -> Result<(), AccountError> {
    let change = crate::store::Change::new("SET display_name = :name")
        .when("attribute_exists(PK)")
        .value(":name", name.as_str());
    ctx.store.update_item(&keys::user(user), change).await?;
    Ok(())
}

/// Deletes `user`'s address claim and profile.
pub(crate) async fn remove(ctx: &Context, user: &ActingUser) -> Result<(), AccountError> {
    ctx.store
        .delete_item(&keys::email_claim(&user.email))
        .await?;
    ctx.store.delete_item(&keys::user(&user.id)).await?;
    Ok(())
}

/// Confirmation links one account may have sent per hour.
pub const EMAIL_CHANGES_PER_HOUR: i64 = 5;

/// How long an email-change link works.
pub const EMAIL_CHANGE_LIFETIME: jiff::SignedDuration = jiff::SignedDuration::from_hours(1);

/// A pending change of address, keyed by the hash of the link's token.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct EmailChange {
    user_id: UserId,
    new_email: Email,
    expires_at: i64,
}

/// Why an email change did not happen.
#[derive(Debug, thiserror::Error)]
pub enum EmailChangeError {
    #[error(transparent)]
    Denied(#[from] crate::authorization::Denied),
    #[error("That is already your address.")]
    Unchanged,
    #[error(transparent)]
    NotRecent(#[from] crate::authorization::NotRecent),
    #[error("Too many confirmation links were requested. Please wait an hour and try again.")]
    RateLimited,
    #[error(
        "This confirmation link has expired or was already used. Ask for a new one on your account page."
    )]
    LinkInvalid,
    #[error("That address already belongs to another Jamie account.")]
    Taken,
    #[error(transparent)]
    Internal(#[from] Error),
}

impl From<StoreError> for EmailChangeError {
    fn from(error: StoreError) -> Self {
        Self::Internal(error.into())
    }
}

/// Sends a confirmation link to `new_email` for `actor`, whose recent sign-in the caller has
/// confirmed (`account_changes::request_email_change`); the address changes only when the link
/// is used.
pub(crate) async fn request_email_change(
    ctx: &Context,
    actor: &crate::authorization::Actor,
    new_email: &Email,
) -> Result<(), EmailChangeError> {
    use crate::{
        ids::LinkId,
        outbox::{Kind, Notification, Recipient},
        tokens::LinkPurpose,
    };
    let link = LinkId::generate();
    let token = ctx
        .signing
        .link_secret(LinkPurpose::EmailChange, link.as_str());
    let expires_at = ctx.clock.epoch_seconds() + EMAIL_CHANGE_LIFETIME.as_secs();
    let change = EmailChange {
        user_id: actor.user.id.clone(),
        new_email: new_email.clone(),
        expires_at,
    };
    let email = Notification::new(ctx, Recipient::email(new_email), Kind::EmailChange { link });
    const HOURLY_LIMIT: &str = "hourly limit";
    let (window, count) = crate::limits::rate_limit(
        ctx,
        "email-change",
        actor.user.id.as_str(),
        EMAIL_CHANGES_PER_HOUR,
    );
    let mut writes = ctx.store.transaction();
    writes
        .update(HOURLY_LIMIT, &window, count)?
        .put_new(
            "email change",
            &Entry::new(keys::email_change(&token.hash())).expires_at(expires_at),
            &change,
        )?
        .put_new("confirmation email", &email.entry(), &email)?;
    match writes.commit().await {
        Ok(()) => Ok(()),
        Err(conflict) if writes.failed_writes(&conflict) == [HOURLY_LIMIT] => {
            Err(EmailChangeError::RateLimited)
        }
        Err(error) => Err(error.into()),
    }
}

/// The address a pending change link would set, if the link is still good.
pub async fn preview_email_change(
    ctx: &Context,
    token: &crate::ids::SecretToken,
) -> Result<Email, EmailChangeError> {
    let change: Option<EmailChange> = ctx.store.get(&keys::email_change(&token.hash())).await?;
    match change {
        Some(change) if change.expires_at > ctx.clock.epoch_seconds() => Ok(change.new_email),
        _ => Err(EmailChangeError::LinkInvalid),
    }
}

/// Uses an email-change link (once): moves the account's address claim to the new address
/// and updates the account, in one transaction.
#[tracing::instrument(skip_all)]
pub async fn confirm_email_change(
    ctx: &Context,
    token: &crate::ids::SecretToken,
) -> Result<Email, EmailChangeError> {
    use crate::store::{Change, Condition};
    let key = keys::email_change(&token.hash());
    let change: EmailChange = ctx
        .store
        .take(
            &key,
            Condition::new("attribute_exists(PK) AND expires_at > :now")
                .value(":now", ctx.clock.epoch_seconds()),
        )
        .await?
        .ok_or(EmailChangeError::LinkInvalid)?;
    let user = get(ctx, &change.user_id)
        .await?
        .ok_or(EmailChangeError::LinkInvalid)?;
    let claim = EmailClaim {
        user_id: user.id.clone(),
    };
    const NEW_CLAIM: &str = "new address claim";
    let mut writes = ctx.store.transaction();
    writes
        .put_new(
            NEW_CLAIM,
            &Entry::new(keys::email_claim(&change.new_email)),
            &claim,
        )?
        .delete(
            "old address claim",
            &keys::email_claim(&user.email),
            Condition::new("user_id = :me").value(":me", user.id.as_str()),
        )?
        .update(
            "user",
            &keys::user(&user.id),
            Change::new("SET email = :email")
                .when("email = :old")
                .value(":email", change.new_email.as_str())
                .value(":old", user.email.as_str()),
        )?;
    match writes.commit().await {
        Ok(()) => Ok(change.new_email),
        Err(conflict) if writes.failed(&conflict, NEW_CLAIM) => Err(EmailChangeError::Taken),
        Err(StoreError::Conflict { .. }) => Err(EmailChangeError::LinkInvalid),
        Err(error) => Err(error.into()),
    }
}

/// The address of the email-change link `link` (its secret derived again, never stored).
pub fn email_change_url(ctx: &Context, link: &crate::ids::LinkId) -> String {
    let token = ctx
        .signing
        .link_secret(crate::tokens::LinkPurpose::EmailChange, link.as_str());
    ctx.config
        .base_url
        .join(&format!("/account/email/{}", token.expose()))
}

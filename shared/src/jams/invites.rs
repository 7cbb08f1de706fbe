//! Co-organizer invites. The owner invites an email address; the invite is an item of the
//! series (so it can be listed and revoked) and a signed token valid 48 hours (so the link
//! proves itself without a lookup of a secret). Only the invited address can accept it:
//! accepting marks the invite used and adds the membership in one transaction, so two people
//! racing for one invite end with one co-organizer.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::series::{self, Membership, Series, SeriesError};
use crate::{
    Context, Error, accounts,
    authorization::{Denied, Operation, OrganizerRole, Principal, authorize},
    ids::{SeriesId, UserId},
    outbox::{Kind, Notification, Recipient},
    store::{Change, Condition, Entry, Query, StoreError, keys},
    values::{Email, FormErrors},
};

/// How long an invite link works.
pub const INVITE_LIFETIME: SignedDuration = SignedDuration::from_hours(48);

/// The audience of invite tokens, so no other signed token passes as one.
const AUDIENCE: &str = "co-organizer-invite";

pub use crate::ids::{InvalidInviteId, InviteId};

/// An invite, as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invite {
    pub id: InviteId,
    pub series_id: SeriesId,
    pub email: Email,
    pub invited_by: UserId,
    pub inviter_name: String,
    pub created_at: Timestamp,
    pub valid_until: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_by: Option<UserId>,
    /// Absent until accepted: the accept transaction's condition checks that.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_at: Option<Timestamp>,
}

impl Invite {
    /// The link that accepts it (regenerated from the invite: the same every time).
    pub fn link(&self, ctx: &Context) -> Result<String, Error> {
        let claims = Claims {
            aud: AUDIENCE.to_owned(),
            sub: self.id.as_str().to_owned(),
            series: self.series_id.to_string(),
            exp: self.valid_until.as_second(),
        };
        let token = ctx.signing.sign(&claims)?;
        Ok(format!("{}/jams/invites/{token}", ctx.config.base_url))
    }

    fn is_open(&self, now: Timestamp) -> bool {
        self.accepted_at.is_none() && self.valid_until > now
    }
}

/// What an invite token says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Claims {
    aud: String,
    /// The invite id.
    sub: String,
    series: String,
    exp: i64,
}

/// Why an invite link does not work, each with its own page.
#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    #[error("This invite link is not valid. Check that it was copied whole.")]
    Invalid,
    #[error("This invite has expired.")]
    Expired,
    #[error("This invite has already been accepted.")]
    Used,
    #[error("This invite was withdrawn by the series' owner.")]
    Revoked,
    #[error("You already organize this series.")]
    AlreadyOrganizer(SeriesId),
    #[error("This invite is for {invited}; you're signed in as {signed_in}.")]
    ForSomeoneElse { invited: Email, signed_in: Email },
    #[error(transparent)]
    Series(#[from] SeriesError),
}

impl From<StoreError> for InviteError {
    fn from(error: StoreError) -> Self {
        Self::Series(error.into())
    }
}

impl From<Error> for InviteError {
    fn from(error: Error) -> Self {
        Self::Series(error.into())
    }
}

impl From<Denied> for InviteError {
    fn from(denied: Denied) -> Self {
        Self::Series(denied.into())
    }
}

/// A new invite and its link.
#[derive(Clone, Debug)]
pub struct Invited {
    pub invite: Invite,
    pub link: String,
}

/// Invites one organizer may send in a UTC day.
pub const INVITES_PER_ORGANIZER_PER_DAY: i64 = 20;

/// The owner invites `email` to co-organize series `id`: the invite item, its email (in the
/// outbox) and the organizer's count for the day in one transaction.
#[tracing::instrument(skip_all)]
pub async fn invite(
    ctx: &Context,
    principal: &Principal,
    id: &SeriesId,
    email: &str,
) -> Result<Invited, InviteError> {
    let access = series::access(ctx, principal, id, Operation::ManageOrganizers).await?;
    // The owner types someone else's address: the messages speak of theirs, not "your".
    let email = Email::parse(email).map_err(|error| {
        let message = if email.trim().is_empty() {
            "Enter their email address."
        } else {
            error.0
        };
        SeriesError::Invalid(FormErrors::single("email", message))
    })?;
    if let Some(user) = accounts::find_by_email(ctx, &email).await?
        && ctx
            .store
            .get::<Membership>(&keys::organizer(id, &user.id))
            .await?
            .is_some()
    {
        return Err(SeriesError::Invalid(FormErrors::single(
            "email",
            "This person already organizes the series.",
        ))
        .into());
    }
    let now = ctx.clock.now();
    if of_series(ctx, id)
        .await?
        .iter()
        .any(|invite| invite.email == email && invite.is_open(now))
    {
        return Err(SeriesError::Invalid(FormErrors::single(
            "email",
            "An invite to this address is already waiting: copy its link below, or revoke it first.",
        ))
        .into());
    }
    let invite = Invite {
        id: InviteId::generate(),
        series_id: id.clone(),
        email: email.clone(),
        invited_by: access.actor.user.id.clone(),
        inviter_name: access.actor.user.display_name.as_str().to_owned(),
        created_at: now,
        valid_until: now.saturating_add(INVITE_LIFETIME).unwrap_or(now),
        accepted_by: None,
        accepted_at: None,
    };
    let link = invite.link(ctx)?;
    let notification = Notification::new(
        ctx,
        Recipient::email(&email),
        Kind::Invitation {
            series: id.clone(),
            invite: invite.id.clone(),
        },
    );
    // Kept a month past expiry so an old link still says "expired", then removed by TTL.
    let expires = invite.valid_until.as_second() + 30 * 24 * 3600;
    // Each invite mails an address the organizer typed: a day's worth per organizer.
    const PER_ORGANIZER: &str = "invites of the organizer today";
    let (window, count) = crate::limits::rate_limit_per(
        ctx,
        "invite-organizer",
        access.actor.user.id.as_str(),
        INVITES_PER_ORGANIZER_PER_DAY,
        crate::limits::Per::Day,
    );
    let mut writes = ctx.store.transaction();
    writes
        .update(PER_ORGANIZER, &window, count)?
        .put_new(
            "invite",
            &Entry::new(keys::invite(id, invite.id.as_str())).expires_at(expires),
            &invite,
        )?
        .put("invite email", &notification.entry(), &notification, None)?;
    match writes.commit().await {
        Ok(()) => Ok(Invited { invite, link }),
        Err(conflict) if writes.failed(&conflict, PER_ORGANIZER) => {
            Err(SeriesError::Invalid(FormErrors::single(
                "email",
                format!(
                    "You have sent {INVITES_PER_ORGANIZER_PER_DAY} invites today, the most Jamie sends for one organizer in a day. Please try again tomorrow."
                ),
            ))
            .into())
        }
        Err(error) => Err(error.into()),
    }
}

/// Invite `invite` of series `series` with the series, as they stand (the worker's read when it
/// sends the invitation); `None` when either is gone.
pub async fn with_series(
    ctx: &Context,
    series: &SeriesId,
    invite: &InviteId,
) -> Result<Option<(Invite, Series)>, Error> {
    let found = ctx
        .store
        .get_many(&[keys::invite(series, invite.as_str()), keys::series(series)])
        .await?;
    let mut found = found.into_iter();
    let (Some(Some(invite)), Some(Some(series))) = (found.next(), found.next()) else {
        return Ok(None);
    };
    Ok(Some((
        serde_dynamo::from_item(invite).map_err(crate::store::StoreError::from)?,
        serde_dynamo::from_item(series).map_err(crate::store::StoreError::from)?,
    )))
}

async fn of_series(ctx: &Context, id: &SeriesId) -> Result<Vec<Invite>, Error> {
    let partition = keys::series(id).pk;
    let mut query = Query::table(&partition);
    query.prefix = Some("INVITE#");
    Ok(ctx.store.query::<Invite>(query).await?.items)
}

/// The invites of a series still waiting to be accepted, with their links (owner only).
pub async fn pending(
    ctx: &Context,
    principal: &Principal,
    id: &SeriesId,
) -> Result<Vec<Invited>, InviteError> {
    series::access(ctx, principal, id, Operation::ManageOrganizers).await?;
    let now = ctx.clock.now();
    let mut pending = Vec::new();
    for invite in of_series(ctx, id).await? {
        if invite.is_open(now) {
            let link = invite.link(ctx)?;
            pending.push(Invited { invite, link });
        }
    }
    pending.sort_by_key(|invited| invited.invite.created_at);
    Ok(pending)
}

/// The owner withdraws an invite that was not accepted yet.
pub async fn revoke(
    ctx: &Context,
    principal: &Principal,
    id: &SeriesId,
    invite: &InviteId,
) -> Result<(), InviteError> {
    series::access(ctx, principal, id, Operation::ManageOrganizers).await?;
    let condition = Condition::new("attribute_exists(PK) AND attribute_not_exists(accepted_at)");
    let mut writes = ctx.store.transaction();
    let key = keys::invite(id, invite.as_str());
    writes.delete("invite", &key, condition)?;
    match writes.commit().await {
        Ok(()) => Ok(()),
        // Accepted meanwhile, or no such invite (withdrawn already, or never made).
        Err(error) if error.is_conflict() => match ctx.store.get::<Invite>(&key).await? {
            Some(found) if found.accepted_at.is_some() => Err(InviteError::Used),
            _ => Err(InviteError::Revoked),
        },
        Err(error) => Err(error.into()),
    }
}

/// An open invite as its link shows it.
#[derive(Clone, Debug)]
pub struct InvitePreview {
    pub invite: Invite,
    pub series: Series,
}

/// The series a genuine invite token names, whatever became of the invite (so the person who
/// accepted it can be sent to the series).
pub fn series_of(ctx: &Context, token: &str) -> Option<SeriesId> {
    let claims: Claims = ctx.signing.verify_for(token, AUDIENCE)?;
    claims.series.parse().ok()
}

/// What an invite link leads to, or why it does not work.
pub async fn preview(ctx: &Context, token: &str) -> Result<InvitePreview, InviteError> {
    let claims: Claims = ctx
        .signing
        .verify_for(token, AUDIENCE)
        .ok_or(InviteError::Invalid)?;
    let series_id: SeriesId = claims.series.parse().map_err(|_| InviteError::Invalid)?;
    let (invite_key, series_key) = (
        keys::invite(&series_id, &claims.sub),
        keys::series(&series_id),
    );
    let (invite, series) = tokio::try_join!(
        ctx.store.get::<Invite>(&invite_key),
        ctx.store.get::<Series>(&series_key),
    )?;
    let (Some(invite), Some(series)) = (invite, series) else {
        return Err(InviteError::Revoked);
    };
    if invite.accepted_at.is_some() {
        return Err(InviteError::Used);
    }
    if invite.valid_until <= ctx.clock.now() || claims.exp <= ctx.clock.now().as_second() {
        return Err(InviteError::Expired);
    }
    Ok(InvitePreview { invite, series })
}

/// The signed-in user accepts the invite of `token` and becomes a co-organizer; only the
/// address it was sent to can (compared as [`Email`] normalises them).
#[tracing::instrument(skip_all)]
pub async fn accept(
    ctx: &Context,
    principal: &Principal,
    token: &str,
) -> Result<SeriesId, InviteError> {
    let actor = authorize(principal, Operation::AcceptInvite)?;
    let InvitePreview { invite, series } = preview(ctx, token).await?;
    if actor.user.email != invite.email {
        return Err(InviteError::ForSomeoneElse {
            invited: invite.email,
            signed_in: actor.user.email.clone(),
        });
    }
    let user = &actor.user.id;
    if ctx
        .store
        .get::<Membership>(&keys::organizer(&series.id, user))
        .await?
        .is_some()
    {
        return Err(InviteError::AlreadyOrganizer(series.id));
    }
    let now = ctx.clock.now();
    let membership = Membership {
        series_id: series.id.clone(),
        user_id: user.clone(),
        role: OrganizerRole::CoOrganizer,
        added_at: now,
    };
    let claim = Change::new("SET accepted_by = :user, accepted_at = :now")
        .when("attribute_exists(PK) AND attribute_not_exists(accepted_at)")
        .value(":user", user.as_str())
        .value(":now", crate::store::Value::of(&now)?);
    const MEMBERSHIP: &str = "membership";
    let mut writes = ctx.store.transaction();
    writes
        .update(
            "invite",
            &keys::invite(&series.id, invite.id.as_str()),
            claim,
        )?
        .put_new(
            MEMBERSHIP,
            &series::membership_entry(&membership),
            &membership,
        )?;
    let result = writes.commit().await;
    match result {
        Ok(()) => {
            series::refresh_organizers(ctx, &series.id).await?;
            Ok(series.id)
        }
        Err(conflict) if writes.failed(&conflict, MEMBERSHIP) => {
            Err(InviteError::AlreadyOrganizer(series.id))
        }
        Err(StoreError::Conflict { .. }) => {
            Err(preview(ctx, token).await.err().unwrap_or(InviteError::Used))
        }
        Err(error) => Err(error.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invite_ids_are_the_letters_and_digits_we_make() {
        let made = InviteId::generate();
        assert_eq!(made.as_str().parse::<InviteId>().unwrap(), made);
        for bad in ["", "a/b", "..", &"x".repeat(65)] {
            assert!(bad.parse::<InviteId>().is_err(), "{bad:?}");
        }
    }
}

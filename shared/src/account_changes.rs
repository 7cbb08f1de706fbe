//! Account operations whose effects reach past the account: blocking, unblocking, renaming and
//! deleting it end its sign-ins and refresh the organizer names kept on its series; changing its
//! address or deleting it first needs the proof of a recent sign-in.

use crate::{
    Context,
    accounts::{self, AccountError, Block, EmailChangeError},
    authorization::{Operation, OrganizerRole, Principal, authorize},
    ids::UserId,
    jams::{series, sessions},
    passwords, sign_ins,
    values::{DisplayName, Email},
};

/// Blocks `target` with a reason: their sign-ins end at once and they cannot sign in; the
/// series they organize stop showing them. Superadmins only, and not themselves.
#[tracing::instrument(skip(ctx, principal))]
pub async fn block(
    ctx: &Context,
    principal: &Principal,
    target: &UserId,
    reason: &str,
) -> Result<(), AccountError> {
    let actor = authorize(principal, Operation::BlockUsers)?;
    if &actor.user.id == target {
        return Err(AccountError::CannotBlockSelf);
    }
    let reason = crate::values::plain_text(reason);
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AccountError::ReasonRequired);
    }
    let block = Block {
        reason,
        at: ctx.clock.now(),
        by: actor.user.id.clone(),
    };
    accounts::set_block(ctx, target, &block).await?;
    sign_ins::end_all(ctx, target).await?;
    series::refresh_organizers_of(ctx, target).await?;
    Ok(())
}

/// Lifts a block. Superadmins only.
#[tracing::instrument(skip(ctx, principal))]
pub async fn unblock(
    ctx: &Context,
    principal: &Principal,
    target: &UserId,
) -> Result<(), AccountError> {
    authorize(principal, Operation::BlockUsers)?;
    accounts::clear_block(ctx, target).await?;
    series::refresh_organizers_of(ctx, target).await?;
    Ok(())
}

/// Changes the signed-in user's display name, also where their series show it.
#[tracing::instrument(skip(ctx, principal))]
pub async fn rename(
    ctx: &Context,
    principal: &Principal,
    name: &DisplayName,
) -> Result<(), AccountError> {
    let actor = authorize(principal, Operation::ManageOwnAccount)?;
    accounts::set_display_name(ctx, &actor.user.id, name).await?;
    series::refresh_organizers_of(ctx, &actor.user.id).await?;
    Ok(())
}

/// Sends a confirmation link to `new_email` for the signed-in user, given the proof of a
/// recent sign-in (`current_password`, or none after a fresh email link: see
/// [`passwords::confirm_recent`]); the address changes only when the link is used.
#[tracing::instrument(skip(ctx, principal, current_password))]
pub async fn request_email_change(
    ctx: &Context,
    principal: &Principal,
    current_password: &str,
    new_email: &Email,
) -> Result<(), EmailChangeError> {
    let actor = authorize(principal, Operation::ManageOwnAccount)?;
    if &actor.user.email == new_email {
        return Err(EmailChangeError::Unchanged);
    }
    passwords::confirm_recent::<EmailChangeError>(ctx, actor, current_password).await?;
    accounts::request_email_change(ctx, actor, new_email).await
}

/// Deletes the signed-in user's account once `confirmation` is its email address and the
/// sign-in is recent (`current_password`, or a fresh email link): every sign-in ends, the
/// password, the address claim and the profile go. An owner of series with upcoming sessions
/// is refused until they hand them over or cancel them.
#[tracing::instrument(skip(ctx, principal, current_password))]
pub async fn delete(
    ctx: &Context,
    principal: &Principal,
    current_password: &str,
    confirmation: &str,
) -> Result<(), AccountError> {
    let actor = authorize(principal, Operation::ManageOwnAccount)?;
    let user = &actor.user;
    if Email::parse(confirmation).ok().as_ref() != Some(&user.email) {
        return Err(AccountError::NotConfirmed);
    }
    passwords::confirm_recent::<AccountError>(ctx, actor, current_password).await?;
    let now = ctx.clock.now();
    for (series, role) in series::of_user(ctx, &user.id).await? {
        if role != OrganizerRole::Owner {
            continue;
        }
        let upcoming = sessions::between(
            ctx,
            &series.id,
            now,
            now.saturating_add(jiff::SignedDuration::from_hours(24 * 366 * 5))
                .unwrap_or(now),
        )
        .await?;
        if upcoming
            .iter()
            .any(|session| session.status == sessions::SessionStatus::Scheduled)
        {
            return Err(AccountError::OwnsUpcomingSessions);
        }
    }
    sign_ins::end_all(ctx, &user.id).await?;
    passwords::remove(ctx, &user.id).await?;
    accounts::remove(ctx, user).await?;
    // The series they helped organize stop showing their name.
    series::refresh_organizers_of(ctx, &user.id).await?;
    Ok(())
}

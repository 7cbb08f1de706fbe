//! Delivering notifications: the queue message that names an outbox item, the worker's claim of
//! it, the facts read at send time, the email through SES, fan-out expansion and the status.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::{
    Context, Error,
    adapters::ses::{self, File, OutgoingEmail, SendError},
    bookings::{self, Registration, RegistrationStatus},
    ids::{NotificationId, SeriesId},
    jams::{
        invites::Invite,
        series::Series,
        sessions::{Session, SessionStatus},
    },
    outbox::{Audience, KEPT_AFTER_DONE, Kind, Notification, Recipient, Status},
    store::{Change, StoreError, keys},
    values::{Email, TimeZone},
};

/// The body of a message on the notifications queue: which outbox item to deliver. The relay
/// (the table's stream through an EventBridge Pipe, or the dev server) and the sweep write it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueMessage {
    pub notification_id: NotificationId,
}

/// Hands notification `id` to the queue (the local relay and the stuck-item sweep; in AWS the
/// Pipe writes the same body).
pub async fn enqueue(ctx: &Context, id: &NotificationId) -> Result<(), Error> {
    let body = serde_json::to_string(&QueueMessage {
        notification_id: id.clone(),
    })
    .map_err(|e| Error::failed("writing a queue message", e))?;
    ctx.queue
        .send_message()
        .queue_url(&ctx.config.notifications_queue_url)
        .message_body(body)
        .send()
        .await
        .map_err(|e| Error::aws("sending to the notifications queue", e))?;
    Ok(())
}

/// How long a worker's claim holds before another worker may take the notification over (a
/// crashed worker's claim ends by itself). Well under the queue's visibility timeout.
pub const LEASE: SignedDuration = SignedDuration::from_secs(60);

/// Claims after which a notification is given up as failed.
pub const MAX_ATTEMPTS: u32 = 5;

/// Why a queue message could not be handled.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// The body is not a [`QueueMessage`]; retrying will not help.
    #[error("malformed queue message: {0}")]
    Malformed(#[from] serde_json::Error),
    /// Delivery failed for now and should be retried (the queue redelivers, then dead-letters).
    #[error(transparent)]
    Failed(#[from] Error),
    /// The email provider could not take it now.
    #[error(transparent)]
    Provider(SendError),
    /// Another worker holds the notification's claim; if that worker dies, this message takes
    /// over once the lease has passed.
    #[error("notification {0} is claimed by another worker")]
    Claimed(NotificationId),
}

impl DeliveryError {
    /// Whether the queue should deliver the message again.
    pub fn is_retryable(&self) -> bool {
        !matches!(self, Self::Malformed(_))
    }
}

impl From<StoreError> for DeliveryError {
    fn from(error: StoreError) -> Self {
        Self::Failed(error.into())
    }
}

/// What became of one queue message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Sent, with the provider's message id.
    Sent(String),
    /// A fan-out, expanded into this many notifications (new ones; a re-run adds none).
    Expanded(usize),
    /// Not sent: it no longer applied, the address is suppressed, or it could not be sent.
    Finished(Status),
    /// Nothing to do: unknown, already handled, or claimed by another worker just now.
    Nothing,
}

/// A file to attach, by the renderer.
pub type Attachment = File;

/// An email as the renderer makes it.
#[derive(Clone, Debug, Default)]
pub struct RenderedEmail {
    pub subject: String,
    pub html: String,
    pub text: String,
    pub attachments: Vec<Attachment>,
}

/// The addresses a jam email links to.
#[derive(Clone, Debug)]
pub struct JamLinks {
    pub session: String,
    pub calendar: String,
    pub series: String,
    /// The registration's cancel link (derived, never stored).
    pub cancel: String,
    /// The link that keeps a held registration (derived), while it is held.
    pub confirm: Option<String>,
    /// The app's host (the calendar event's UID domain, as the `.ics` routes write it).
    pub host: String,
}

/// A notification about a registration, with the data as it stands now.
#[derive(Clone, Debug)]
pub struct JamLetter<'a> {
    /// What happened (with its own data: the time before a move, the lead of a reminder, an
    /// organizer's words).
    pub news: &'a Kind,
    pub series: &'a Series,
    pub session: &'a Session,
    pub registration: &'a Registration,
    /// The place in its role's queue, when waitlisted.
    pub position: Option<u32>,
    pub links: JamLinks,
    /// When it is sent (the calendar file's DTSTAMP).
    pub now: Timestamp,
}

/// Everything an email is made from.
#[derive(Clone, Debug)]
pub enum Letter<'a> {
    SignInLink {
        url: String,
        valid_minutes: u32,
    },
    EmailChange {
        url: String,
        new_email: &'a Email,
        valid_minutes: u32,
    },
    Invitation {
        url: String,
        series: &'a str,
        inviter: &'a str,
        valid_until: Timestamp,
        zone: TimeZone,
    },
    Jam(JamLetter<'a>),
}

/// Turns a letter into an email (the templates crate implements it; the domain knows no HTML);
/// `None` for a letter it has no email for.
pub trait Renderer: Send + Sync {
    fn email(&self, letter: &Letter<'_>) -> Option<RenderedEmail>;
}

/// Handles one queue message: claims the notification, expands a fan-out or renders and sends
/// the email, and records the outcome. A redelivered message finds the notification claimed or
/// done and does nothing, so each is sent once.
#[tracing::instrument(skip(ctx, renderer, body))]
pub async fn handle_message(
    ctx: &Context,
    renderer: &dyn Renderer,
    body: &str,
) -> Result<Outcome, DeliveryError> {
    let message: QueueMessage = serde_json::from_str(body)?;
    deliver(ctx, renderer, &message.notification_id).await
}

/// Delivers notification `id` (see [`handle_message`]).
pub async fn deliver(
    ctx: &Context,
    renderer: &dyn Renderer,
    id: &NotificationId,
) -> Result<Outcome, DeliveryError> {
    let Some(notification) = claim(ctx, id).await? else {
        return Ok(Outcome::Nothing);
    };
    if notification.attempts > MAX_ATTEMPTS {
        let detail = format!("gave up after {MAX_ATTEMPTS} attempts");
        finish(ctx, id, Status::Failed, None, Some(&detail)).await?;
        return Ok(Outcome::Finished(Status::Failed));
    }
    if notification.about.is_fan_out() {
        let written = expand(ctx, &notification).await?;
        finish(ctx, id, Status::Expanded, None, None).await?;
        return Ok(Outcome::Expanded(written));
    }
    let Some(Recipient::Email { address }) = &notification.to else {
        finish(ctx, id, Status::Failed, None, Some("no recipient")).await?;
        return Ok(Outcome::Finished(Status::Failed));
    };
    if let Some(suppressed) = ctx
        .store
        .get::<Suppression>(&keys::suppressed(address))
        .await?
    {
        let detail = format!("the address is suppressed ({})", suppressed.reason);
        finish(ctx, id, Status::Suppressed, None, Some(&detail)).await?;
        return Ok(Outcome::Finished(Status::Suppressed));
    }
    let facts = match read_facts(ctx, &notification).await? {
        Ok(facts) => facts,
        Err(skip) => {
            finish(ctx, id, Status::Skipped, None, Some(skip)).await?;
            return Ok(Outcome::Finished(Status::Skipped));
        }
    };
    let reply_to = reply_to(ctx, &facts).await?;
    let Some(email) = renderer.email(&facts.letter(ctx, &notification)) else {
        let detail = format!("no email for a {} notification", notification.about.name());
        finish(ctx, id, Status::Failed, None, Some(&detail)).await?;
        return Ok(Outcome::Finished(Status::Failed));
    };
    let outgoing = OutgoingEmail {
        from: &ctx.config.email_from,
        to: address.as_str(),
        reply_to: reply_to.as_ref().map(Email::as_str),
        subject: &email.subject,
        html: &email.html,
        text: &email.text,
        attachments: &email.attachments,
        configuration_set: ctx.config.ses_configuration_set.as_deref(),
        notification: id.as_str(),
    };
    match ses::send(&ctx.email, &outgoing).await {
        Ok(message_id) => {
            finish(ctx, id, Status::Sent, Some(&message_id), None).await?;
            tracing::info!(notification = %id, kind = notification.about.name(), "email sent");
            Ok(Outcome::Sent(message_id))
        }
        Err(SendError::Refused(reason)) => {
            finish(ctx, id, Status::Failed, None, Some(&reason)).await?;
            Ok(Outcome::Finished(Status::Failed))
        }
        // The claim stays until its lease ends; the queue brings the message back after that.
        Err(error @ SendError::Transient(_)) => Err(DeliveryError::Provider(error)),
    }
}

/// Where replies to an email go: the series owner's address when the series asks for it (one
/// read of the owner's account, only then), else nowhere but the sender.
async fn reply_to(ctx: &Context, facts: &Facts) -> Result<Option<Email>, DeliveryError> {
    let Facts::Jam { series, .. } = facts else {
        return Ok(None);
    };
    if !series.replies_to_owner {
        return Ok(None);
    }
    let owner = crate::accounts::get(ctx, &series.owner).await?;
    Ok(owner
        .filter(|owner| owner.blocked.is_none())
        .map(|owner| owner.email))
}

/// Takes notification `id` for this worker: pending, or claimed by a worker whose lease ran
/// out. `None` when there is nothing to do (unknown or done); an error while another worker's
/// lease holds, so the queue brings the message back and it takes over if that worker died.
async fn claim(ctx: &Context, id: &NotificationId) -> Result<Option<Notification>, DeliveryError> {
    let now = ctx.clock.now();
    let lease_until = now.saturating_add(LEASE).unwrap_or(now);
    let change = Change::new(
        "SET #status = :sending, lease_until = :lease, updated_at = :now \
         ADD attempts :one",
    )
    .when(
        "attribute_exists(PK) AND (#status = :pending OR \
         (#status = :sending AND lease_until < :now))",
    )
    .name("#status", "status")
    .value(":sending", Status::Sending.as_str())
    .value(":pending", Status::Pending.as_str())
    .value(":lease", crate::store::Value::of(&lease_until)?)
    .value(":now", crate::store::Value::of(&now)?)
    .value(":one", 1);
    match ctx
        .store
        .update_returning::<Notification>(&keys::notification(id), change)
        .await
    {
        Ok(notification) => Ok(Some(notification)),
        Err(StoreError::Conflict { .. }) => {
            match ctx
                .store
                .get::<Notification>(&keys::notification(id))
                .await?
            {
                Some(held) if held.status == Status::Sending => {
                    Err(DeliveryError::Claimed(id.clone()))
                }
                _ => Ok(None),
            }
        }
        Err(error) => Err(error.into()),
    }
}

/// Records where a claimed notification ended: out of the pending index, kept for the delivery
/// log until [`KEPT_AFTER_DONE`].
async fn finish(
    ctx: &Context,
    id: &NotificationId,
    status: Status,
    provider_id: Option<&str>,
    detail: Option<&str>,
) -> Result<(), StoreError> {
    let now = ctx.clock.now();
    let mut set = vec![
        "#status = :status",
        "updated_at = :now",
        "expires_at = :expires",
    ];
    if provider_id.is_some() {
        set.push("provider_id = :provider");
    }
    if detail.is_some() {
        set.push("detail = :detail");
    }
    let expires = now.as_second() + KEPT_AFTER_DONE.as_secs();
    let mut change = Change::new(format!(
        "SET {} REMOVE GSI1PK, GSI1SK, lease_until",
        set.join(", ")
    ))
    .when("#status = :sending")
    .name("#status", "status")
    .value(":status", status.as_str())
    .value(":sending", Status::Sending.as_str())
    .value(":now", crate::store::Value::of(&now)?)
    .value(":expires", expires);
    if let Some(provider_id) = provider_id {
        change = change.value(":provider", provider_id);
    }
    if let Some(detail) = detail {
        change = change.value(":detail", detail);
    }
    match ctx.store.update_item(&keys::notification(id), change).await {
        // Taken over by another worker after our lease ran out: theirs is the record.
        Ok(()) | Err(StoreError::Conflict { .. }) => Ok(()),
        Err(error) => Err(error),
    }
}

/// Writes one notification per person a fan-out concerns, each with an id derived from the
/// fan-out and the registration, so a re-run writes none twice. Only registrations made before
/// the change are told; cancelled ones are not.
async fn expand(ctx: &Context, fan_out: &Notification) -> Result<usize, DeliveryError> {
    let Some(session_id) = fan_out.session() else {
        return Ok(0);
    };
    let Some((_, registrations)) = bookings::everyone_of(ctx, session_id).await? else {
        return Ok(0);
    };
    let mut written = 0;
    for registration in registrations
        .iter()
        .filter(|registration| registration.created_at <= fan_out.created_at)
    {
        let active = registration.status != RegistrationStatus::Cancelled;
        let session = session_id.clone();
        let id = registration.id.clone();
        let about = match &fan_out.about {
            Kind::SessionChangedForEveryone { before, .. } if active => Kind::SessionChanged {
                session,
                registration: id,
                before: before.clone(),
            },
            Kind::SessionCancelledForEveryone { .. } if active => Kind::SessionCancelled {
                session,
                registration: id,
            },
            Kind::MessageForEveryone {
                from,
                text,
                audience,
                ..
            } if in_audience(*audience, registration.status) => Kind::OrganizerMessage {
                session,
                registration: id,
                from: from.clone(),
                text: text.clone(),
            },
            _ => continue,
        };
        let notification = Notification::with_id(
            ctx,
            NotificationId::derived(&[fan_out.id.as_str(), registration.id.as_str()]),
            Some(Recipient::email(&registration.email)),
            about,
        );
        if ctx
            .store
            .put_item_new(&notification.entry(), &notification)
            .await?
        {
            written += 1;
        }
    }
    Ok(written)
}

fn in_audience(audience: Audience, status: RegistrationStatus) -> bool {
    match (audience, status) {
        (_, RegistrationStatus::Cancelled) => false,
        (Audience::Everyone, _) => true,
        (Audience::Confirmed, status) => status == RegistrationStatus::Confirmed,
        (Audience::Waitlisted, status) => status == RegistrationStatus::Waitlisted,
    }
}

/// An address that no email goes to any more: it bounced hard or its owner complained.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppression {
    pub email: Email,
    /// `bounced` or `complained`, with SES's words.
    pub reason: String,
    pub since: Timestamp,
}

/// The data a notification's email is made from, read now.
enum Facts {
    SignIn(String),
    EmailChange(String, Email),
    Invitation(Box<Invite>, Box<Series>, String),
    Jam {
        series: Box<Series>,
        session: Box<Session>,
        registration: Box<Registration>,
    },
}

impl Facts {
    fn letter<'a>(&'a self, ctx: &Context, notification: &'a Notification) -> Letter<'a> {
        match self {
            Facts::SignIn(url) => Letter::SignInLink {
                url: url.clone(),
                valid_minutes: minutes(crate::sign_ins::MAGIC_LINK_LIFETIME),
            },
            Facts::EmailChange(url, new_email) => Letter::EmailChange {
                url: url.clone(),
                new_email,
                valid_minutes: minutes(crate::accounts::EMAIL_CHANGE_LIFETIME),
            },
            Facts::Invitation(invite, series, url) => Letter::Invitation {
                url: url.clone(),
                series: &series.name,
                inviter: &invite.inviter_name,
                valid_until: invite.valid_until,
                zone: series.time_zone.clone(),
            },
            Facts::Jam {
                series,
                session,
                registration,
            } => Letter::Jam(JamLetter {
                news: &notification.about,
                series,
                session,
                registration,
                position: bookings::position_of(session, &registration.id),
                links: JamLinks {
                    session: session.public_url(ctx),
                    calendar: format!("{}.ics", session.public_url(ctx)),
                    series: series_url(ctx, &series.id),
                    cancel: bookings::cancel_url(ctx, registration),
                    confirm: registration
                        .held_until
                        .map(|_| bookings::confirm_url(ctx, registration)),
                    host: ctx.config.base_url.host().to_owned(),
                },
                now: ctx.clock.now(),
            }),
        }
    }
}

fn minutes(lifetime: SignedDuration) -> u32 {
    u32::try_from(lifetime.as_mins()).unwrap_or(u32::MAX)
}

/// The public page of a series.
pub fn series_url(ctx: &Context, series: &SeriesId) -> String {
    format!("{}/series/{series}", ctx.config.base_url)
}

/// Reads what `notification` needs, as it stands now; `Err(why)` when it no longer applies.
async fn read_facts(
    ctx: &Context,
    notification: &Notification,
) -> Result<Result<Facts, &'static str>, DeliveryError> {
    let now = ctx.clock.now();
    let age = now.duration_since(notification.created_at);
    match &notification.about {
        Kind::SignInLink { link } => {
            if age > crate::sign_ins::MAGIC_LINK_LIFETIME {
                return Ok(Err("the link expired before it could be sent"));
            }
            Ok(Ok(Facts::SignIn(crate::sign_ins::link_url(ctx, link))))
        }
        Kind::EmailChange { link } => {
            if age > crate::accounts::EMAIL_CHANGE_LIFETIME {
                return Ok(Err("the link expired before it could be sent"));
            }
            let Some(Recipient::Email { address }) = &notification.to else {
                return Ok(Err("no recipient"));
            };
            Ok(Ok(Facts::EmailChange(
                crate::accounts::email_change_url(ctx, link),
                address.clone(),
            )))
        }
        Kind::Invitation { series, invite } => {
            let Some((invite, series)) =
                crate::jams::invites::with_series(ctx, series, invite).await?
            else {
                return Ok(Err("the invite was revoked"));
            };
            if invite.accepted_at.is_some() {
                return Ok(Err("the invite was accepted already"));
            }
            if invite.valid_until <= now {
                return Ok(Err("the invite expired"));
            }
            let url = invite.link(ctx)?;
            Ok(Ok(Facts::Invitation(
                Box::new(invite),
                Box::new(series),
                url,
            )))
        }
        about => {
            let Some((session_id, registration_id)) = about.registration() else {
                return Ok(Err("not a notification to one person"));
            };
            let found = ctx
                .store
                .get_many(&[
                    keys::session(session_id),
                    keys::registration(session_id, registration_id),
                ])
                .await?;
            let mut found = found.into_iter();
            let (Some(Some(session)), Some(Some(registration))) = (found.next(), found.next())
            else {
                return Ok(Err("the session or the registration is gone"));
            };
            let session: Session = serde_dynamo::from_item(session).map_err(StoreError::from)?;
            let registration: Registration =
                serde_dynamo::from_item(registration).map_err(StoreError::from)?;
            if let Some(skip) = stale(about, &session, &registration, now) {
                return Ok(Err(skip));
            }
            let Some(series) = ctx
                .store
                .get::<Series>(&keys::series(&session.series_id))
                .await?
            else {
                return Ok(Err("the series is gone"));
            };
            Ok(Ok(Facts::Jam {
                series: Box::new(series),
                session: Box::new(session),
                registration: Box::new(registration),
            }))
        }
    }
}

/// Why a notification about a registration no longer applies, if it does not.
fn stale(
    about: &Kind,
    session: &Session,
    registration: &Registration,
    now: Timestamp,
) -> Option<&'static str> {
    let cancelled = registration.status == RegistrationStatus::Cancelled;
    let scheduled = session.status == SessionStatus::Scheduled;
    match about {
        Kind::RegistrationCancelled { .. }
        | Kind::HoldReleased { .. }
        | Kind::SessionCancelled { .. } => None,
        _ if cancelled => Some("the registration was cancelled meanwhile"),
        Kind::SessionChanged { .. } | Kind::OrganizerMessage { .. } => {
            (!scheduled).then_some("the session is no longer scheduled")
        }
        _ if !scheduled => Some("the session is no longer scheduled"),
        Kind::Waitlisted { .. } if registration.status != RegistrationStatus::Waitlisted => {
            Some("the registration left the waitlist meanwhile")
        }
        Kind::Promoted { .. } | Kind::RoleChanged { .. } | Kind::Reminder { .. }
            if registration.status != RegistrationStatus::Confirmed =>
        {
            Some("the registration holds no spot any more")
        }
        Kind::Reminder { lead, .. } => {
            let due = session
                .starts_at
                .checked_sub(lead.before_start())
                .unwrap_or(session.starts_at);
            if session.starts_at <= now {
                Some("the session has started")
            } else if now.duration_since(due) < -crate::outbox::REMINDER_EARLY {
                Some("the session moved later; its reminder comes nearer the time")
            } else {
                None
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_messages_round_trip_as_json() {
        let message = QueueMessage {
            notification_id: NotificationId::generate(),
        };
        let body = serde_json::to_string(&message).unwrap();
        assert_eq!(
            serde_json::from_str::<QueueMessage>(&body).unwrap(),
            message
        );
        assert!(serde_json::from_str::<QueueMessage>("{\"notification_id\":\"x\"}").is_err());
    }

    #[test]
    fn only_a_malformed_message_is_hopeless() {
        let malformed = serde_json::from_str::<QueueMessage>("{").unwrap_err();
        assert!(!DeliveryError::Malformed(malformed).is_retryable());
        assert!(DeliveryError::Provider(SendError::Transient("throttled".into())).is_retryable());
    }

    #[test]
    fn the_audience_of_a_message_is_who_it_names() {
        use RegistrationStatus::*;
        assert!(in_audience(Audience::Everyone, Waitlisted));
        assert!(in_audience(Audience::Confirmed, Confirmed));
        assert!(!in_audience(Audience::Confirmed, Waitlisted));
        assert!(!in_audience(Audience::Waitlisted, Confirmed));
        assert!(!in_audience(Audience::Everyone, Cancelled));
    }
}

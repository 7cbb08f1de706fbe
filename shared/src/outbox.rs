//! The outbox: what happened to whom — a kind, a recipient and the ids it is about, never
//! rendered text nor a usable secret — written in the same transaction as the change, and where
//! each notification stands on its way out (claimed, sent, delivered, bounced…).

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::{
    Context, Error,
    ids::{InviteId, LinkId, NotificationId, RegistrationId, SeriesId, SessionId},
    store::{Entry, Query, keys},
    values::Email,
};

/// Who a notification goes to, and by which channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "channel", rename_all = "snake_case")]
pub enum Recipient {
    Email { address: Email },
}

impl Recipient {
    pub fn email(address: &Email) -> Self {
        Recipient::Email {
            address: address.clone(),
        }
    }

    /// The address or chat, for the delivery log.
    pub fn label(&self) -> &str {
        match self {
            Recipient::Email { address } => address.as_str(),
        }
    }
}

/// How long before the start a reminder goes out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lead {
    /// About 24 hours before.
    Day,
    /// About 2 hours before (when the series asks for a second reminder).
    TwoHours,
}

impl Lead {
    pub fn as_str(self) -> &'static str {
        match self {
            Lead::Day => "day",
            Lead::TwoHours => "two_hours",
        }
    }

    /// How long before the start the reminder is due.
    pub fn before_start(self) -> SignedDuration {
        match self {
            Lead::Day => SignedDuration::from_hours(24),
            Lead::TwoHours => SignedDuration::from_hours(2),
        }
    }
}

/// How much earlier than its due time a reminder may go out (the reminders job runs every 15
/// minutes and looks an hour either side of the lead); the worker skips one due later than that.
pub const REMINDER_EARLY: SignedDuration = SignedDuration::from_mins(75);

/// A session's time and place before a change, so the message can say "old → new".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Before {
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub venue: String,
    pub address: String,
}

/// Who an organizer's message is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Confirmed,
    Waitlisted,
    Everyone,
}

impl Audience {
    pub const ALL: [Audience; 3] = [
        Audience::Confirmed,
        Audience::Waitlisted,
        Audience::Everyone,
    ];

    /// Its name in a form and in the table.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Confirmed => "confirmed",
            Audience::Waitlisted => "waitlisted",
            Audience::Everyone => "everyone",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|audience| audience.as_str() == raw)
    }
}

/// What happened. The kinds that end in `ForEveryone` are fan-outs: one item in the change's
/// transaction that the worker expands into one notification per person registered then.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Kind {
    /// A sign-in (or sign-up) link; its secret is derived from `link`.
    SignInLink { link: LinkId },
    /// The link that confirms a new email address; its secret is derived from `link`.
    EmailChange { link: LinkId },
    /// An invitation to co-organize a series.
    Invitation { series: SeriesId, invite: InviteId },
    /// A registration got a spot.
    Confirmed {
        session: SessionId,
        registration: RegistrationId,
    },
    /// A registration joined the waitlist.
    Waitlisted {
        session: SessionId,
        registration: RegistrationId,
    },
    /// A waitlisted registration got a spot.
    Promoted {
        session: SessionId,
        registration: RegistrationId,
    },
    /// An organizer moved a confirmed registration to the other role.
    RoleChanged {
        session: SessionId,
        registration: RegistrationId,
    },
    /// A registration was cancelled (by its person or an organizer).
    RegistrationCancelled {
        session: SessionId,
        registration: RegistrationId,
    },
    /// A registration's hold ran out unconfirmed and was released (its spot passed on).
    HoldReleased {
        session: SessionId,
        registration: RegistrationId,
    },
    /// The session moved in time or place.
    SessionChanged {
        session: SessionId,
        registration: RegistrationId,
        before: Before,
    },
    /// The session was cancelled (its reason is on the session).
    SessionCancelled {
        session: SessionId,
        registration: RegistrationId,
    },
    /// The session starts soon.
    Reminder {
        session: SessionId,
        registration: RegistrationId,
        lead: Lead,
    },
    /// An organizer's words to the people of a session.
    OrganizerMessage {
        session: SessionId,
        registration: RegistrationId,
        from: String,
        text: String,
    },
    /// Fan-out of [`Kind::SessionChanged`].
    SessionChangedForEveryone { session: SessionId, before: Before },
    /// Fan-out of [`Kind::SessionCancelled`].
    SessionCancelledForEveryone { session: SessionId },
    /// Fan-out of [`Kind::OrganizerMessage`] to `audience`.
    MessageForEveryone {
        session: SessionId,
        from: String,
        text: String,
        audience: Audience,
    },
}

impl Kind {
    pub fn name(&self) -> &'static str {
        match self {
            Kind::SignInLink { .. } => "sign_in_link",
            Kind::EmailChange { .. } => "email_change",
            Kind::Invitation { .. } => "invitation",
            Kind::Confirmed { .. } => "confirmed",
            Kind::Waitlisted { .. } => "waitlisted",
            Kind::Promoted { .. } => "promoted",
            Kind::RoleChanged { .. } => "role_changed",
            Kind::RegistrationCancelled { .. } => "registration_cancelled",
            Kind::HoldReleased { .. } => "hold_released",
            Kind::SessionChanged { .. } => "session_changed",
            Kind::SessionCancelled { .. } => "session_cancelled",
            Kind::Reminder { .. } => "reminder",
            Kind::OrganizerMessage { .. } => "organizer_message",
            Kind::SessionChangedForEveryone { .. } => "session_changed_for_everyone",
            Kind::SessionCancelledForEveryone { .. } => "session_cancelled_for_everyone",
            Kind::MessageForEveryone { .. } => "message_for_everyone",
        }
    }

    /// The session and registration a notification to one participant is about.
    pub fn registration(&self) -> Option<(&SessionId, &RegistrationId)> {
        match self {
            Kind::Confirmed {
                session,
                registration,
            }
            | Kind::Waitlisted {
                session,
                registration,
            }
            | Kind::Promoted {
                session,
                registration,
            }
            | Kind::RoleChanged {
                session,
                registration,
            }
            | Kind::RegistrationCancelled {
                session,
                registration,
            }
            | Kind::HoldReleased {
                session,
                registration,
            }
            | Kind::SessionChanged {
                session,
                registration,
                ..
            }
            | Kind::SessionCancelled {
                session,
                registration,
            }
            | Kind::Reminder {
                session,
                registration,
                ..
            }
            | Kind::OrganizerMessage {
                session,
                registration,
                ..
            } => Some((session, registration)),
            _ => None,
        }
    }

    /// Whether this is a fan-out the worker expands rather than sends.
    pub fn is_fan_out(&self) -> bool {
        matches!(
            self,
            Kind::SessionChangedForEveryone { .. }
                | Kind::SessionCancelledForEveryone { .. }
                | Kind::MessageForEveryone { .. }
        )
    }
}

/// Where a notification stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Written, waiting for the worker.
    Pending,
    /// Claimed by a worker until `lease_until`; after that another may take it.
    Sending,
    /// Accepted by the provider (SES), with its message id.
    Sent,
    /// The recipient's server took it.
    Delivered,
    /// The address does not take mail (it is now suppressed).
    Bounced,
    /// The recipient marked it as spam (the address is now suppressed).
    Complained,
    /// It could not be sent; `detail` says why.
    Failed,
    /// Not sent because it no longer applied (cancelled meanwhile, session gone…).
    Skipped,
    /// Not sent because the address is on the suppression list.
    Suppressed,
    /// A fan-out whose notifications are all written.
    Expanded,
}

impl Status {
    pub const ALL: [Status; 10] = [
        Status::Pending,
        Status::Sending,
        Status::Sent,
        Status::Delivered,
        Status::Bounced,
        Status::Complained,
        Status::Failed,
        Status::Skipped,
        Status::Suppressed,
        Status::Expanded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Sending => "sending",
            Status::Sent => "sent",
            Status::Delivered => "delivered",
            Status::Bounced => "bounced",
            Status::Complained => "complained",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
            Status::Suppressed => "suppressed",
            Status::Expanded => "expanded",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == raw)
    }

    /// Whether the worker is done with it (no claim will take it again).
    pub fn is_final(self) -> bool {
        !matches!(self, Status::Pending | Status::Sending)
    }
}

/// How long a delivered (or otherwise finished) notification stays for the delivery log.
pub const KEPT_AFTER_DONE: SignedDuration = SignedDuration::from_hours(30 * 24);

/// An outbox item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: NotificationId,
    pub about: Kind,
    /// `None` for a fan-out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Recipient>,
    pub created_at: Timestamp,
    pub status: Status,
    /// Claims so far.
    #[serde(default)]
    pub attempts: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease_until: Option<Timestamp>,
    /// The provider's id of the sent message (SES `MessageId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_id: Option<String>,
    /// Why it failed, was skipped or bounced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Timestamp>,
}

impl Notification {
    /// A notification of `about` to `to`.
    pub fn new(ctx: &Context, to: Recipient, about: Kind) -> Self {
        Self::with_id(ctx, NotificationId::generate(), Some(to), about)
    }

    /// A fan-out of `about` (one of the `ForEveryone` kinds).
    pub fn for_everyone(ctx: &Context, about: Kind) -> Self {
        Self::with_id(ctx, NotificationId::generate(), None, about)
    }

    /// A notification with a given (derived) id: written only if absent, so the same one is
    /// never written twice.
    pub fn with_id(ctx: &Context, id: NotificationId, to: Option<Recipient>, about: Kind) -> Self {
        Self {
            id,
            about,
            to,
            created_at: ctx.clock.now(),
            status: Status::Pending,
            attempts: 0,
            lease_until: None,
            provider_id: None,
            detail: None,
            updated_at: None,
        }
    }

    /// Its place: by id; pending in GSI1 (the sweep re-enqueues what is stuck there); by day in
    /// GSI2 (the delivery log); by session in GSI3 when it is about a registration (the
    /// organizer's registration rows).
    pub fn entry(&self) -> Entry {
        let at = keys::sortable_time(self.created_at);
        let day = self.created_at.strftime("%Y-%m-%d").to_string();
        let mut entry = Entry::new(keys::notification(&self.id))
            .gsi1(keys::PENDING_OUTBOX_INDEX, format!("{at}#{}", self.id))
            .gsi2(keys::outbox_day_index(&day), format!("{at}#{}", self.id));
        if let Some((session, registration)) = self.about.registration() {
            entry = entry.gsi3(
                keys::session_notifications(session),
                format!("{registration}#{at}"),
            );
        }
        entry
    }

    /// The recipient's address or chat ("" for a fan-out).
    pub fn address(&self) -> &str {
        self.to.as_ref().map_or("", Recipient::label)
    }

    /// The session it is about, if any.
    pub fn session(&self) -> Option<&SessionId> {
        match &self.about {
            Kind::SessionChangedForEveryone { session, .. }
            | Kind::SessionCancelledForEveryone { session }
            | Kind::MessageForEveryone { session, .. } => Some(session),
            other => other.registration().map(|(session, _)| session),
        }
    }
}

/// One page of the delivery log: the notifications of a UTC day, newest first.
#[derive(Clone, Debug, Default)]
pub struct LogPage {
    pub notifications: Vec<Notification>,
    /// Where the next (older) page starts, if there is one.
    pub next: Option<String>,
}

/// The notifications created on `day` (`yyyy-mm-dd`, UTC), newest first, a page at a time.
pub async fn of_day(
    ctx: &Context,
    day: jiff::civil::Date,
    limit: usize,
    after: Option<&str>,
) -> Result<LogPage, Error> {
    let partition = keys::outbox_day_index(&day.strftime("%Y-%m-%d").to_string());
    let mut query = Query::index("GSI2", &partition);
    query.descending = true;
    query.limit = i32::try_from(limit).ok();
    let resume = after
        .and_then(|after| after.split_once('#'))
        .and_then(|(at, id)| Some((at, id.parse::<NotificationId>().ok()?)));
    if let Some((at, id)) = resume {
        query.start = Some(crate::store::start_after(
            &keys::notification(&id),
            "GSI2",
            &partition,
            &format!("{at}#{id}"),
        ));
    }
    let page = ctx.store.query::<Notification>(query).await?;
    let next = page.next.is_some().then(|| {
        page.items
            .last()
            .map(|last| format!("{}#{}", keys::sortable_time(last.created_at), last.id))
    });
    Ok(LogPage {
        notifications: page.items,
        next: next.flatten(),
    })
}

/// The newest notifications of today and yesterday (UTC), newest first.
pub async fn recent(ctx: &Context, limit: usize) -> Result<Vec<Notification>, Error> {
    let today = ctx
        .clock
        .now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    let mut found = of_day(ctx, today, limit, None).await?.notifications;
    if let (true, Ok(yesterday)) = (found.len() < limit, today.yesterday()) {
        found.extend(
            of_day(ctx, yesterday, limit - found.len(), None)
                .await?
                .notifications,
        );
    }
    Ok(found)
}

/// Every notification about the registrations of `session`, by registration then time (the
/// organizer's registration rows show the latest of each).
pub async fn of_session(ctx: &Context, session: &SessionId) -> Result<Vec<Notification>, Error> {
    let partition = keys::session_notifications(session);
    let mut found = Vec::new();
    let mut start = None;
    loop {
        let mut query = Query::index("GSI3", &partition);
        query.start = start;
        let page = ctx.store.query::<Notification>(query).await?;
        found.extend(page.items);
        match page.next {
            Some(next) => start = Some(next),
            None => return Ok(found),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_audience_is_read_back_by_the_name_it_is_stored_under() {
        for audience in Audience::ALL {
            assert_eq!(Audience::parse(audience.as_str()), Some(audience));
            assert_eq!(
                serde_json::to_value(audience).unwrap(),
                serde_json::Value::from(audience.as_str())
            );
        }
        assert_eq!(Audience::parse("organizers"), None);
    }
}

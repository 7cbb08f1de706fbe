//! The outbox: the notification items written in the same transaction as the change they
//! report (what it says, to whom, whether it went out); the newest feed the dev mailbox.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{
    Context, Error,
    ids::NotificationId,
    store::{Entry, Query, keys},
    values::Email,
};

/// What a notification says; the worker renders it into an email (and Telegram message) with
/// the templates when it sends it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Message {
    /// A sign-in (or sign-up) link.
    MagicLink { url: String },
    /// The link that confirms a new email address for an account.
    EmailChange { url: String },
    /// An invitation to co-organize a series; `url` accepts it.
    CoOrganizerInvite {
        url: String,
        series: String,
        inviter: String,
    },
    /// A session someone registered for moved in time or place; `url` is its page.
    SessionChanged {
        url: String,
        series: String,
        when: String,
        place: String,
    },
    /// A session someone registered for was cancelled.
    SessionCancelled {
        url: String,
        series: String,
        when: String,
        reason: String,
    },
    /// A registration was made: confirmed (in `role`) or waitlisted (for `role`); `url` is
    /// the private cancel link, `session_url` the session's page.
    Registered {
        url: String,
        session_url: String,
        series: String,
        when: String,
        confirmed: bool,
        role: String,
    },
    /// A waitlisted registration got a spot as `role`.
    Promoted {
        url: String,
        series: String,
        when: String,
        role: String,
    },
    /// An organizer moved a confirmed registration to another role.
    RoleChanged {
        url: String,
        series: String,
        when: String,
        role: String,
    },
    /// A registration was cancelled (by its person or an organizer).
    RegistrationCancelled {
        url: String,
        series: String,
        when: String,
    },
}

impl Message {
    /// The link the message carries.
    pub fn url(&self) -> &str {
        match self {
            Message::MagicLink { url }
            | Message::EmailChange { url }
            | Message::CoOrganizerInvite { url, .. }
            | Message::SessionChanged { url, .. }
            | Message::SessionCancelled { url, .. }
            | Message::Registered { url, .. }
            | Message::Promoted { url, .. }
            | Message::RoleChanged { url, .. }
            | Message::RegistrationCancelled { url, .. } => url,
        }
    }
}

impl Message {
    /// A one-line subject, also used by the dev mailbox.
    pub fn subject(&self) -> &'static str {
        match self {
            Message::MagicLink { .. } => "Your Jamie sign-in link",
            Message::EmailChange { .. } => "Confirm your new email address for Jamie",
            Message::CoOrganizerInvite { .. } => "You are invited to co-organize a jam on Jamie",
            Message::SessionChanged { .. } => "A jam you registered for has changed",
            Message::SessionCancelled { .. } => "A jam you registered for is cancelled",
            Message::Registered {
                confirmed: true, ..
            } => "You're registered for the jam",
            Message::Registered { .. } => "You're on the waitlist for the jam",
            Message::Promoted { .. } => "A spot freed up: you're in",
            Message::RoleChanged { .. } => "Your role at the jam has changed",
            Message::RegistrationCancelled { .. } => "Your jam registration is cancelled",
        }
    }
}

/// Where a notification stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pending,
    Sent,
}

/// An outbox item: written in the same transaction as the change it reports, so it is never
/// lost; sent by the worker, once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: NotificationId,
    pub to: Email,
    pub message: Message,
    pub created_at: Timestamp,
    pub status: Status,
}

impl Notification {
    pub fn new(ctx: &Context, to: Email, message: Message) -> Self {
        Self {
            id: NotificationId::generate(),
            to,
            message,
            created_at: ctx.clock.now(),
            status: Status::Pending,
        }
    }

    /// Its place: by id; pending in GSI1 (for the re-send sweep); by day in GSI2 (the dev
    /// mailbox and operators' view of what went out when).
    pub fn entry(&self) -> Entry {
        let at = keys::sortable_time(self.created_at);
        let day = self.created_at.strftime("%Y-%m-%d").to_string();
        Entry::new(keys::notification(&self.id))
            .gsi1(keys::PENDING_OUTBOX_INDEX, format!("{at}#{}", self.id))
            .gsi2(keys::outbox_day_index(&day), format!("{at}#{}", self.id))
    }
}

/// The newest notifications of the last two days, newest first (the dev mailbox).
pub async fn recent(ctx: &Context, limit: usize) -> Result<Vec<Notification>, Error> {
    let today = ctx.clock.now();
    let mut found = Vec::new();
    for day in [
        today,
        today
            .saturating_sub(jiff::SignedDuration::from_hours(24))
            .unwrap_or(today),
    ] {
        let partition = keys::outbox_day_index(&day.strftime("%Y-%m-%d").to_string());
        let mut query = Query::index("GSI2", &partition);
        query.descending = true;
        query.limit = i32::try_from(limit).ok();
        let page = ctx.store.query::<Notification>(query).await?;
        found.extend(page.items);
        if found.len() >= limit {
            break;
        }
    }
    found.truncate(limit);
    Ok(found)
}

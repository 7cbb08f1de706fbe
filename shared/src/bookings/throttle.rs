//! The limits a new registration counts against, written in its own transaction: per client
//! address for the session and for the hour, per email address for the day, per organizer
//! entering people by hand.

use jiff::Timestamp;

use super::{BookingError, Source};
use crate::Context;
use crate::ids::SessionId;
use crate::limits::{Per, rate_limit_per};
use crate::store::{StoreError, Transaction};
use crate::values::Email;

/// Which limit a registration ran into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegistrationLimit {
    /// Public registrations from one client address for one session, per hour.
    ClientSession,
    /// Public registrations from one client address, all sessions, per hour.
    Client,
    /// Registrations of one email address (public or by hand), all sessions, per UTC day.
    Email,
    /// People one organizer enters by hand, per hour.
    Organizer,
}

impl RegistrationLimit {
    const ALL: [Self; 4] = [
        Self::ClientSession,
        Self::Client,
        Self::Email,
        Self::Organizer,
    ];

    /// The name of its write in the registration's transaction.
    fn write(self) -> &'static str {
        match self {
            Self::ClientSession => "limit per client and session",
            Self::Client => "limit per client",
            Self::Email => "limit per email address",
            Self::Organizer => "limit per organizer",
        }
    }

    fn per(self) -> Per {
        match self {
            Self::Email => Per::Day,
            _ => Per::Hour,
        }
    }

    fn allowed(self, ctx: &Context) -> i64 {
        let limits = &ctx.config.limits;
        match self {
            Self::ClientSession => limits.registrations_per_client_session_hour,
            Self::Client => limits.registrations_per_client_hour,
            Self::Email => limits.registrations_per_email_day,
            Self::Organizer => limits.manual_entries_per_organizer_hour,
        }
    }
}

/// A registration refused by a limit: which, how many it allows, and when its window ends
/// (the next registration is counted afresh from then).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooMany {
    pub limit: RegistrationLimit,
    pub allowed: i64,
    pub until: Timestamp,
}

impl std::fmt::Display for TooMany {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.allowed;
        let registrations = if n == 1 {
            "1 registration was".to_owned()
        } else {
            format!("{n} registrations were")
        };
        match self.limit {
            RegistrationLimit::ClientSession => write!(
                f,
                "{registrations} already sent for this session from your connection this hour, the most Jamie takes from one connection."
            ),
            RegistrationLimit::Client => write!(
                f,
                "{registrations} already sent from your connection this hour, the most Jamie takes from one connection for all sessions together."
            ),
            RegistrationLimit::Email => write!(
                f,
                "This email address was already registered {} today, the most Jamie takes for one address in a day.",
                if n == 1 {
                    "once".to_owned()
                } else {
                    format!("{n} times")
                }
            ),
            RegistrationLimit::Organizer => write!(
                f,
                "You have entered {} by hand this hour, the most Jamie takes from one organizer.",
                if n == 1 {
                    "1 person".to_owned()
                } else {
                    format!("{n} people")
                }
            ),
        }
    }
}

/// Adds the counts a registration from `source` of `email` for session `id` makes to
/// `writes`: each fails its condition once its limit is reached.
pub(super) fn count(
    ctx: &Context,
    writes: &mut Transaction,
    source: &Source,
    id: &SessionId,
    email: &Email,
) -> Result<(), BookingError> {
    let counted: Vec<(RegistrationLimit, &str, String)> = match source {
        Source::Public { client } => vec![
            (
                RegistrationLimit::ClientSession,
                "register-client-session",
                format!("{client}#{id}"),
            ),
            (
                RegistrationLimit::Client,
                "register-client",
                client.to_string(),
            ),
            (
                RegistrationLimit::Email,
                "register-email",
                email.as_str().to_owned(),
            ),
        ],
        // The address's day counts entries by hand too: no one is mailed more often for
        // being typed by an organizer.
        Source::Manual { by, .. } => vec![
            (
                RegistrationLimit::Organizer,
                "register-organizer",
                by.user.to_string(),
            ),
            (
                RegistrationLimit::Email,
                "register-email",
                email.as_str().to_owned(),
            ),
        ],
    };
    for (limit, scope, key) in counted {
        let (window, change) = rate_limit_per(ctx, scope, &key, limit.allowed(ctx), limit.per());
        writes.update(limit.write(), &window, change)?;
    }
    Ok(())
}

/// Counts, alone, what a registration from `source` would count: for an attempt that wrote
/// nothing because the address is registered already, so the limits treat it exactly as a new
/// registration (a stranger learns nothing from where the 429 starts).
pub(super) async fn count_alone(
    ctx: &Context,
    source: &Source,
    id: &SessionId,
    email: &Email,
) -> Result<(), BookingError> {
    let mut writes = ctx.store.transaction();
    count(ctx, &mut writes, source, id, email)?;
    match writes.commit().await {
        Ok(()) => Ok(()),
        Err(conflict) => match exceeded(ctx, &writes, &conflict) {
            Some(too_many) => Err(BookingError::TooMany(too_many)),
            None => Err(conflict.into()),
        },
    }
}

/// The limit that refused `writes`, if one did.
pub(super) fn exceeded(
    ctx: &Context,
    writes: &Transaction,
    conflict: &StoreError,
) -> Option<TooMany> {
    RegistrationLimit::ALL
        .into_iter()
        .find(|limit| writes.failed(conflict, limit.write()))
        .map(|limit| TooMany {
            limit,
            allowed: limit.allowed(ctx),
            until: limit.per().ends(ctx.clock.now()),
        })
}

//! Every entity's keys, built in one place. `docs/data-model.md` documents the same table;
//! change both together.

use crate::ids::{NotificationId, RegistrationId, SeriesId, SessionId, TokenHash, UserId};

/// An email address as a key holds it. Only [`Email`](crate::values::Email) is one (it
/// implements this in `values`, a layer above), so no key is built from unchecked text.
pub trait EmailKey {
    fn key_text(&self) -> &str;
}

/// The primary key of one item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    pub pk: String,
    pub sk: String,
}

impl Key {
    fn new(pk: String, sk: &str) -> Self {
        Self {
            pk,
            sk: sk.to_owned(),
        }
    }
}

/// An organizer's account.
pub fn user(id: &UserId) -> Key {
    Key::new(format!("USER#{id}"), "PROFILE")
}

/// The claim that makes an email address belong to one account (user by email).
pub fn email_claim(email: &impl EmailKey) -> Key {
    Key::new(format!("EMAIL#{}", email.key_text()), "EMAIL")
}

/// A Telegram user linked to an account (user by Telegram id).
pub fn telegram_link(telegram_user_id: i64) -> Key {
    Key::new(format!("TELEGRAM#{telegram_user_id}"), "TELEGRAM")
}

/// A revocable login session of a user.
pub fn login_session(user: &UserId, session: &str) -> Key {
    Key::new(format!("USER#{user}"), &format!("SESSION#{session}"))
}

/// A user's password hash, beside the profile.
pub fn password(user: &UserId) -> Key {
    Key::new(format!("USER#{user}"), "PASSWORD")
}

/// A pending change of a user's email address, by the hash of its link's secret.
pub fn email_change(hash: &TokenHash) -> Key {
    Key::new(format!("EMAILCHANGE#{}", hash.as_str()), "EMAILCHANGE")
}

/// A magic-link token, by the hash of its secret.
pub fn magic_link(hash: &TokenHash) -> Key {
    Key::new(format!("MAGIC#{}", hash.as_str()), "MAGIC")
}

/// A fixed rate-limit window, e.g. `("login-email", "a@b.c", "2026-11-25T19")`.
pub fn rate_window(scope: &str, key: &str, window: &str) -> Key {
    Key::new(format!("RATE#{scope}#{key}#{window}"), "RATE")
}

/// A jam series.
pub fn series(id: &SeriesId) -> Key {
    Key::new(format!("SERIES#{id}"), "SERIES")
}

/// GSI2 partition of every series, by creation (the superadmin's overview).
pub const ALL_SERIES_INDEX: &str = "SERIES";

/// GSI1 partition of the series anyone may find (sparse: only public series that are neither
/// archived nor of a blocked owner carry it), by creation. `jams::series` decides which.
pub const LISTED_SERIES_INDEX: &str = "SERIES#LISTED";

/// An organizer (owner or co-organizer) of a series.
pub fn organizer(series: &SeriesId, user: &UserId) -> Key {
    Key::new(format!("SERIES#{series}"), &format!("ORGANIZER#{user}"))
}

/// GSI1 partition listing the series a user organizes.
pub fn organizer_index(user: &UserId) -> String {
    format!("ORGANIZER#{user}")
}

/// A pending co-organizer invite.
pub fn invite(series: &SeriesId, invite: &str) -> Key {
    Key::new(format!("SERIES#{series}"), &format!("INVITE#{invite}"))
}

/// The claim that gives one local date of a series to one session (`yyyy-mm-dd`, in the
/// series' time zone): scheduling skips a date that has one.
pub fn session_date(series: &SeriesId, date: &str) -> Key {
    Key::new(format!("SERIES#{series}"), &format!("DATE#{date}"))
}

/// A jam session: holds the per-role capacities, confirmed counts and the waitlist.
pub fn session(id: &SessionId) -> Key {
    Key::new(format!("SESSION#{id}"), "SESSION")
}

/// GSI1 partition of a series' sessions, sorted by start time.
pub fn sessions_of_series_index(series: &SeriesId) -> String {
    format!("SERIES#{series}#SESSIONS")
}

/// GSI2 partition of every session starting on one UTC day (`yyyy-mm-dd`).
pub fn sessions_on_day_index(day: &str) -> String {
    format!("DAY#{day}")
}

/// A registration for a session.
pub fn registration(session: &SessionId, id: &RegistrationId) -> Key {
    Key::new(format!("SESSION#{session}"), &format!("REG#{id}"))
}

/// The item that keeps one active registration per (session, email).
pub fn registration_email(session: &SessionId, email: &impl EmailKey) -> Key {
    Key::new(
        format!("SESSION#{session}"),
        &format!("EMAIL#{}", email.key_text()),
    )
}

/// GSI2 partition of everything one email address registered for.
pub fn participant_index(email: &impl EmailKey) -> String {
    format!("PARTICIPANT#{}", email.key_text())
}

/// GSI1 partition of the registrations held until their person confirms them by email
/// (sparse: written with the registration, removed on confirm and cancel).
pub const HOLDS_INDEX: &str = "HOLDS";

/// A held registration's sort key in [`HOLDS_INDEX`]: when its hold ends first, so the jobs
/// read the expired ones as one range.
pub fn hold_sort_key(until: jiff::Timestamp, session: &SessionId, id: &RegistrationId) -> String {
    format!("{}#{session}#{id}", sortable_time(until))
}

/// A cancel link of a session's registration, by the hash of its secret, in the session's
/// partition (the link names its session, so the partition is known without a lookup).
pub fn cancel_token(session: &SessionId, hash: &TokenHash) -> Key {
    Key::new(
        format!("SESSION#{session}"),
        &format!("CANCEL#{}", hash.as_str()),
    )
}

/// A notification in the outbox.
pub fn notification(id: &NotificationId) -> Key {
    Key::new(format!("NOTIFICATION#{id}"), "NOTIFICATION")
}

/// GSI3 partition of the notifications about the registrations of a session.
pub fn session_notifications(session: &SessionId) -> String {
    format!("NOTIFICATIONS#{session}")
}

/// An address that must not be mailed again (a hard bounce or a complaint).
pub fn suppressed(email: &impl EmailKey) -> Key {
    Key::new(format!("SUPPRESSED#{}", email.key_text()), "SUPPRESSED")
}

/// GSI1 partition of notifications not yet handed to the queue (sparse).
pub const PENDING_OUTBOX_INDEX: &str = "OUTBOX#PENDING";

/// GSI1 partition listing every account, by creation time (the superadmin's list).
pub const USERS_INDEX: &str = "USERS";

/// A timestamp as a sort key: UTC, always six fractional digits, `Z` — fixed width, so it
/// sorts as text in time order.
pub fn sortable_time(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// GSI2 partition of the notifications created on one UTC day (`yyyy-mm-dd`).
pub fn outbox_day_index(day: &str) -> String {
    format!("OUTBOX#{day}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sortable_times_sort_as_text() {
        let times = [
            "2026-11-25T20:00:00Z",
            "2026-11-25T20:00:00.000001Z",
            "2026-11-25T20:00:00.5Z",
            "2026-11-25T20:00:01Z",
        ];
        let keys: Vec<String> = times
            .iter()
            .map(|t| sortable_time(t.parse().unwrap()))
            .collect();
        assert_eq!(keys[0], "2026-11-25T20:00:00.000000Z");
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(sorted, keys);
    }
}

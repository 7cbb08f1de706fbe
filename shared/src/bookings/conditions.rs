//! The conditions the session item must meet for a booking to commit, written once: a role
//! open or closed to newcomers, waitlist counts as read, and the session unchanged since read.

use super::{BookingError, CounterNames, waitlisted_attribute};
use crate::jams::sessions::Session;
use crate::store::{Change, StoreError, Value};
use crate::values::{Role, RoleChoice, Waiter};

/// The condition that `role` is open to a newcomer, on the session item.
pub(super) fn open_condition(role: Role) -> String {
    let waiting = match role {
        Role::Base => {
            "(attribute_not_exists(waitlisted_base) OR waitlisted_base = :zero) \
             AND (attribute_not_exists(waitlisted_either) OR waitlisted_either = :zero)"
        }
        Role::Flyer => {
            "(attribute_not_exists(waitlisted_flyer) OR waitlisted_flyer = :zero) \
             AND (attribute_not_exists(waitlisted_either) OR waitlisted_either = :zero)"
        }
    };
    format!(
        "{} < {} AND {waiting}",
        role.confirmed_attribute(),
        role.capacity_attribute()
    )
}

/// `attribute = placeholder`, where a missing attribute counts as 0 when `zero` (sessions
/// written before the attribute existed).
pub(super) fn unchanged(attribute: &str, placeholder: &str, zero: bool) -> String {
    if zero {
        format!("(attribute_not_exists({attribute}) OR {attribute} = {placeholder})")
    } else {
        format!("{attribute} = {placeholder}")
    }
}

/// The condition that the session's waitlist counts are those of `session` (placeholders
/// `:wb`, `:wf`, `:we`).
pub(super) fn waitlist_as_read(session: &Session) -> String {
    [
        unchanged("waitlisted_base", ":wb", session.waitlisted_base == 0),
        unchanged("waitlisted_flyer", ":wf", session.waitlisted_flyer == 0),
        unchanged("waitlisted_either", ":we", session.waitlisted_either == 0),
    ]
    .join(" AND ")
}

/// The condition that `role` is closed to a newcomer (full, or people wait for it).
pub(super) fn closed_condition(role: Role) -> String {
    let waiting = match role {
        Role::Base => "waitlisted_base > :zero OR waitlisted_either > :zero",
        Role::Flyer => "waitlisted_flyer > :zero OR waitlisted_either > :zero",
    };
    format!(
        "({} >= {} OR {waiting})",
        role.confirmed_attribute(),
        role.capacity_attribute()
    )
}

/// Adds to `change` (on the session item) the condition that the session still says what a
/// registration took from it: its times, its cut-off and its copy of the series. A registration
/// that started from a stale read then loses, and is tried again from a fresh one.
pub(super) fn if_session_unchanged(
    change: Change,
    session: &Session,
) -> Result<Change, StoreError> {
    let mut condition = format!(
        "starts_at = :relied_starts AND ends_at = :relied_ends AND {}",
        unchanged(
            "closes_minutes_before",
            ":relied_closes",
            session.closes_minutes_before == 0
        )
    );
    let mut change = change
        .value(":relied_starts", Value::of(&session.starts_at)?)
        .value(":relied_ends", Value::of(&session.ends_at)?)
        .value(":relied_closes", i64::from(session.closes_minutes_before));
    match &session.series {
        Some(copy) => {
            condition.push_str(
                " AND #relied_series.#relied_name = :relied_name \
                 AND #relied_series.time_zone = :relied_zone \
                 AND #relied_series.#relied_public = :relied_public \
                 AND #relied_series.either_first = :relied_first AND ",
            );
            // Whether a public registration is held comes from the copy too (older copies
            // have no such attribute: off).
            condition.push_str(&unchanged(
                "#relied_series.confirm_by_email",
                ":relied_confirm",
                !copy.confirm_by_email,
            ));
            change = change
                .name("#relied_series", "series")
                .name("#relied_name", "name")
                .name("#relied_public", "public")
                .value(":relied_name", copy.name.as_str())
                .value(":relied_zone", copy.time_zone.as_str())
                .value(":relied_public", copy.public)
                .value(":relied_first", copy.either_first.as_str())
                .value(":relied_confirm", copy.confirm_by_email);
        }
        None => {
            condition.push_str(" AND attribute_not_exists(#relied_series)");
            change = change.name("#relied_series", "series");
        }
    }
    Ok(change.and_when(condition))
}

/// All the roles `requested` fits are closed to newcomers (full, or people wait for them).
pub(super) fn closed_to_newcomers(requested: RoleChoice) -> String {
    requested
        .roles()
        .iter()
        .map(|role| closed_condition(*role))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The session update that takes `waiter` off the waitlist at `place` (under the condition
/// that it is still there) and off the waitlist counts; `placeholder` names its id's value.
pub(super) fn leave_waitlist(
    place: usize,
    waiter: &Waiter,
    placeholder: &str,
) -> Result<Change, BookingError> {
    Ok(Change::new(format!(
        "REMOVE waiting[{place}] ADD waitlisted :minus, {} :minus",
        waitlisted_attribute(waiter.requested)
    ))
    .when(format!("waiting[{place}] = {placeholder}"))
    .value(placeholder, String::from(waiter.clone())))
}

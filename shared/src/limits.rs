//! Hourly rate limits: a counter item per scope, key and hour, raised by a conditional write
//! inside the transaction it limits (sign-in links, email changes, resent confirmations).

use jiff::Timestamp;

use crate::{
    Context,
    store::{Change, Key, keys},
};

/// The hourly window a limit counts in.
fn hour_window(now: Timestamp) -> String {
    now.strftime("%Y-%m-%dT%H").to_string()
}

/// The write that counts one more use of `scope` by `key` in the current hour, refused (a
/// failed condition on this write) once `limit` uses were counted: the window's key and the
/// change, to put by name in the transaction it limits.
pub(crate) fn rate_limit(ctx: &Context, scope: &str, key: &str, limit: i64) -> (Key, Change) {
    let now = ctx.clock.now();
    let window = keys::rate_window(scope, key, &hour_window(now));
    (
        window,
        Change::new("ADD #count :one SET expires_at = :expires")
            .when("attribute_not_exists(#count) OR #count < :limit")
            .name("#count", "count")
            .value(":one", 1)
            .value(":limit", limit)
            .value(":expires", now.as_second() + 2 * 3600),
    )
}

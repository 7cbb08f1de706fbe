//! Rate limits by the hour or the day: a counter item per scope, key and window, raised by a
//! conditional write inside the transaction it limits (sign-in links, messages, resends,
//! registrations, password attempts), and the client address they count by.

use jiff::{SignedDuration, Timestamp, tz::TimeZone};

use crate::{
    Context,
    store::{Change, Key, keys},
};

/// The address a request came from (API Gateway's source IP, the socket's peer locally): what
/// the per-client limits count by. Not secret and not proof of anything; only a bucket. An IPv6
/// client counts by its /64 network: one subscriber is given a whole /64 and could otherwise
/// take a fresh address for every request.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ClientIp(String);

impl ClientIp {
    pub fn new(address: impl Into<String>) -> Self {
        let address = address.into();
        match address.parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
                Some(v4) => Self(v4.to_string()),
                None => {
                    let [a, b, c, d, ..] = v6.segments();
                    Self(format!("{a:x}:{b:x}:{c:x}:{d:x}::/64"))
                }
            },
            Ok(std::net::IpAddr::V4(v4)) => Self(v4.to_string()),
            Err(_) => Self(address),
        }
    }

    /// A request whose address nobody told: they all share one bucket.
    pub fn unknown() -> Self {
        Self("unknown".to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ClientIp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The window a limit counts in: a UTC clock hour or a UTC day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Per {
    Hour,
    Day,
}

impl Per {
    /// The window's name in the counter's key.
    fn window(self, now: Timestamp) -> String {
        match self {
            Per::Hour => now.strftime("%Y-%m-%dT%H").to_string(),
            Per::Day => now.strftime("%Y-%m-%d").to_string(),
        }
    }

    fn length(self) -> SignedDuration {
        match self {
            Per::Hour => SignedDuration::from_hours(1),
            Per::Day => SignedDuration::from_hours(24),
        }
    }

    /// When the window holding `now` ends: the next use is counted afresh from then.
    pub fn ends(self, now: Timestamp) -> Timestamp {
        let utc = now.to_zoned_datetime(TimeZone::UTC);
        let start = match self {
            Per::Hour => utc.datetime().date().at(utc.hour(), 0, 0, 0),
            Per::Day => utc.datetime().date().at(0, 0, 0, 0),
        };
        start
            .to_zoned_datetime(TimeZone::UTC)
            .map(|start| start.timestamp())
            .ok()
            .and_then(|start| start.checked_add(self.length()).ok())
            .unwrap_or(now)
    }
}

/// The write that counts one more use of `scope` by `key` in the current hour, refused (a
/// failed condition on this write) once `limit` uses were counted: the window's key and the
/// change, to put by name in the transaction it limits.
pub(crate) fn rate_limit(ctx: &Context, scope: &str, key: &str, limit: i64) -> (Key, Change) {
    rate_limit_per(ctx, scope, key, limit, Per::Hour)
}

/// [`rate_limit`] counting in the window `per`.
pub(crate) fn rate_limit_per(
    ctx: &Context,
    scope: &str,
    key: &str,
    limit: i64,
    per: Per,
) -> (Key, Change) {
    let now = ctx.clock.now();
    let window = keys::rate_window(scope, key, &per.window(now));
    let expires = per.ends(now).as_second() + 3600;
    (
        window,
        Change::new("ADD #count :one SET expires_at = :expires")
            .when("attribute_not_exists(#count) OR #count < :limit")
            .name("#count", "count")
            .value(":one", 1)
            .value(":limit", limit)
            .value(":expires", expires),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_client_counts_by_its_network_and_a_mapped_ipv4_as_itself() {
        let one = ClientIp::new("2001:db8:1:2:aaaa::1");
        let other = ClientIp::new("2001:DB8:1:2:ffff:1:2:3");
        assert_eq!(one, other);
        assert_eq!(one.as_str(), "2001:db8:1:2::/64");
        assert_ne!(one, ClientIp::new("2001:db8:1:3::1"));
        assert_eq!(ClientIp::new("::ffff:203.0.113.7").as_str(), "203.0.113.7");
        assert_eq!(ClientIp::new("203.0.113.7").as_str(), "203.0.113.7");
    }

    #[test]
    fn a_window_ends_at_the_next_utc_hour_or_midnight() {
        let now: Timestamp = "2027-03-16T18:42:10Z".parse().unwrap();
        assert_eq!(Per::Hour.ends(now).to_string(), "2027-03-16T19:00:00Z");
        assert_eq!(Per::Day.ends(now).to_string(), "2027-03-17T00:00:00Z");
        assert_eq!(Per::Hour.window(now), "2027-03-16T18");
        assert_eq!(Per::Day.window(now), "2027-03-16");
    }
}

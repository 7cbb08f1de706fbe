//! The one source of "now": the system clock in production, a settable clock in tests.
//! Domain code never calls `Timestamp::now()` itself.

use std::sync::{Arc, Mutex};

use jiff::{SignedDuration, Timestamp};

/// Where the current time comes from.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    fixed: Option<Arc<Mutex<Timestamp>>>,
}

impl Clock {
    /// The real wall clock.
    pub fn system() -> Self {
        Self { fixed: None }
    }

    /// A clock frozen at `at` until [`Clock::advance`] or [`Clock::set`] moves it.
    pub fn fixed(at: Timestamp) -> Self {
        Self {
            fixed: Some(Arc::new(Mutex::new(at))),
        }
    }

    pub fn now(&self) -> Timestamp {
        match &self.fixed {
            Some(at) => *at.lock().unwrap_or_else(|poisoned| poisoned.into_inner()),
            None => Timestamp::now(),
        }
    }

    /// Moves a fixed clock forward (or back, with a negative duration). No effect on the system clock.
    pub fn advance(&self, by: SignedDuration) {
        if let Some(at) = &self.fixed {
            let mut at = at.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            *at = at.saturating_add(by).unwrap_or(*at);
        }
    }

    /// Sets a fixed clock to `to`. No effect on the system clock.
    pub fn set(&self, to: Timestamp) {
        if let Some(at) = &self.fixed {
            *at.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = to;
        }
    }

    /// Seconds since the Unix epoch, the unit of the table's TTL attribute.
    pub fn epoch_seconds(&self) -> i64 {
        self.now().as_second()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_moves_only_when_told() {
        let start: Timestamp = "2026-03-29T00:30:00Z".parse().unwrap();
        let clock = Clock::fixed(start);
        assert_eq!(clock.now(), start);
        clock.advance(SignedDuration::from_mins(90));
        assert_eq!(clock.now().to_string(), "2026-03-29T02:00:00Z");
        let copy = clock.clone();
        copy.set(start);
        assert_eq!(clock.now(), start, "clones share the same time");
    }

    #[test]
    fn the_system_clock_is_close_to_now() {
        let before = Timestamp::now();
        let now = Clock::system().now();
        assert!(now >= before);
    }
}

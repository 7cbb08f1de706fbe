//! Trying an operation again after it lost a race: a jittered pause that grows with the
//! attempts, and a deadline after which the operation gives up while there is time to say so.
//!
//! Every conflict-retry loop of the domain runs on [`Retry`]: a booking that keeps losing
//! answers "busy" (our own 503 page) after [`Config::race_deadline`](crate::Config) instead
//! of running into the Lambda's 10 s timeout and API Gateway's bare 503.

use std::time::Duration;

use tokio::time::Instant;

/// The deadline passed before the operation won its race.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("still losing races after {attempts} attempts in {waited:?}")]
pub struct DeadlinePassed {
    pub attempts: u32,
    pub waited: Duration,
}

/// The attempts of one retried operation. Call [`Retry::next`] at the top of each attempt:
/// the first returns at once, later ones after a pause, and none starts after the deadline.
///
/// ```ignore
/// let mut retry = Retry::within(ctx.config.race_deadline);
/// loop {
///     let attempt = retry.next().await?;
///     match try_once(attempt).await {
///         Err(StoreError::Conflict { .. }) => continue,
///         done => return done,
///     }
/// }
/// ```
#[derive(Debug)]
pub struct Retry {
    started: Instant,
    deadline: Duration,
    attempts: u32,
}

impl Retry {
    /// Pauses start at up to 16 ms and double per lost race to at most this.
    const LONGEST_PAUSE: Duration = Duration::from_millis(4_096);

    /// Attempts starting within `deadline` of now.
    pub fn within(deadline: Duration) -> Self {
        Self {
            started: Instant::now(),
            deadline,
            attempts: 0,
        }
    }

    /// The number of the attempt about to start (1, 2, …), after a random pause when it is not
    /// the first, so that racers spread out instead of colliding again. Errs instead when the
    /// deadline has passed, or would pass during the pause.
    pub async fn next(&mut self) -> Result<u32, DeadlinePassed> {
        if self.attempts > 0 {
            let waited = self.started.elapsed();
            let left = self.deadline.saturating_sub(waited);
            let pause = pause(self.attempts);
            if left.is_zero() || pause >= left {
                tracing::warn!(attempts = self.attempts, ?waited, "giving up a lost race");
                return Err(DeadlinePassed {
                    attempts: self.attempts,
                    waited,
                });
            }
            tokio::time::sleep(pause).await;
        }
        self.attempts += 1;
        Ok(self.attempts)
    }

    /// Whether the attempt under way is the first.
    pub fn is_first(&self) -> bool {
        self.attempts <= 1
    }

    /// Starts again from the shortest pause and a whole deadline: for a loop that made
    /// progress (a promotion that filled a spot and looks for the next), which is not losing.
    pub fn progressed(&mut self) {
        self.started = Instant::now();
        self.attempts = 0;
    }
}

/// A random pause after `lost` lost races: full jitter under a ceiling of 16 ms doubling per
/// lost race, at most [`Retry::LONGEST_PAUSE`] (after a few lost races each racer retries
/// rarely enough that most attempts find the way clear).
fn pause(lost: u32) -> Duration {
    let ceiling = Duration::from_millis(8u64 << lost.min(9))
        .min(Retry::LONGEST_PAUSE)
        .as_millis() as u64;
    let [a, b] = crate::ids::random_bytes::<2>();
    let millis = u64::from(u16::from_le_bytes([a, b])) % ceiling.max(1);
    Duration::from_millis(millis + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An operation that always loses stops at the deadline, neither before nor long after.
    #[tokio::test]
    async fn an_operation_that_always_loses_stops_at_the_deadline() {
        let deadline = Duration::from_millis(300);
        let started = std::time::Instant::now();
        let mut retry = Retry::within(deadline);
        let mut tried = 0;
        let gave_up = loop {
            match retry.next().await {
                Ok(attempt) => {
                    tried += 1;
                    assert_eq!(attempt, tried);
                    // The operation: it loses, always.
                }
                Err(gave_up) => break gave_up,
            }
        };
        let elapsed = started.elapsed();
        assert!(elapsed <= deadline, "stopped after {elapsed:?}");
        assert!(tried > 3, "tried {tried} times only");
        assert_eq!(gave_up.attempts, tried);
        assert!(gave_up.waited <= deadline);
    }

    #[tokio::test]
    async fn the_first_attempt_starts_at_once_even_with_no_time() {
        let mut retry = Retry::within(Duration::ZERO);
        assert_eq!(retry.next().await, Ok(1));
        assert!(retry.is_first());
        assert!(retry.next().await.is_err());
    }

    #[test]
    fn pauses_grow_and_stay_under_their_ceiling() {
        for _ in 0..50 {
            assert!(pause(1) <= Duration::from_millis(16));
            assert!(pause(30) <= Retry::LONGEST_PAUSE);
        }
    }
}

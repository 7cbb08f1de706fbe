//! Liveness of what the app depends on, for `GET /health`.

use std::time::Duration;

use crate::Context;

/// How long the store gets to answer before it counts as unreachable.
const STORE_DEADLINE: Duration = Duration::from_secs(3);

/// The state of each dependency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Health {
    /// `None` when the store answered; otherwise why it did not.
    pub store_problem: Option<String>,
}

impl Health {
    pub fn is_ok(&self) -> bool {
        self.store_problem.is_none()
    }
}

/// Asks the store for its table description, within [`STORE_DEADLINE`].
#[tracing::instrument(skip(ctx))]
pub async fn check(ctx: &Context) -> Health {
    let store_problem = match tokio::time::timeout(STORE_DEADLINE, ctx.store.ping()).await {
        Ok(Ok(())) => None,
        Ok(Err(error)) => {
            // The cause goes to the log; the public answer says only what failed.
            tracing::warn!(error = %error, "health: store unreachable");
            Some("the table did not answer".to_owned())
        }
        Err(_) => Some(format!("no answer within {} s", STORE_DEADLINE.as_secs())),
    };
    Health { store_problem }
}

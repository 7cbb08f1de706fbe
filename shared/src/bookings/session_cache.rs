//! A process-wide cache of session reads: a session as this process last read it for a
//! registration, reused for half a minute by the next registrations of the same session.
//!
//! A rush for one session then costs each registration its write alone. Nothing is decided from a kept copy: the transaction's
//! conditions check the counters and everything it relied on ([`if_session_unchanged`](super::conditions::if_session_unchanged)).

use std::{
    collections::HashMap,
    sync::{LazyLock, Mutex},
    time::{Duration, Instant},
};

use super::Registration;
use crate::{
    ids::SessionId,
    jams::sessions::Session,
    values::{Role, RoleChoice, Waiter},
};

const KEPT_FOR: Duration = Duration::from_secs(30);
const MOST: usize = 512;

static KEPT: LazyLock<Mutex<HashMap<SessionId, (Instant, Session)>>> =
    LazyLock::new(Mutex::default);

pub(super) fn get(id: &SessionId) -> Option<Session> {
    let kept = KEPT.lock().ok()?;
    kept.get(id)
        .filter(|(at, _)| at.elapsed() < KEPT_FOR)
        .map(|(_, session)| session.clone())
}

/// Counts a registration just made into the kept session (when it is kept), so that the
/// next registration of this process starts from the counts including it.
pub(super) fn count_in(registration: &Registration) {
    let Ok(mut kept) = KEPT.lock() else {
        return;
    };
    let Some((_, session)) = kept.get_mut(&registration.session_id) else {
        return;
    };
    match (registration.role, registration.requested) {
        (Some(Role::Base), _) => session.confirmed_base += 1,
        (Some(Role::Flyer), _) => session.confirmed_flyer += 1,
        (None, requested) => {
            session.waiting.push(Waiter {
                id: registration.id.clone(),
                requested,
                email: registration.email.clone(),
            });
            session.waitlisted += 1;
            match requested {
                RoleChoice::Base => session.waitlisted_base += 1,
                RoleChoice::Flyer => session.waitlisted_flyer += 1,
                RoleChoice::Either => session.waitlisted_either += 1,
            }
        }
    }
}

pub(super) fn keep(session: &Session) {
    let Ok(mut kept) = KEPT.lock() else {
        return;
    };
    if kept.len() >= MOST {
        kept.retain(|_, (at, _)| at.elapsed() < KEPT_FOR);
        if kept.len() >= MOST {
            kept.clear();
        }
    }
    kept.insert(session.id.clone(), (Instant::now(), session.clone()));
}

//! Bookings: registrations for a session, per-role capacity, the FIFO waitlist and automatic
//! promotion, secret cancel links; every rule of ARCHITECTURE §4 kept by one transaction's
//! conditions per change, never by a read alone. How each write keeps them: docs/data-model.md §5.

mod answer;
mod batch;
mod cancel;
pub mod capacity;
mod conditions;
mod export;
mod holds;
mod manage;
mod mine;
mod model;
mod organizer;
mod promote;
mod queries;
mod register;
mod session_cache;
mod sweep;
#[cfg(test)]
pub(crate) mod tests;
mod throttle;
mod waitlist;

pub use manage::{
    CancelPreview, Detail, Offered, add_back, cancel_preview, mark_attendance, move_registration,
    named, offered, registration_detail,
};
pub use mine::{MyRegistration, cancel_mine, mine};
pub use sweep::{SweepReport, Swept, sweep, sweep_session};

pub use answer::{Inbox, register_or_resend};
pub use batch::{BATCH_MAX, BatchCancelled, BatchPreview, batch_preview, cancel_batch};
pub use cancel::cancel_url;
use cancel::{Canceller, cancel, cancel_secret, link_token, linked, session_and_registration};
pub use cancel::{by_link, cancel_by_link, cancel_for};
use conditions::{
    closed_to_newcomers, if_session_unchanged, leave_waitlist, open_condition, unchanged,
    waitlist_as_read,
};
pub use export::{csv_file_name, export, to_csv};
pub use holds::{HOLD, Released, by_confirm_link, confirm_hold, confirm_url, release_expired};
pub use model::{
    Attendance, BookingError, Cancelled, Confirmation, Filler, LinkedRegistration, Move,
    OrganizerProof, PublicSession, Registered, Registration, RegistrationInput, RegistrationStatus,
    Source, token_of_result,
};
use model::{CancelLink, CounterNames, EmailClaim, waitlisted_attribute};
pub use organizer::{TABLE_PAGE, TableFilter, TablePage, register_for, table_page};
use organizer::{organizer_of, session_of_series};
pub use promote::promote_waiting;
use promote::promotion;
pub use queries::{
    everyone_of, of_session, public_series, public_series_calendar, public_session, resend,
};
use queries::{of_participant, read_partition, series_of};
use register::registration_notification;
#[cfg(feature = "test-fixtures")]
pub use register::registration_transaction;
pub use register::{is_open, register};
pub use throttle::{RegistrationLimit, TooMany};
use waitlist::{
    capacity, competing_waiters, confirmed, first_waiting_for, open_to_newcomers, place_of,
};
pub use waitlist::{position_of, positions};

//! Jams: series, their organizers and their sessions. So far: series with their owner
//! membership, and the recurrence generator that turns "every Tuesday 19:00 for 8 weeks" into
//! sessions; session items, co-organizer invites, photos and locations follow.

pub mod recurrence;
pub mod series;

//! An organizer's message to the people of a session ("bring a mat; we start 15 min late"):
//! its words checked once, rate-limited and written as one fan-out item in one transaction.

use super::*;
use crate::{
    limits::{Per, rate_limit_per},
    outbox::Audience,
    values::FieldError,
};

/// The longest message, in characters.
pub const MESSAGE_MAX_CHARS: usize = 1000;
/// Messages the organizers of one session may send within a clock hour.
pub const MESSAGES_PER_SESSION_PER_HOUR: i64 = 3;
/// Messages one organizer may send within a (UTC) day, whatever the sessions.
pub const MESSAGES_PER_ORGANIZER_PER_DAY: i64 = 10;

/// The words of an organizer's message: trimmed, not empty, at most [`MESSAGE_MAX_CHARS`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageText(String);

impl MessageText {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let text = crate::values::plain_text(raw);
        let text = text.as_str();
        if text.is_empty() {
            return Err(FieldError(
                "Write your message: a line or two, like “Bring a mat; we start 15 minutes late.”",
            ));
        }
        if text.chars().count() > MESSAGE_MAX_CHARS {
            return Err(FieldError(
                "At most 1,000 characters, please: shorten it a little.",
            ));
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The message form: who it is for and what it says, each problem beside its field.
pub fn parse_message(fields: &Fields<'_>) -> Result<(Audience, MessageText), FormErrors> {
    let mut errors = FormErrors::default();
    let audience = Audience::parse(fields.get("audience"));
    if audience.is_none() {
        errors.add("audience", "Choose who gets the message.");
    }
    let text = fields.parse_with("text", MessageText::parse, &mut errors);
    match (audience, text) {
        (Some(audience), Some(text)) => Ok((audience, text)),
        _ => Err(errors),
    }
}

impl Session {
    /// How many people `audience` is now: confirmed, waitlisted or both.
    pub fn count_of(&self, audience: Audience) -> u32 {
        let confirmed = self.confirmed_base + self.confirmed_flyer;
        match audience {
            Audience::Confirmed => confirmed,
            Audience::Waitlisted => self.waitlisted,
            Audience::Everyone => confirmed + self.waitlisted,
        }
    }
}

/// A message on its way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Messaged {
    pub audience: Audience,
    /// How many people it goes to (those registered when it was sent).
    pub people: u32,
}

/// Sends `text` from the acting organizer to `audience` of scheduled session `id`: one fan-out
/// item that the worker expands into one email per person, written in the same transaction as
/// the two limits it counts against ([`MESSAGES_PER_SESSION_PER_HOUR`],
/// [`MESSAGES_PER_ORGANIZER_PER_DAY`]), so a refused message counts against neither.
#[tracing::instrument(skip_all)]
pub async fn message(
    ctx: &Context,
    principal: &Principal,
    series_id: &SeriesId,
    id: &SessionId,
    audience: Audience,
    text: &MessageText,
) -> Result<Messaged, SessionError> {
    let SessionAccess { access, session } = super::access(
        ctx,
        principal,
        series_id,
        id,
        Operation::ManageRegistrations,
    )
    .await?;
    if session.status != SessionStatus::Scheduled {
        return Err(SessionError::NotScheduled);
    }
    let people = session.count_of(audience);
    if people == 0 {
        let nobody = match audience {
            Audience::Confirmed => "Nobody is confirmed for this session yet.",
            Audience::Waitlisted => "Nobody is on the waitlist of this session.",
            Audience::Everyone => "Nobody is registered for this session yet.",
        };
        return Err(SessionError::Invalid(FormErrors::single(
            "audience", nobody,
        )));
    }
    const PER_SESSION: &str = "messages of the session this hour";
    const PER_ORGANIZER: &str = "messages of the organizer today";
    let organizer = &access.actor.user;
    let (session_window, session_count) = rate_limit_per(
        ctx,
        "message-session",
        id.as_str(),
        MESSAGES_PER_SESSION_PER_HOUR,
        Per::Hour,
    );
    let (organizer_window, organizer_count) = rate_limit_per(
        ctx,
        "message-organizer",
        organizer.id.as_str(),
        MESSAGES_PER_ORGANIZER_PER_DAY,
        Per::Day,
    );
    let mut writes = ctx.store.transaction();
    writes
        .update(PER_SESSION, &session_window, session_count)?
        .update(PER_ORGANIZER, &organizer_window, organizer_count)?;
    let about = Kind::MessageForEveryone {
        session: id.clone(),
        from: organizer.display_name.as_str().to_owned(),
        text: text.as_str().to_owned(),
        audience,
    };
    let now = ctx.clock.now();
    match write_with_fan_out(ctx, &mut writes, about).await {
        Ok(()) => Ok(Messaged { audience, people }),
        // The later of the two windows is when the next message may go.
        Err(conflict) if writes.failed(&conflict, PER_ORGANIZER) => {
            Err(SessionError::TooManyMessages {
                per: Per::Day,
                until: Per::Day.ends(now),
            })
        }
        Err(conflict) if writes.failed(&conflict, PER_SESSION) => {
            Err(SessionError::TooManyMessages {
                per: Per::Hour,
                until: Per::Hour.ends(now),
            })
        }
        Err(error) => Err(error.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::{super::testing::*, *};

    #[test]
    fn a_message_is_trimmed_required_and_at_most_a_thousand_characters() {
        assert_eq!(
            MessageText::parse("  Bring a mat.\n").unwrap().as_str(),
            "Bring a mat."
        );
        assert!(MessageText::parse(" \n ").is_err());
        assert!(
            MessageText::parse(&"é".repeat(1000)).is_ok(),
            "characters, not bytes"
        );
        assert!(MessageText::parse(&"a".repeat(1001)).is_err());
    }

    #[test]
    fn the_message_form_reports_each_problem_beside_its_field() {
        let errors =
            parse_message(&Fields(&form(&[("audience", "friends"), ("text", "")]))).unwrap_err();
        assert!(errors.has("audience") && errors.has("text"), "{errors:?}");
        let (audience, text) = parse_message(&Fields(&form(&[
            ("audience", "waitlisted"),
            ("text", "We start late."),
        ])))
        .unwrap();
        assert_eq!(audience, Audience::Waitlisted);
        assert_eq!(text.as_str(), "We start late.");
    }

    #[test]
    fn an_audience_counts_the_people_it_names() {
        let series = series();
        let mut session = session(&series, "2027-03-16T18:00:00Z", "2027-03-16T20:00:00Z");
        session.confirmed_base = 3;
        session.confirmed_flyer = 2;
        session.waitlisted = 4;
        assert_eq!(session.count_of(Audience::Confirmed), 5);
        assert_eq!(session.count_of(Audience::Waitlisted), 4);
        assert_eq!(session.count_of(Audience::Everyone), 9);
    }
}

//! An organizer's registrations of one session: the table (filters, search, pages of 50),
//! entering someone by hand (over capacity when chosen), moving someone between roles or off
//! the waitlist, cancelling for someone (after a confirmation, with "Add them back"), one
//! registration's page (its overrides and the person's history in the series), the CSV export
//! of the filtered table, the check-in list where attendance is ticked at the jam, and the
//! message an organizer sends to the session's people. Each row says what became of the
//! person's latest email (delivered, bounced…).

use std::collections::{BTreeMap, HashMap};

use axum::{
    Form,
    extract::{FromRequestParts, Path, Query, RawQuery, State},
    http::{HeaderValue, StatusCode, header, request::Parts},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use jamie::{
    Context,
    bookings::{
        self, Attendance, BookingError, Cancelled, Filler, Offered, Registration,
        RegistrationInput, RegistrationStatus, TableFilter, TablePage, TooMany,
    },
    deliveries,
    ids::{RegistrationId, SeriesId, SessionId},
    jams::sessions::{self, Session, SessionError, SessionStatus},
    limits::Per,
    outbox::{Audience, Notification},
    values::{Fields, FormErrors, Role, RoleChoice},
};
use jamie_templates::{
    components::{FormState, percent_encode},
    pages::organizer::{
        BatchCancelView, BatchPerson, CancelConfirmView, CheckinActions, CheckinRow, CheckinView,
        HistoryRow, MessageView, MoveRow, RegistrationDetailView, RegistrationRow, TableView, as_a,
        batch_cancel_confirm, cancel_confirm, checkin_list, registration_detail,
        registrations_table, waitlist_of,
    },
    when,
};
use serde::Deserialize;
use web_common::{
    AppError, PageContext, Routes, form_state, session_counts, session_when, too_many_words,
};

use crate::{SessionPath, status_for};

pub(crate) fn routes() -> Routes {
    Routes::new()
        .page(
            "/jams/{series}/sessions/{session}/registrations",
            get(table),
        )
        .action("/jams/{series}/sessions/{session}/registrations", post(add))
        .action(
            "/jams/{series}/sessions/{session}/message",
            post(send_message),
        )
        .page(
            "/jams/{series}/sessions/{session}/registrations/cancel-selected",
            get(confirm_batch_cancel),
        )
        .action(
            "/jams/{series}/sessions/{session}/registrations/cancel-selected",
            post(batch_cancel),
        )
        .page(
            "/jams/{series}/sessions/{session}/registrations/{registration}/cancel",
            get(confirm_cancel),
        )
        .action(
            "/jams/{series}/sessions/{session}/registrations/{registration}/cancel",
            post(cancel_for),
        )
        .action(
            "/jams/{series}/sessions/{session}/registrations/{registration}/add-back",
            post(add_back),
        )
        .page(
            "/jams/{series}/sessions/{session}/registrations/{registration}",
            get(detail),
        )
        .action(
            "/jams/{series}/sessions/{session}/registrations/{registration}/move",
            post(move_to),
        )
        .action(
            "/jams/{series}/sessions/{session}/registrations/{registration}/attendance",
            post(attendance),
        )
        .page(
            "/jams/{series}/sessions/{session}/registrations.csv",
            get(export),
        )
        .page("/jams/{series}/sessions/{session}/checkin", get(checkin))
}

/// The series, session and registration of a
/// `/jams/{series}/sessions/{session}/registrations/{registration}/…` path.
struct RegistrationPath(SessionPath, RegistrationId);

impl<S: Send + Sync> FromRequestParts<S> for RegistrationPath {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let session = SessionPath::from_request_parts(parts, state).await?;
        let Path(params) = Path::<BTreeMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        let registration = params
            .get("registration")
            .and_then(|raw| raw.parse().ok())
            .ok_or(AppError::NotFound)?;
        Ok(Self(session, registration))
    }
}

#[derive(Debug, Default, Deserialize)]
struct TableQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    after: String,
    /// What the last action did, and whom it was about (`r`) or who got a freed spot (`p`).
    #[serde(default)]
    done: String,
    #[serde(default)]
    r: String,
    #[serde(default)]
    p: String,
    /// How many people a message went to (or a batch cancelled).
    #[serde(default)]
    n: Option<u32>,
    /// How many a batch cancel moved up from the waitlist, and whether it emailed the cancelled.
    #[serde(default)]
    moved: Option<u32>,
    #[serde(default)]
    told: String,
}

impl TableQuery {
    fn filter(&self) -> TableFilter {
        TableFilter {
            status: RegistrationStatus::parse(&self.status),
            requested: RoleChoice::parse(&self.role),
            search: self.q.chars().take(100).collect(),
        }
    }

    /// `status=…&role=…&q=…` for the links that keep the filters.
    fn filter_query(&self) -> String {
        format!(
            "status={}&role={}&q={}",
            percent_encode(&self.status),
            percent_encode(&self.role),
            percent_encode(&self.q)
        )
    }
}

/// The moves [`bookings::offered`] allows for `registration`, as (label, action): off the
/// waitlist into a role asked for, or into the other role. `back` is appended to come back to
/// the page the button is on.
fn move_actions(
    base_path: &str,
    registration: &Registration,
    offered: &Offered,
    back: &str,
) -> Vec<(String, String)> {
    let verb = match registration.status {
        RegistrationStatus::Waitlisted => "Confirm as",
        _ => "Move to",
    };
    offered
        .moves
        .iter()
        .map(|role| {
            (
                format!("{verb} {}", role.as_str()),
                format!(
                    "{base_path}/registrations/{}/move?to={}{back}",
                    registration.id,
                    role.as_str()
                ),
            )
        })
        .collect()
}

/// The attendance buttons [`bookings::offered`] allows for `registration`, as (label, action).
fn attendance_actions(
    base_path: &str,
    registration: &Registration,
    offered: &Offered,
    back: &str,
) -> Vec<(String, String)> {
    offered
        .marks
        .iter()
        .map(|mark| {
            let (label, code) = match mark {
                Some(Attendance::Attended) => ("Attended", "attended"),
                Some(Attendance::NoShow) => ("No-show", "no_show"),
                None => ("Clear attendance", "clear"),
            };
            (
                label.to_owned(),
                format!(
                    "{base_path}/registrations/{}/attendance?mark={code}{back}",
                    registration.id
                ),
            )
        })
        .collect()
}

/// The waitlist position of `registration` among `positions` (those of its session).
fn position_in(positions: &[(RegistrationId, u32)], registration: &Registration) -> Option<u32> {
    positions
        .iter()
        .find(|(id, _)| *id == registration.id)
        .map(|(_, position)| *position)
}

fn add_back_action(base_path: &str, id: &RegistrationId) -> String {
    format!("{base_path}/registrations/{id}/add-back")
}

fn row(
    base_path: &str,
    session: &Session,
    positions: &[(RegistrationId, u32)],
    registration: &Registration,
    latest_emails: &HashMap<RegistrationId, Notification>,
    now: jiff::Timestamp,
) -> RegistrationRow {
    let offered = bookings::offered(session, registration, now);
    RegistrationRow {
        id: registration.id.to_string(),
        name: registration.name.clone(),
        email: registration.email.as_str().to_owned(),
        note: registration.note.clone(),
        requested: registration.requested,
        role: registration.role,
        status: registration.status,
        position: position_in(positions, registration),
        registered_at: registration.created_at,
        manual: registration.manual,
        held: registration.held_until.is_some(),
        cancel_href: offered
            .cancel
            .then(|| format!("{base_path}/registrations/{}/cancel", registration.id)),
        add_back_action: offered
            .add_back
            .then(|| add_back_action(base_path, &registration.id)),
        move_actions: move_actions(base_path, registration, &offered, ""),
        detail_href: format!("{base_path}/registrations/{}", registration.id),
        attendance: registration.attendance,
        attendance_actions: attendance_actions(base_path, registration, &offered, ""),
        last_email: latest_emails
            .get(&registration.id)
            .map(|email| (email.about.clone(), email.status)),
    }
}

/// "Bases" or "Flyers".
fn plural(role: Role) -> &'static str {
    match role {
        Role::Base => "Bases",
        Role::Flyer => "Flyers",
    }
}

/// Where `registration` stands now, as a sentence: "Ana is confirmed as a base.", "Ana is
/// number 2 on the flyers' waitlist." (with "added back" when `again`), and what a confirmed
/// spot over the capacity means.
fn standing_sentence(session: &Session, registration: &Registration, again: bool) -> String {
    let name = &registration.name;
    match (registration.status, registration.role) {
        (RegistrationStatus::Confirmed, Some(role)) => {
            let (base, flyer) = session_counts(session);
            let count = match role {
                Role::Base => base,
                Role::Flyer => flyer,
            };
            let mut sentence = if again {
                format!("{name} is added back and confirmed as {}.", as_a(role))
            } else {
                format!("{name} is confirmed as {}.", as_a(role))
            };
            if count.over() > 0 {
                sentence.push_str(&format!(
                    " {} are now {}/{}, {} over capacity, as you chose.",
                    plural(role),
                    count.confirmed,
                    count.capacity,
                    count.over()
                ));
            }
            sentence.push_str(" They get the confirmation email.");
            sentence
        }
        (RegistrationStatus::Waitlisted, _) => {
            let place = bookings::position_of(session, &registration.id)
                .map_or_else(String::new, |position| format!("number {position} "));
            let queue = waitlist_of(registration.requested);
            if again {
                format!(
                    "{name} is added back as {place}on {queue}: their role is full now. They are told by email."
                )
            } else {
                format!("{name} is {place}on {queue}. They are told by email.")
            }
        }
        _ => format!("{name} is registered."),
    }
}

/// What the last action did, from the `done`, `r` and `p` of the address, in words that name
/// the people it concerned as they now stand; with the "Add them back" action after a cancel.
async fn what_was_done(
    ctx: &Context,
    page: &PageContext,
    ids: &SessionPath,
    session: &Session,
    query: &TableQuery,
) -> (Option<String>, Option<String>) {
    let SessionPath(series_id, session_id) = ids;
    let wanted: Vec<RegistrationId> = [&query.r, &query.p]
        .into_iter()
        .filter_map(|raw| raw.parse().ok())
        .collect();
    let found = if wanted.is_empty() {
        Vec::new()
    } else {
        bookings::named(ctx, &page.principal, series_id, session_id, &wanted)
            .await
            .unwrap_or_default()
    };
    let find = |raw: &str| {
        found
            .iter()
            .find(|registration| registration.id.as_str() == raw)
    };
    let base_path = format!("/jams/{series_id}/sessions/{session_id}");
    let now = ctx.clock.now();
    let text = match (query.done.as_str(), find(&query.r)) {
        ("added", Some(added)) => standing_sentence(session, added, false),
        ("added", None) => "Added; they get the confirmation email.".to_owned(),
        ("added-back", Some(added)) => standing_sentence(session, added, true),
        ("cancelled", Some(gone)) => {
            let name = &gone.name;
            match (gone.role, find(&query.p)) {
                (Some(role), Some(next)) => format!(
                    "{name}'s spot is cancelled. {}, next on the waitlist, is now confirmed as {}. Both are told by email.",
                    next.name,
                    as_a(role)
                ),
                (Some(role), None) => format!(
                    "{name}'s spot is cancelled. Nobody was waiting, so the {} spot is free again. {name} is told by email.",
                    role.as_str()
                ),
                (None, _) => format!(
                    "{name} is off the waitlist; no spot was freed. {name} is told by email."
                ),
            }
        }
        ("cancelled", None) => "Cancelled; they are told by email.".to_owned(),
        ("already-cancelled", Some(gone)) => {
            format!("{}'s registration was already cancelled.", gone.name)
        }
        ("batch-cancelled", _) => batch_sentence(
            query.n.unwrap_or(0),
            query.moved.unwrap_or(0),
            query.told == "yes",
        ),
        ("batch-none", _) => {
            "No one was ticked. Tick the people to cancel in the table, then press \u{201c}Cancel selected\u{201d}."
                .to_owned()
        }
        ("moved", _) => "Moved; they are told by email.".to_owned(),
        ("marked", _) => "Attendance saved.".to_owned(),
        ("messaged", _) => match query.n {
            Some(1) => {
                "Message sent to 1 person. It reaches their inbox within a minute or so.".to_owned()
            }
            Some(n) => format!(
                "Message sent to {n} people. It reaches their inboxes within a minute or so."
            ),
            None => "Message sent.".to_owned(),
        },
        _ => return (None, None),
    };
    let undo = match (query.done.as_str(), find(&query.r)) {
        ("cancelled", Some(gone)) if bookings::offered(session, gone, now).add_back => {
            Some(add_back_action(&base_path, &gone.id))
        }
        _ => None,
    };
    (Some(text), undo)
}

/// The page's two forms as typed, and why what was sent from one did not happen.
struct Forms<'a> {
    add: FormState,
    add_problem: Option<&'a str>,
    /// The limit on entries by hand that the add form ran into (told with when it ends).
    add_too_many: Option<TooMany>,
    message: FormState,
    /// The limit a message ran into, and when it ends.
    too_many: Option<(Per, jiff::Timestamp)>,
    /// The status of a refused message (422 for the form, 429 for the limits).
    status: Option<StatusCode>,
}

impl Default for Forms<'_> {
    /// Both forms empty: a base for the add form, the confirmed for a message.
    fn default() -> Self {
        let mut add = FormState::default();
        add.values.insert("role".to_owned(), "base".to_owned());
        let mut message = FormState::default();
        message.values.insert(
            "audience".to_owned(),
            Audience::Confirmed.as_str().to_owned(),
        );
        Self {
            add,
            add_problem: None,
            add_too_many: None,
            message,
            too_many: None,
            status: None,
        }
    }
}

/// The table, with the forms as given and, if any, a problem at the top (`problem`) or in a
/// form.
async fn render(
    ctx: &Context,
    page: &PageContext,
    ids: &SessionPath,
    query: &TableQuery,
    forms: Forms<'_>,
    problem: Option<&str>,
) -> Result<Response, AppError> {
    let Forms {
        add: add_form,
        add_problem,
        add_too_many,
        message: message_form,
        too_many,
        status: message_status,
    } = forms;
    let SessionPath(series_id, session_id) = ids;
    let filter = query.filter();
    let after = query.after.parse::<RegistrationId>().ok();
    let TablePage {
        series,
        session,
        registrations,
        next,
    } = bookings::table_page(
        ctx,
        &page.principal,
        series_id,
        session_id,
        &filter,
        after.as_ref(),
    )
    .await?;
    // Read once `table_page` has found the viewer may run this session's registrations.
    let latest_emails = deliveries::latest_of_session(ctx, session_id).await?;
    let zone = series.zone();
    let now = ctx.clock.now();
    let positions = bookings::positions(&session);
    let (date, time) = session_when(&session, &zone);
    let (base, flyer) = session_counts(&session);
    let base_path = format!("/jams/{series_id}/sessions/{session_id}");
    let list_path = format!("{base_path}/registrations");
    let next_href = next.map(|next| format!("{list_path}?{}&after={next}", query.filter_query()));
    let export_href = if filter.is_active() {
        format!("{base_path}/registrations.csv?{}", query.filter_query())
    } else {
        format!("{base_path}/registrations.csv")
    };
    let checkin_href = format!("{base_path}/checkin");
    let batch_action = format!("{list_path}/cancel-selected");
    let public_url = session.public_url(ctx);
    let (notice, undo) = what_was_done(ctx, page, ids, &session, query).await;
    let message_action = format!("{base_path}/message");
    let add_limit = add_too_many.map(|too_many| too_many_words(&too_many, &zone));
    let add_problem = add_problem.or(add_limit.as_deref());
    let message_problem = too_many.map(|(per, until)| too_many_messages(per, until, &zone));
    let message = (session.status == SessionStatus::Scheduled).then(|| MessageView {
        action: &message_action,
        form: &message_form,
        confirmed: session.count_of(Audience::Confirmed),
        waitlisted: session.count_of(Audience::Waitlisted),
        max_chars: sessions::MESSAGE_MAX_CHARS,
        problem: message_problem.as_deref(),
    });
    let view = TableView {
        series_name: &series.name,
        session_href: &base_path,
        public_url: &public_url,
        date: &date,
        time: &time,
        zone: &zone,
        base,
        flyer,
        waitlist: session.waitlisted,
        rows: registrations
            .iter()
            .map(|registration| {
                row(
                    &base_path,
                    &session,
                    &positions,
                    registration,
                    &latest_emails,
                    now,
                )
            })
            .collect(),
        status_filter: &query.status,
        role_filter: &query.role,
        search: &query.q,
        next_href,
        export_href: &export_href,
        checkin_href: &checkin_href,
        add_action: &list_path,
        add_form: &add_form,
        add_problem,
        message,
        notice: notice.as_deref(),
        undo_action: undo.as_deref(),
        problem,
        batch_action: &batch_action,
    };
    let status = message_status
        .or(add_too_many.map(|_| StatusCode::TOO_MANY_REQUESTS))
        .unwrap_or_else(|| {
            status_for(problem.is_some() || add_problem.is_some() || add_form.has_errors())
        });
    let title = format!("Registrations — {} {date}", series.name);
    Ok((status, registrations_table(&page.page(&title), &view)).into_response())
}

async fn table(
    State(ctx): State<Context>,
    page: PageContext,
    ids: SessionPath,
    Query(query): Query<TableQuery>,
) -> Result<Response, AppError> {
    render(&ctx, &page, &ids, &query, Forms::default(), None).await
}

async fn add(
    State(ctx): State<Context>,
    page: PageContext,
    ids: SessionPath,
    Form(form): Form<BTreeMap<String, String>>,
) -> Result<Response, AppError> {
    let SessionPath(series_id, session_id) = &ids;
    // A refusal the organizer can act on is shown in the add form, with what they typed.
    let mut too_many = None;
    let (errors, problem) = match RegistrationInput::parse_as(&Fields(&form), Filler::Organizer) {
        Err(errors) => (errors, None),
        Ok(input) => {
            let over_capacity = Fields(&form).get("override") == "yes";
            match bookings::register_for(
                &ctx,
                &page.principal,
                series_id,
                session_id,
                input,
                over_capacity,
            )
            .await
            {
                Ok(registered) => {
                    return Ok(Redirect::to(&format!(
                        // The form's address ends in #add-someone, which a browser keeps
                        // unless the redirect names its own place: the notice.
                        "/jams/{series_id}/sessions/{session_id}/registrations?done=added&r={}#done",
                        registered.registration.id
                    ))
                    .into_response());
                }
                Err(BookingError::AlreadyRegistered(_)) => (
                    FormErrors::single(
                        "email",
                        "Someone with this address is already registered for this session.",
                    ),
                    None,
                ),
                Err(BookingError::Closed) => (
                    FormErrors::default(),
                    Some(
                        "This session no longer takes registrations (it has started, or registration has closed), so nobody can be added.",
                    ),
                ),
                Err(BookingError::SessionCancelled) => (
                    FormErrors::default(),
                    Some("This session is cancelled, so nobody can be added."),
                ),
                Err(BookingError::TooMany(limit)) => {
                    too_many = Some(limit);
                    (FormErrors::default(), None)
                }
                Err(error) => return Err(error.into()),
            }
        }
    };
    let forms = Forms {
        add: form_state(form, errors),
        add_problem: problem,
        add_too_many: too_many,
        ..Forms::default()
    };
    render(&ctx, &page, &ids, &TableQuery::default(), forms, None).await
}

/// Sends the organizer's message to the audience chosen and comes back to the table with "Message
/// sent to 12 people" and the form empty; bad input or a limit reached re-renders the form with
/// what was typed and the reason beside the field (or, for the limits, when to try again).
async fn send_message(
    State(ctx): State<Context>,
    page: PageContext,
    ids: SessionPath,
    Form(form): Form<BTreeMap<String, String>>,
) -> Result<Response, AppError> {
    let SessionPath(series_id, session_id) = &ids;
    let refused = match sessions::parse_message(&Fields(&form)) {
        Err(errors) => Forms {
            status: Some(StatusCode::UNPROCESSABLE_ENTITY),
            ..refused_message(&form, errors)
        },
        Ok((audience, text)) => {
            match sessions::message(
                &ctx,
                &page.principal,
                series_id,
                session_id,
                audience,
                &text,
            )
            .await
            {
                Ok(sent) => {
                    return Ok(Redirect::to(&format!(
                        "/jams/{series_id}/sessions/{session_id}/registrations?done=messaged&n={}#done",
                        sent.people
                    ))
                    .into_response());
                }
                Err(SessionError::Invalid(errors)) => Forms {
                    status: Some(StatusCode::UNPROCESSABLE_ENTITY),
                    ..refused_message(&form, errors)
                },
                Err(SessionError::TooManyMessages { per, until }) => Forms {
                    status: Some(StatusCode::TOO_MANY_REQUESTS),
                    too_many: Some((per, until)),
                    ..refused_message(&form, FormErrors::default())
                },
                Err(error) => return Err(error.into()),
            }
        }
    };
    render(&ctx, &page, &ids, &TableQuery::default(), refused, None).await
}

/// The forms again after a refused message: the message as typed with its errors.
fn refused_message<'a>(form: &BTreeMap<String, String>, errors: FormErrors) -> Forms<'a> {
    Forms {
        message: form_state(form.clone(), errors),
        ..Forms::default()
    }
}

/// Why a message over a limit did not go, and when the next may: "… You can send it from
/// 20:00 on Tue 16 Mar 2027", in the series' zone.
fn too_many_messages(per: Per, until: jiff::Timestamp, zone: &jiff::tz::TimeZone) -> String {
    let limit = match per {
        Per::Hour => format!(
            "This session's organizers have sent {} messages this hour, the most Jamie sends.",
            sessions::MESSAGES_PER_SESSION_PER_HOUR
        ),
        Per::Day => format!(
            "You have sent {} messages today, the most Jamie sends for one organizer.",
            sessions::MESSAGES_PER_ORGANIZER_PER_DAY
        ),
    };
    format!(
        "{limit} Your message is kept below: you can send it from {}.",
        when::time_on_date(until, zone)
    )
}

/// "3 registrations are cancelled; each person is told by email. 1 person moved up from the
/// waitlist and is told by email."
fn batch_sentence(cancelled: u32, moved: u32, told: bool) -> String {
    let cancelled = match (cancelled, told) {
        (1, true) => "1 registration is cancelled; the person is told by email.".to_owned(),
        (1, false) => "1 registration is cancelled; they were not emailed.".to_owned(),
        (n, true) => format!("{n} registrations are cancelled; each person is told by email."),
        (n, false) => format!("{n} registrations are cancelled; nobody was emailed about them."),
    };
    match moved {
        0 => format!("{cancelled} Nobody moved up from the waitlist."),
        1 => format!("{cancelled} 1 person moved up from the waitlist and is told by email."),
        n => format!("{cancelled} {n} people moved up from the waitlist and are told by email."),
    }
}

/// The registrations a `?r=…&r=…` query names (the table's ticked boxes); others are ignored.
fn ticked(raw: Option<&str>) -> Vec<RegistrationId> {
    raw.unwrap_or_default()
        .split('&')
        .filter_map(|pair| pair.strip_prefix("r="))
        .filter_map(|id| id.parse().ok())
        .collect()
}

/// "Cancel 3 registrations?": the ticked people, before anything is cancelled.
async fn confirm_batch_cancel(
    State(ctx): State<Context>,
    page: PageContext,
    ids: SessionPath,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let SessionPath(series_id, session_id) = &ids;
    let wanted = ticked(query.as_deref());
    // Pressed with no one ticked: back to the table, which says what to do.
    if wanted.is_empty() {
        return Ok(Redirect::to(&format!(
            "/jams/{series_id}/sessions/{session_id}/registrations?done=batch-none#done"
        ))
        .into_response());
    }
    let preview =
        bookings::batch_preview(&ctx, &page.principal, series_id, session_id, &wanted).await?;
    let found = &preview.registrations;
    let (date, time) = session_when(&preview.session, &preview.series.zone());
    let list_path = format!("/jams/{series_id}/sessions/{session_id}/registrations");
    let joined = found
        .iter()
        .map(|registration| registration.id.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let view = BatchCancelView {
        series_name: &preview.series.name,
        date: &date,
        time: &time,
        back_href: &list_path,
        people: found
            .iter()
            .map(|registration| BatchPerson {
                name: &registration.name,
                email: registration.email.as_str(),
                status: registration.status,
                requested: registration.requested,
                role: registration.role,
            })
            .collect(),
        ids: &joined,
        action: &format!("{list_path}/cancel-selected"),
    };
    let title = format!("Cancel registrations? — {}", preview.series.name);
    Ok(batch_cancel_confirm(&page.page(&title), &view).into_response())
}

/// Cancels the confirmed batch and comes back to the table saying how many were cancelled and
/// how many moved up.
async fn batch_cancel(
    State(ctx): State<Context>,
    page: PageContext,
    ids: SessionPath,
    Form(form): Form<BTreeMap<String, String>>,
) -> Result<Response, AppError> {
    let SessionPath(series_id, session_id) = &ids;
    let fields = Fields(&form);
    let wanted: Vec<RegistrationId> = fields
        .get("ids")
        .split(',')
        .filter_map(|id| id.trim().parse().ok())
        .collect();
    let notify = fields.get("notify") == "yes";
    let done = bookings::cancel_batch(
        &ctx,
        &page.principal,
        series_id,
        session_id,
        &wanted,
        notify,
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/jams/{series_id}/sessions/{session_id}/registrations?done=batch-cancelled&n={}&moved={}&told={}#done",
        done.cancelled,
        done.promoted,
        if notify { "yes" } else { "no" }
    ))
    .into_response())
}

/// "Cancel Ana's spot?": what cancelling would do, before anything is cancelled.
async fn confirm_cancel(
    State(ctx): State<Context>,
    page: PageContext,
    RegistrationPath(ids, id): RegistrationPath,
    Query(query): Query<ActionQuery>,
) -> Result<Response, AppError> {
    let SessionPath(series_id, session_id) = &ids;
    let preview =
        bookings::cancel_preview(&ctx, &page.principal, series_id, session_id, &id).await?;
    let registration = &preview.registration;
    let base_path = format!("/jams/{series_id}/sessions/{session_id}/registrations");
    let from_detail = query.back == "detail";
    let (back_href, back_label) = if from_detail {
        (
            format!("{base_path}/{id}"),
            format!("Back to {}", registration.name),
        )
    } else {
        (
            format!("{base_path}#r-{id}"),
            "Back to registrations".to_owned(),
        )
    };
    let action = if from_detail {
        format!("{base_path}/{id}/cancel?back=detail")
    } else {
        format!("{base_path}/{id}/cancel")
    };
    let (date, time) = session_when(&preview.session, &preview.series.zone());
    let view = CancelConfirmView {
        series_name: &preview.series.name,
        date: &date,
        time: &time,
        back_href: &back_href,
        back_label: &back_label,
        name: &registration.name,
        status: registration.status,
        requested: registration.requested,
        role: registration.role,
        position: preview.position,
        next: preview.next.as_ref().map(|next| next.name.as_str()),
        action: &action,
        can_add_back: bookings::is_open(&preview.session, ctx.clock.now()).is_ok(),
    };
    let title = format!(
        "Cancel {}'s spot? — {}",
        registration.name, preview.series.name
    );
    Ok(cancel_confirm(&page.page(&title), &view).into_response())
}

async fn cancel_for(
    State(ctx): State<Context>,
    page: PageContext,
    RegistrationPath(ids, registration): RegistrationPath,
    Query(query): Query<ActionQuery>,
) -> Result<Response, AppError> {
    let SessionPath(series_id, session_id) = &ids;
    match bookings::cancel_for(&ctx, &page.principal, series_id, session_id, &registration).await {
        Ok((Cancelled::Now { promoted }, _)) => {
            let promoted = promoted.map_or_else(String::new, |next| format!("&p={next}"));
            let done = format!("done=cancelled&r={registration}{promoted}");
            after_action(series_id, session_id, &registration, &query, &done)
        }
        Ok((Cancelled::Already, _)) => {
            let done = format!("done=already-cancelled&r={registration}");
            after_action(series_id, session_id, &registration, &query, &done)
        }
        Err(error) => action_refused(&ctx, &page, &ids, &registration, &query, error).await,
    }
}

/// "Add them back": the person of a cancelled registration, entered again by the rules of a
/// manual add.
async fn add_back(
    State(ctx): State<Context>,
    page: PageContext,
    RegistrationPath(ids, registration): RegistrationPath,
    Query(query): Query<ActionQuery>,
) -> Result<Response, AppError> {
    let SessionPath(series_id, session_id) = &ids;
    match bookings::add_back(&ctx, &page.principal, series_id, session_id, &registration).await {
        Ok(registered) => {
            let again = &registered.registration.id;
            let done = format!("done=added-back&r={again}");
            after_action(series_id, session_id, again, &query, &done)
        }
        Err(error) => action_refused(&ctx, &page, &ids, &registration, &query, error).await,
    }
}

async fn export(
    State(ctx): State<Context>,
    page: PageContext,
    ids: SessionPath,
    Query(query): Query<TableQuery>,
) -> Result<Response, AppError> {
    let SessionPath(series_id, session_id) = &ids;
    let (series, session, registrations) = bookings::export(
        &ctx,
        &page.principal,
        series_id,
        session_id,
        &query.filter(),
    )
    .await?;
    let zone = series.zone();
    let csv = bookings::to_csv(&session, &registrations, &zone)?;
    let day = jamie_templates::when::iso_date(
        jamie_templates::when::local(session.starts_at, &zone).date(),
    );
    let name = bookings::csv_file_name(&series.name, &day);
    let disposition = format!("attachment; filename=\"{name}\"");
    let mut response = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
        csv,
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

#[derive(Debug, Default, Deserialize)]
struct CheckinQuery {
    #[serde(default)]
    r: String,
}

async fn checkin(
    State(ctx): State<Context>,
    page: PageContext,
    ids: SessionPath,
    Query(query): Query<CheckinQuery>,
) -> Result<Response, AppError> {
    render_checkin(&ctx, &page, &ids, Some(&query.r), None).await
}

/// The check-in list: the confirmed people by role and name, with their attendance controls
/// once the session has started.
async fn render_checkin(
    ctx: &Context,
    page: &PageContext,
    ids: &SessionPath,
    just_marked: Option<&str>,
    problem: Option<&str>,
) -> Result<Response, AppError> {
    let SessionPath(series_id, session_id) = ids;
    let (series, session, registrations) =
        bookings::of_session(ctx, &page.principal, series_id, session_id).await?;
    let zone = series.zone();
    let (date, time) = session_when(&session, &zone);
    let started = session.starts_at <= ctx.clock.now();
    let opens = (!started).then_some(session.starts_at);
    let base_path = format!("/jams/{series_id}/sessions/{session_id}");
    let mut confirmed: Vec<&Registration> = registrations
        .iter()
        .filter(|registration| registration.status == RegistrationStatus::Confirmed)
        .collect();
    confirmed.sort_by_key(|registration| registration.name.to_lowercase());
    let of = |role: Role| -> Vec<CheckinRow> {
        confirmed
            .iter()
            .filter(|registration| registration.role == Some(role))
            .map(|registration| {
                let mark = |mark: &str| {
                    format!(
                        "{base_path}/registrations/{}/attendance?mark={mark}&back=checkin",
                        registration.id
                    )
                };
                CheckinRow {
                    id: registration.id.to_string(),
                    name: registration.name.clone(),
                    role: registration.requested,
                    attendance: registration.attendance,
                    actions: started.then(|| CheckinActions {
                        attended: mark("attended"),
                        no_show: mark("no_show"),
                        clear: mark("clear"),
                    }),
                }
            })
            .collect()
    };
    let table_href = format!("{base_path}/registrations");
    let (bases, flyers) = (of(Role::Base), of(Role::Flyer));
    let view = CheckinView {
        series_name: &series.name,
        date: &date,
        time: &time,
        table_href: &table_href,
        opens,
        zone: &zone,
        bases: &bases,
        flyers: &flyers,
        just_marked: just_marked.filter(|id| !id.is_empty()),
        problem,
    };
    let title = format!("Check-in — {} {date}", series.name);
    Ok((
        status_for(problem.is_some()),
        checkin_list(&page.page(&title), &view),
    )
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
struct ActionQuery {
    #[serde(default)]
    to: String,
    #[serde(default)]
    mark: String,
    /// "detail" to come back to the registration's page rather than the table, "checkin" to
    /// the check-in list.
    #[serde(default)]
    back: String,
}

/// Where an organizer's action on a registration returns to, saying what it did (`done`, a
/// query such as `done=moved`): the registration's page, the check-in list at the person's
/// row, or the table.
fn after_action(
    series: &SeriesId,
    session: &SessionId,
    registration: &RegistrationId,
    query: &ActionQuery,
    done: &str,
) -> Result<Response, AppError> {
    let base_path = format!("/jams/{series}/sessions/{session}");
    let to = match query.back.as_str() {
        "detail" => format!("{base_path}/registrations/{registration}?{done}"),
        "checkin" => format!("{base_path}/checkin?r={registration}#p-{registration}"),
        _ => format!("{base_path}/registrations?{done}"),
    };
    Ok(Redirect::to(&to).into_response())
}

/// A refused action shown where it was asked: on the registration's page, the check-in list
/// or the table. Any other error is the error page.
async fn action_refused(
    ctx: &Context,
    page: &PageContext,
    ids: &SessionPath,
    registration: &RegistrationId,
    query: &ActionQuery,
    error: BookingError,
) -> Result<Response, AppError> {
    let BookingError::Refused(message) = error else {
        return Err(error.into());
    };
    match query.back.as_str() {
        "detail" => {
            render_detail(
                ctx,
                page,
                ids,
                registration,
                &TableQuery::default(),
                Some(message),
            )
            .await
        }
        "checkin" => render_checkin(ctx, page, ids, None, Some(message)).await,
        _ => {
            render(
                ctx,
                page,
                ids,
                &TableQuery::default(),
                Forms::default(),
                Some(message),
            )
            .await
        }
    }
}

async fn move_to(
    State(ctx): State<Context>,
    page: PageContext,
    RegistrationPath(ids, registration): RegistrationPath,
    Query(query): Query<ActionQuery>,
) -> Result<Response, AppError> {
    let SessionPath(series_id, session_id) = &ids;
    let to = match RoleChoice::parse(&query.to) {
        Some(RoleChoice::Base) => Role::Base,
        Some(RoleChoice::Flyer) => Role::Flyer,
        _ => return Err(AppError::BadRequest("Choose base or flyer.")),
    };
    match bookings::move_registration(
        &ctx,
        &page.principal,
        series_id,
        session_id,
        &registration,
        to,
    )
    .await
    {
        Ok(_) => after_action(series_id, session_id, &registration, &query, "done=moved"),
        Err(error) => action_refused(&ctx, &page, &ids, &registration, &query, error).await,
    }
}

async fn attendance(
    State(ctx): State<Context>,
    page: PageContext,
    RegistrationPath(ids, registration): RegistrationPath,
    Query(query): Query<ActionQuery>,
) -> Result<Response, AppError> {
    let SessionPath(series_id, session_id) = &ids;
    let mark = match query.mark.as_str() {
        "clear" => None,
        raw => Some(
            Attendance::parse(raw)
                .ok_or(AppError::BadRequest("Mark attended, no-show or clear."))?,
        ),
    };
    match bookings::mark_attendance(
        &ctx,
        &page.principal,
        series_id,
        session_id,
        &registration,
        mark,
    )
    .await
    {
        Ok(()) => after_action(series_id, session_id, &registration, &query, "done=marked"),
        Err(error) => action_refused(&ctx, &page, &ids, &registration, &query, error).await,
    }
}

async fn detail(
    State(ctx): State<Context>,
    page: PageContext,
    RegistrationPath(ids, registration): RegistrationPath,
    Query(query): Query<TableQuery>,
) -> Result<Response, AppError> {
    render_detail(&ctx, &page, &ids, &registration, &query, None).await
}

async fn render_detail(
    ctx: &Context,
    page: &PageContext,
    ids: &SessionPath,
    id: &RegistrationId,
    query: &TableQuery,
    problem: Option<&str>,
) -> Result<Response, AppError> {
    let SessionPath(series_id, session_id) = ids;
    let found =
        bookings::registration_detail(ctx, &page.principal, series_id, session_id, id).await?;
    let zone = found.series.zone();
    let session = &found.session;
    let registration = &found.registration;
    let (date, time) = session_when(session, &zone);
    let base_path = format!("/jams/{series_id}/sessions/{session_id}");
    let table_href = format!("{base_path}/registrations");
    let moves: Vec<MoveRow> = registration
        .moves
        .iter()
        .map(|moved| MoveRow {
            at: moved.at,
            by: moved.by_name.clone(),
            from: moved.from.clone(),
            to: moved.to.clone(),
        })
        .collect();
    let history: Vec<HistoryRow> = found
        .history
        .iter()
        .map(|earlier| HistoryRow {
            starts_at: earlier.starts_at,
            session_href: format!(
                "/jams/{series_id}/sessions/{}/registrations",
                earlier.session_id
            ),
            status: earlier.status,
            requested: earlier.requested,
            role: earlier.role,
            attendance: earlier.attendance,
            current: earlier.id == registration.id,
        })
        .collect();
    let (attended, no_shows) = found.attendance_counts();
    let offered = &found.offered;
    let move_actions = move_actions(&base_path, registration, offered, "&back=detail");
    let attendance_actions = attendance_actions(&base_path, registration, offered, "&back=detail");
    let cancel_href = offered.cancel.then(|| {
        format!(
            "{base_path}/registrations/{}/cancel?back=detail",
            registration.id
        )
    });
    let add_back = offered.add_back.then(|| {
        format!(
            "{}?back=detail",
            add_back_action(&base_path, &registration.id)
        )
    });
    let position = bookings::position_of(session, &registration.id);
    let (notice, _) = what_was_done(ctx, page, ids, session, query).await;
    let view = RegistrationDetailView {
        series_name: &found.series.name,
        table_href: &table_href,
        date: &date,
        time: &time,
        name: &registration.name,
        email: registration.email.as_str(),
        note: &registration.note,
        status: registration.status,
        requested: registration.requested,
        role: registration.role,
        position,
        registered_at: registration.created_at,
        zone: &zone,
        manual: registration.manual,
        attendance: registration.attendance,
        moves: &moves,
        history: &history,
        attended,
        no_shows,
        move_actions: &move_actions,
        attendance_actions: &attendance_actions,
        cancel_href: cancel_href.as_deref(),
        add_back_action: add_back.as_deref(),
        problem,
        notice: notice.as_deref(),
    };
    let title = format!("{} — {}", registration.name, found.series.name);
    Ok((
        status_for(problem.is_some()),
        registration_detail(&page.page(&title), &view),
    )
        .into_response())
}

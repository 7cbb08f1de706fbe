//! Unit tests of bookings that need no store (forms, links, the export), and the fixtures
//! the rooms' own tests share; the queue maths are tested in `waitlist.rs`.

use super::{cancel::parse_link, *};
use crate::ids::{RegistrationId, SecretToken, SeriesId, SessionId};
use crate::jams::sessions::{Session, SessionStatus};
use crate::values::{Email, Fields, Role, RoleChoice, Waiter};
use jiff::Timestamp;

pub(crate) fn session(base: (u32, u16), flyer: (u32, u16), waiting: (u32, u32, u32)) -> Session {
    Session {
        id: SessionId::generate(),
        series_id: SeriesId::generate(),
        starts_at: "2027-03-16T18:00:00Z".parse().unwrap(),
        ends_at: "2027-03-16T20:00:00Z".parse().unwrap(),
        capacity_base: base.1,
        capacity_flyer: flyer.1,
        cost: None,
        location: None,
        note: String::new(),
        status: SessionStatus::Scheduled,
        cancel_reason: None,
        confirmed_base: base.0,
        confirmed_flyer: flyer.0,
        waitlisted: waiting.0 + waiting.1 + waiting.2,
        waitlisted_base: waiting.0,
        waitlisted_flyer: waiting.1,
        waitlisted_either: waiting.2,
        waiting: Vec::new(),
        closes_minutes_before: 0,
        series: None,
        sequence: 0,
        created_at: Timestamp::UNIX_EPOCH,
    }
}

/// A registration of `requested` standing at `status` (no role).
pub(crate) fn registration(requested: RoleChoice, status: RegistrationStatus) -> Registration {
    Registration {
        id: RegistrationId::generate(),
        session_id: SessionId::generate(),
        series_id: SeriesId::generate(),
        name: "N".to_owned(),
        email: Email::parse("n@example.org").unwrap(),
        note: String::new(),
        requested,
        role: None,
        status,
        starts_at: Timestamp::UNIX_EPOCH,
        created_at: Timestamp::UNIX_EPOCH,
        promoted_at: None,
        cancelled_at: None,
        cancelled_by_organizers: false,
        cancel_hash: SecretToken::generate().hash(),
        manual: false,
        attendance: None,
        moves: Vec::new(),
        held_until: None,
    }
}

#[test]
fn registration_forms_are_checked_field_by_field() {
    let fields = |pairs: &[(&str, &str)]| -> std::collections::BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    let good = fields(&[
        ("name", "Ana"),
        ("email", "Ana@Example.org"),
        ("role", "either"),
        ("consent", "yes"),
    ]);
    let input = RegistrationInput::parse(&Fields(&good), true).unwrap();
    assert_eq!(input.email.as_str(), "ana@example.org");
    assert_eq!(input.requested, RoleChoice::Either);
    let long = "x".repeat(10 * 1024);
    let bad = fields(&[("name", &long), ("email", "nope"), ("role", "spotter")]);
    let errors = RegistrationInput::parse(&Fields(&bad), true).unwrap_err();
    for field in ["name", "email", "role", "consent"] {
        assert!(errors.has(field), "{field}");
    }
    assert!(
        RegistrationInput::parse(&Fields(&fields(&[])), false)
            .unwrap_err()
            .has("name")
    );
}

#[test]
fn an_organizer_filling_in_the_form_is_spoken_to_as_the_organizer() {
    let empty = std::collections::BTreeMap::new();
    let errors = RegistrationInput::parse_as(&Fields(&empty), Filler::Organizer).unwrap_err();
    assert_eq!(errors.0["name"], "Enter their name.");
    assert_eq!(errors.0["email"], "Enter their email address.");
    assert!(!errors.has("consent"), "nobody consents for someone else");
    let public = RegistrationInput::parse(&Fields(&empty), true).unwrap_err();
    assert_eq!(public.0["name"], "Tell the organizers your name.");
    assert_eq!(public.0["email"], "Enter your email address.");
    assert!(public.has("consent"));
    let bad: std::collections::BTreeMap<String, String> =
        [("name", "Ana"), ("email", "ana@"), ("role", "base")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
    let errors = RegistrationInput::parse_as(&Fields(&bad), Filler::Organizer).unwrap_err();
    assert_eq!(
        errors.0["email"],
        "Enter an email address like name@example.org."
    );
}

#[test]
fn the_export_filter_keeps_the_rows_the_table_shows() {
    let mut ana = registration(RoleChoice::Base, RegistrationStatus::Confirmed);
    ana.name = "Ana Li".to_owned();
    ana.email = Email::parse("ana@example.org").unwrap();
    let bo = registration(RoleChoice::Flyer, RegistrationStatus::Waitlisted);
    let everyone = TableFilter::default();
    assert!(everyone.matches(&ana) && everyone.matches(&bo) && !everyone.is_active());
    let waitlisted = TableFilter {
        status: Some(RegistrationStatus::Waitlisted),
        ..TableFilter::default()
    };
    assert!(!waitlisted.matches(&ana) && waitlisted.matches(&bo));
    let flyers = TableFilter {
        requested: Some(RoleChoice::Flyer),
        ..TableFilter::default()
    };
    assert!(!flyers.matches(&ana) && flyers.matches(&bo));
    let search = |text: &str| TableFilter {
        search: text.to_owned(),
        ..TableFilter::default()
    };
    assert!(search(" Li ").matches(&ana) && !search("Li").matches(&bo));
    assert!(search("ANA@").matches(&ana), "emails match in any case");
    assert!(
        !search("li").matches(&ana),
        "names as stored, like the table"
    );
    assert!(search("x").is_active());
}

#[test]
fn export_file_names_carry_the_series_and_the_day_in_safe_characters() {
    assert_eq!(
        csv_file_name("Tuesday Jam", "2027-03-16"),
        "registrations-tuesday-jam-2027-03-16.csv"
    );
    assert_eq!(
        csv_file_name("  Łódź \"Acro\" / Park; jam!! ", "2027-03-16"),
        "registrations-d-acro-park-jam-2027-03-16.csv"
    );
    assert_eq!(
        csv_file_name("李小龍", "2027-03-16"),
        "registrations-2027-03-16.csv"
    );
    let long = csv_file_name(&"a".repeat(500), "2027-03-16");
    assert!(long.len() < 100, "{long}");
}

#[test]
fn waitlist_places_are_stored_as_one_string() {
    let waiter = Waiter {
        id: RegistrationId::generate(),
        requested: RoleChoice::Either,
        email: Email::parse("a.b+jam@example.org").unwrap(),
    };
    let stored = String::from(waiter.clone());
    assert_eq!(stored, format!("{} either a.b+jam@example.org", waiter.id));
    assert_eq!(Waiter::try_from(stored).unwrap(), waiter);
    assert!(Waiter::try_from("nonsense".to_owned()).is_err());
}

#[test]
fn cancel_links_name_their_session_and_registration() {
    let session = SessionId::generate();
    let registration = RegistrationId::generate();
    let secret = SecretToken::generate();
    let link = parse_link(&format!("{session}.{registration}.{}", secret.expose())).unwrap();
    assert_eq!(link.session, session);
    assert_eq!(link.registration, registration);
    assert_eq!(link.hash, secret.hash());
    assert!(parse_link("nonsense").is_none());
    assert!(parse_link(&format!("{session}.{registration}.short")).is_none());
    assert!(parse_link(&format!("{session}.{}", secret.expose())).is_none());
}

#[test]
fn the_export_round_trips_through_a_csv_reader_and_defuses_formulas() {
    let names = [
        "Doe, Jane",
        "Ana \"Flyer\" Li",
        "Line\nBreak",
        "Łucja Żółw 李小龍",
        "=HYPERLINK(\"http://evil\")",
        "+49 123",
        "-minus",
        "@sum",
    ];
    let registrations: Vec<Registration> = names
        .iter()
        .enumerate()
        .map(|(n, name)| Registration {
            name: (*name).to_owned(),
            note: if n == 0 {
                "note, with \"quotes\"".to_owned()
            } else {
                String::new()
            },
            status: RegistrationStatus::Confirmed,
            role: Some(Role::Flyer),
            ..registration(RoleChoice::Either, RegistrationStatus::Confirmed)
        })
        .collect();
    let session = session((0, 10), (8, 10), (0, 0, 0));
    let csv = to_csv(&session, &registrations, &jiff::tz::TimeZone::UTC).unwrap();
    assert!(csv.starts_with('\u{feff}'), "a byte-order mark for Excel");
    let mut reader = ::csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), names.len());
    for (row, name) in rows.iter().zip(names) {
        let expected = if name.starts_with(['=', '+', '-', '@']) {
            format!("'{name}")
        } else {
            name.to_owned()
        };
        assert_eq!(&row[0], expected);
        assert_eq!(&row[3], "flyer");
    }
    assert_eq!(&rows[0][8], "note, with \"quotes\"");
    let berlin = jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
    let csv = to_csv(&session, &registrations[..1], &berlin).unwrap();
    assert!(
        csv.contains(",1970-01-01T01:00:00+01:00,"),
        "registered at, with its offset: {csv}"
    );
}

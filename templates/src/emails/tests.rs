//! The emails' tests: each rendered from the Berlin sample jam (and one in New York), checked
//! for what a reader would notice — size, links in the text part, local times, escaping.

use jamie::values::{Role, RoleChoice, TimeZone};

use super::{samples::Samples, *};

/// Every `href` of the HTML, unescaped.
fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .map(|rest| {
            rest[..rest.find('"').expect("a closed href")]
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&#39;", "'")
                .replace("&amp;", "&")
        })
        .collect()
}

/// The emails about the sample jam (all but the account ones).
fn about_the_jam(samples: &Samples) -> Vec<(&'static str, Email)> {
    samples
        .all()
        .into_iter()
        .filter(|(name, _)| !matches!(*name, "sign-in" | "email-change" | "invitation"))
        .collect()
}

#[test]
fn every_email_is_well_under_gmails_clipping_size() {
    for (name, email) in Samples::new().all() {
        assert!(
            email.html.len() < 100_000,
            "{name}: {} bytes",
            email.html.len()
        );
        assert!(email.html.starts_with("<!DOCTYPE html>"), "{name}");
    }
}

#[test]
fn the_text_part_writes_out_every_link_of_the_html() {
    for (name, email) in Samples::new().all() {
        let links = hrefs(&email.html);
        assert!(links.len() >= 2, "{name}: {links:?}");
        for url in links {
            assert!(url.starts_with("https://"), "{name}: {url}");
            assert!(email.text.contains(&url), "{name}: {url} not in the text");
        }
    }
}

#[test]
fn subjects_name_the_jam_and_its_local_day_and_time() {
    let samples = Samples::new();
    for (name, email) in about_the_jam(&samples) {
        assert!(
            email.subject.contains("Sunday Acro Jam"),
            "{name}: {}",
            email.subject
        );
        assert!(email.subject.contains("19:00"), "{name}: {}", email.subject);
    }
    let subjects: Vec<String> = samples.all().into_iter().map(|(_, e)| e.subject).collect();
    let mut unique = subjects.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), subjects.len(), "two emails share a subject");
    assert_eq!(subjects[3], "You're in: Sunday Acro Jam, Sun 6 Dec 19:00");
}

#[test]
fn times_show_in_the_series_zone_with_its_abbreviation() {
    // 18:00–20:30 UTC is 19:00–21:30 in Berlin.
    for (name, email) in about_the_jam(&Samples::new()) {
        for body in [&email.html, &email.text] {
            assert!(body.contains("19:00–21:30 CET"), "{name}");
            assert!(body.contains("Sun 6 Dec 2026"), "{name}");
            assert!(!body.contains("18:00"), "{name} shows UTC");
        }
    }
    let mut samples = Samples::new();
    samples.zone = "America/New_York".parse::<TimeZone>().unwrap();
    let email = Confirmed {
        jam: samples.jam(),
        name: "Sam",
        role: Role::Base,
        cancel_url: "https://jamie.example/cancel/x",
        hold: None,
    }
    .render();
    assert!(
        email.subject.ends_with("Sun 6 Dec 13:00"),
        "{}",
        email.subject
    );
    assert!(email.html.contains("13:00–15:30 EST"));
    assert!(email.text.contains("13:00–15:30 EST"));
}

#[test]
fn the_waitlist_email_gives_the_place_in_the_roles_queue() {
    let samples = Samples::new();
    let waitlisted = |requested, position| {
        Waitlisted {
            jam: samples.jam(),
            name: "Alex",
            requested,
            position,
            cancel_url: "https://jamie.example/cancel/x",
            hold: None,
        }
        .render()
    };
    let second = waitlisted(RoleChoice::Flyer, 2);
    assert!(second.subject.contains("2nd in line"), "{}", second.subject);
    assert!(second.html.contains("2nd in line for a flyer spot"));
    assert!(second.text.contains("2nd in line for a flyer spot"));
    assert!(second.text.contains("the moment"));
    assert!(
        waitlisted(RoleChoice::Base, 3)
            .text
            .contains("3rd in line for a base spot")
    );
    assert!(
        waitlisted(RoleChoice::Either, 1)
            .text
            .contains("1st in line for a base or flyer spot")
    );
}

#[test]
fn people_with_a_place_get_the_cancel_link_and_those_with_a_spot_the_calendar() {
    let samples = Samples::new();
    let cancel = "https://jamie.example/cancel/Zx81Hq0fP2s";
    let calendar = "https://jamie.example/s/7kq2m9xw.ics";
    for (name, email) in about_the_jam(&samples) {
        let links = hrefs(&email.html);
        let holds_a_place = !matches!(name, "cancelled" | "session-cancelled" | "hold-released");
        assert_eq!(links.iter().any(|l| l == cancel), holds_a_place, "{name}");
        if holds_a_place {
            assert!(email.text.contains("Cancel your registration"), "{name}");
        }
        let has_a_spot = matches!(
            name,
            "confirmed"
                | "promoted"
                | "role-changed"
                | "session-changed"
                | "reminder"
                | "reminder-2h"
        );
        assert_eq!(links.iter().any(|l| l == calendar), has_a_spot, "{name}");
        // The place and its map link.
        assert!(email.text.contains("Turnhalle am Mauerpark"), "{name}");
        assert!(
            links
                .iter()
                .any(|l| l.starts_with("https://www.google.com/maps/search/")),
            "{name}"
        );
    }
}

#[test]
fn user_input_is_escaped_in_the_html() {
    let script = "<script>alert(1)</script>";
    let mut samples = Samples::new();
    samples.place.venue = script.to_owned();
    let mut jam = samples.jam();
    jam.series = script;
    jam.note = script;
    let cancel_url = "https://jamie.example/cancel/x";
    let emails = [
        Confirmed {
            jam,
            name: script,
            role: Role::Base,
            cancel_url,
            hold: Some(cancel_url),
        }
        .render(),
        Waitlisted {
            jam,
            name: script,
            requested: RoleChoice::Either,
            position: 4,
            cancel_url,
            hold: None,
        }
        .render(),
        SessionCancelled {
            jam,
            name: script,
            reason: script,
            series_url: cancel_url,
        }
        .render(),
        OrganizerMessage {
            jam,
            name: script,
            from: script,
            text: script,
            cancel_url: None,
        }
        .render(),
        Invitation {
            url: cancel_url,
            series: script,
            inviter: script,
            valid_until: jam.ends_at,
            zone: &samples.zone,
        }
        .render(),
        EmailChange {
            url: cancel_url,
            new_email: script,
            valid_minutes: 60,
        }
        .render(),
    ];
    for email in emails {
        assert!(!email.html.contains("<script"), "{}", email.subject);
        assert!(email.html.contains("&lt;script&gt;"), "{}", email.subject);
        assert!(email.text.contains(script), "{}", email.subject);
    }
}

#[test]
fn an_organizers_message_keeps_its_line_breaks_and_names_its_author() {
    let email = OrganizerMessage {
        jam: Samples::new().jam(),
        name: "Alex",
        from: "Maria",
        text: "Bring a mat.\nWe start late.\n\nSee https://example.org/x.",
        cancel_url: None,
    }
    .render();
    assert!(email.html.contains("Bring a mat.<br>We start late."));
    assert!(email.html.contains(r#"href="https://example.org/x""#));
    assert!(email.text.contains("> Bring a mat.\n> We start late."));
    assert!(email.subject.starts_with("Message from Maria: "));
    assert!(email.text.contains("From Maria"));
    // Someone without a place gets no cancel link.
    assert!(!email.text.contains("Cancel your registration"));
}

#[test]
fn a_changed_session_shows_only_what_changed() {
    let samples = Samples::new();
    let jam = samples.jam();
    let changed = |before_starts_at, before_ends_at, before_place| {
        SessionChanged {
            jam,
            name: "Alex",
            before_starts_at,
            before_ends_at,
            before_place,
            cancel_url: "https://jamie.example/cancel/x",
        }
        .render()
    };
    let moved = changed(
        samples::BEFORE_STARTS_AT.parse().unwrap(),
        samples::BEFORE_ENDS_AT.parse().unwrap(),
        Some(&samples.place),
    );
    assert!(moved.subject.starts_with("New time: "), "{}", moved.subject);
    assert!(moved.text.contains(
        "When changed\n  was: Sat 5 Dec 2026, 17:00–19:00 CET\n  now: Sun 6 Dec 2026, 19:00–21:30 CET"
    ));
    assert!(!moved.text.contains("Where changed"));
    let elsewhere = changed(jam.starts_at, jam.ends_at, Some(&samples.old_place));
    assert!(
        elsewhere.subject.starts_with("New place: "),
        "{}",
        elsewhere.subject
    );
    assert!(elsewhere.text.contains(
        "Where changed\n  was: Studio Akrobatik, Oranienstraße 25, 10999 Berlin\n  now: Turnhalle am Mauerpark"
    ));
    assert!(!elsewhere.text.contains("When changed"));
    // The old value is struck through, the new one follows an arrow.
    assert!(elsewhere.html.contains("line-through"));
    assert!(elsewhere.html.contains("→ Turnhalle am Mauerpark"));
}

#[test]
fn a_cancelled_session_gives_the_reason_and_a_way_to_another_session() {
    let samples = Samples::new();
    let email = SessionCancelled {
        jam: samples.jam(),
        name: "Alex",
        reason: "The hall is flooded.",
        series_url: "https://jamie.example/series/sunday",
    }
    .render();
    assert!(email.subject.starts_with("Cancelled: Sunday Acro Jam"));
    assert!(email.html.contains("The hall is flooded."));
    assert!(email.text.contains("Their reason:\n> The hall is flooded."));
    assert!(
        email
            .text
            .contains("Find another session:\nhttps://jamie.example/series/sunday")
    );
}

#[test]
fn reminders_say_when_in_words_and_how_to_free_the_spot() {
    let samples = Samples::new();
    let remind = |lead| {
        Reminder {
            jam: samples.jam(),
            name: "Alex",
            role: Role::Flyer,
            lead,
            cancel_url: "https://jamie.example/cancel/x",
        }
        .render()
    };
    let day = remind(Lead::Day);
    assert_eq!(day.subject, "Tomorrow at 19:00: Sunday Acro Jam");
    assert!(day.text.contains("is tomorrow, Sun 6 Dec 2026, at 19:00"));
    assert!(day.text.contains("Can't come? Free your spot for the next person: Cancel your registration <https://jamie.example/cancel/x>"));
    let soon = remind(Lead::TwoHours);
    assert_eq!(soon.subject, "In 2 hours: Sunday Acro Jam at 19:00");
    assert!(soon.text.contains("starts in 2 hours, at 19:00"));
}

#[test]
fn account_emails_say_how_long_their_link_works_and_who_invited() {
    let samples = Samples::new();
    let all = samples.all();
    let text = |name: &str| &all.iter().find(|(n, _)| *n == name).unwrap().1;
    assert!(text("sign-in").text.contains("for the next 15 minutes"));
    assert!(text("email-change").text.contains("alex.new@example.org"));
    let invitation = text("invitation");
    assert_eq!(
        invitation.subject,
        "Maria Schulz invited you to co-organize Sunday Acro Jam"
    );
    // 21:00 UTC is 22:00 in Berlin.
    assert!(
        invitation
            .text
            .contains("open until Thu 3 Dec 2026, 22:00 CET")
    );
}

#[test]
fn every_email_declares_both_colour_schemes_and_a_preheader() {
    for (name, email) in Samples::new().all() {
        assert!(
            email
                .html
                .contains(r#"<meta name="color-scheme" content="light dark">"#),
            "{name}"
        );
        assert!(
            email
                .html
                .contains(r#"<meta name="supported-color-schemes" content="light dark">"#),
            "{name}"
        );
        assert!(email.html.contains("display:none;max-height:0"), "{name}");
        assert!(email.text.contains("You get this email because"), "{name}");
        assert!(!email.html.contains("display:flex"), "{name}");
    }
}

#[test]
fn a_link_that_is_its_own_address_is_written_once_in_the_text() {
    let samples = Samples::new();
    for (name, email) in samples.all() {
        for line in email.text.lines() {
            for url in line
                .split_whitespace()
                .filter(|word| word.starts_with("https://"))
            {
                assert!(
                    !line.contains(&format!("{url} <{url}>")),
                    "{name}: the address twice in a row: {line}"
                );
            }
        }
    }
    let (_, sign_in) = samples
        .all()
        .into_iter()
        .find(|(name, _)| *name == "sign-in")
        .expect("the sign-in sample");
    assert!(
        sign_in
            .text
            .contains("open this address: https://jamie.example/auth/magic/Qm3x9LwA7tP0\n")
    );
}

#[test]
fn a_held_registration_is_asked_to_press_within_30_minutes_and_a_release_says_why() {
    let samples = Samples::new();
    let confirm = "https://jamie.example/confirm/keep";
    let held = Confirmed {
        jam: samples.jam(),
        name: "Alex",
        role: Role::Flyer,
        cancel_url: "https://jamie.example/cancel/x",
        hold: Some(confirm),
    }
    .render();
    assert!(
        held.subject.starts_with("Press to keep your spot"),
        "{}",
        held.subject
    );
    for body in [&held.html, &held.text] {
        assert!(body.contains("within 30 minutes to keep your spot"));
        assert!(body.contains(confirm));
    }
    let place = Waitlisted {
        jam: samples.jam(),
        name: "Alex",
        requested: RoleChoice::Base,
        position: 1,
        cancel_url: "https://jamie.example/cancel/x",
        hold: Some(confirm),
    }
    .render();
    assert!(place.text.contains("within 30 minutes to keep your place"));
    assert!(place.text.contains("Keep my place"));
    let released = HoldReleased {
        jam: samples.jam(),
        name: "Alex",
    }
    .render();
    assert!(released.subject.starts_with("Your spot was released"));
    assert!(released.text.contains("wasn't confirmed within 30 minutes"));
    assert!(released.text.contains("Register again"));
}

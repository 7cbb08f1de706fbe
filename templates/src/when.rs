//! Dates and times as people read them, the one set pages, emails (and later Telegram) use:
//! a date, a day, a time, a range, a moment, a month and relative words; `iso_*` are for machines.

use jiff::{
    Timestamp, ZonedDateTime,
    civil::{Date, Time},
    tz::TimeZone,
};

/// "Tue 1 Dec 2026".
pub fn date(date: Date) -> String {
    date.strftime("%a %-d %b %Y").to_string()
}

/// "Tue 1 Dec": a date whose year goes without saying (this year, the coming week).
pub fn day(date: Date) -> String {
    date.strftime("%a %-d %b").to_string()
}

/// "19:00".
pub fn time(time: Time) -> String {
    time.strftime("%H:%M").to_string()
}

/// "19:00–21:30", both local to `zone`; a range past midnight ends on the next day's clock
/// ("22:00–01:30").
pub fn range(starts_at: Timestamp, ends_at: Timestamp, zone: &TimeZone) -> String {
    let (start, end) = (local(starts_at, zone), local(ends_at, zone));
    format!("{}–{}", time(start.time()), time(end.time()))
}

/// "19:00–21:30 CET": a [`range`] naming the zone of its start, for a reader who may be
/// elsewhere (an email).
pub fn range_in_zone(starts_at: Timestamp, ends_at: Timestamp, zone: &TimeZone) -> String {
    let abbreviation = local(starts_at, zone).strftime("%Z").to_string();
    format!("{} {abbreviation}", range(starts_at, ends_at, zone))
}

/// "Tue 1 Dec 2026, 19:00–21:30 CET": a session's date and its [`range_in_zone`] on one line.
pub fn session_in_zone(starts_at: Timestamp, ends_at: Timestamp, zone: &TimeZone) -> String {
    format!(
        "{}, {}",
        date(local(starts_at, zone).date()),
        range_in_zone(starts_at, ends_at, zone)
    )
}

/// "Tue 1 Dec 19:00": a [`day`] and a time, short enough for an email's subject.
pub fn day_time(at: Timestamp, zone: &TimeZone) -> String {
    let at = local(at, zone);
    format!("{} {}", day(at.date()), time(at.time()))
}

/// "Tue 1 Dec 2026, 19:00", local to `zone`.
pub fn moment(at: Timestamp, zone: &TimeZone) -> String {
    let at = local(at, zone);
    format!("{}, {}", date(at.date()), time(at.time()))
}

/// "Tue 1 Dec 2026, 19:00 CET": a [`moment`] naming its zone, for a reader who may be
/// elsewhere (an invite's expiry).
pub fn moment_in_zone(at: Timestamp, zone: &TimeZone) -> String {
    let local = local(at, zone);
    format!("{} {}", moment(at, zone), local.strftime("%Z"))
}

/// "19:00 on Tue 1 Dec 2026", local to `zone`: a [`moment`] inside a sentence.
pub fn time_on_date(at: Timestamp, zone: &TimeZone) -> String {
    let at = local(at, zone);
    format!("{} on {}", time(at.time()), date(at.date()))
}

/// "March 2027".
pub fn month(date: Date) -> String {
    date.strftime("%B %Y").to_string()
}

/// A session's date and its time range: ("Tue 1 Dec 2026", "19:00–21:00"), local to `zone`.
pub fn session(starts_at: Timestamp, ends_at: Timestamp, zone: &TimeZone) -> (String, String) {
    (
        date(local(starts_at, zone).date()),
        range(starts_at, ends_at, zone),
    )
}

/// When something happens, as a person reads it from `now`, local to `zone`: "Today,
/// 19:00–21:30", "Tomorrow, 19:00–21:30", "Yesterday, …", "Thu 3 Dec, 19:00–21:30" for the
/// rest of the coming week, and the full date ("Tue 12 Jan 2027, 19:00–21:30") beyond it or
/// further back. Days are calendar days in `zone`, so 23:30 and 00:30 are a day apart.
pub fn relative(
    starts_at: Timestamp,
    ends_at: Timestamp,
    zone: &TimeZone,
    now: Timestamp,
) -> String {
    let start = local(starts_at, zone).date();
    let today = local(now, zone).date();
    let words = match start.since(today).map(|span| span.get_days()) {
        Ok(0) => "Today".to_owned(),
        Ok(1) => "Tomorrow".to_owned(),
        Ok(-1) => "Yesterday".to_owned(),
        Ok(2..=6) => day(start),
        _ => date(start),
    };
    format!("{words}, {}", range(starts_at, ends_at, zone))
}

/// "2026-12-01": a machine format, for query values, file names and `datetime` attributes.
pub fn iso_date(date: Date) -> String {
    date.strftime("%Y-%m-%d").to_string()
}

/// "2026-12": a machine format, for the calendar's `?month=` value.
pub fn iso_month(date: Date) -> String {
    date.strftime("%Y-%m").to_string()
}

/// `at` on the clock of `zone`.
pub fn local(at: Timestamp, zone: &TimeZone) -> ZonedDateTime {
    at.to_zoned_datetime(zone.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn berlin() -> TimeZone {
        TimeZone::get("Europe/Berlin").unwrap()
    }

    /// A session from `start` lasting two and a half hours, read at `now`.
    fn when(start: &str, now: &str) -> String {
        let starts_at = at(start);
        let ends_at = starts_at + jiff::SignedDuration::from_mins(150);
        relative(starts_at, ends_at, &berlin(), at(now))
    }

    #[test]
    fn one_format_each_for_a_date_a_day_a_time_a_moment_and_a_month() {
        let d = jiff::civil::date(2026, 12, 1);
        assert_eq!(date(d), "Tue 1 Dec 2026");
        assert_eq!(day(d), "Tue 1 Dec");
        assert_eq!(time(jiff::civil::time(9, 5, 0, 0)), "09:05");
        assert_eq!(month(d), "December 2026");
        assert_eq!(
            time_on_date(at("2026-12-01T18:00:00Z"), &berlin()),
            "19:00 on Tue 1 Dec 2026"
        );
        assert_eq!(
            moment(at("2026-12-01T18:00:00Z"), &berlin()),
            "Tue 1 Dec 2026, 19:00"
        );
        assert_eq!(
            moment_in_zone(at("2026-12-01T18:00:00Z"), &berlin()),
            "Tue 1 Dec 2026, 19:00 CET"
        );
        assert_eq!(
            moment_in_zone(at("2027-07-01T17:00:00Z"), &berlin()),
            "Thu 1 Jul 2027, 19:00 CEST"
        );
    }

    #[test]
    fn emails_name_the_zone_of_the_times_they_show() {
        let (start, end) = (at("2026-12-01T18:00:00Z"), at("2026-12-01T20:30:00Z"));
        assert_eq!(range_in_zone(start, end, &berlin()), "19:00–21:30 CET");
        assert_eq!(
            session_in_zone(start, end, &berlin()),
            "Tue 1 Dec 2026, 19:00–21:30 CET"
        );
        assert_eq!(day_time(start, &berlin()), "Tue 1 Dec 19:00");
        let new_york = TimeZone::get("America/New_York").unwrap();
        assert_eq!(range_in_zone(start, end, &new_york), "13:00–15:30 EST");
    }

    #[test]
    fn a_session_reads_as_its_local_date_and_range() {
        assert_eq!(
            session(
                at("2026-12-01T18:00:00Z"),
                at("2026-12-01T20:00:00Z"),
                &berlin()
            ),
            ("Tue 1 Dec 2026".to_owned(), "19:00–21:00".to_owned())
        );
        // 23:30 UTC on the 1st is already the 2nd in Berlin.
        assert_eq!(
            session(
                at("2026-12-01T23:30:00Z"),
                at("2026-12-02T01:00:00Z"),
                &berlin()
            )
            .0,
            "Wed 2 Dec 2026"
        );
    }

    #[test]
    fn machine_formats_are_iso() {
        let d = jiff::civil::date(2027, 3, 9);
        assert_eq!(iso_date(d), "2027-03-09");
        assert_eq!(iso_month(d), "2027-03");
    }

    #[test]
    fn today_tomorrow_and_the_coming_week_read_as_words() {
        // Tue 1 Dec 2026, 10:00 in Berlin.
        let now = "2026-12-01T09:00:00Z";
        assert_eq!(when("2026-12-01T18:00:00Z", now), "Today, 19:00–21:30");
        assert_eq!(when("2026-12-02T18:00:00Z", now), "Tomorrow, 19:00–21:30");
        assert_eq!(when("2026-12-03T18:00:00Z", now), "Thu 3 Dec, 19:00–21:30");
        assert_eq!(when("2026-12-07T18:00:00Z", now), "Mon 7 Dec, 19:00–21:30");
        assert_eq!(when("2026-11-30T18:00:00Z", now), "Yesterday, 19:00–21:30");
    }

    #[test]
    fn beyond_a_week_or_further_back_the_full_date() {
        let now = "2026-12-01T09:00:00Z";
        assert_eq!(
            when("2026-12-08T18:00:00Z", now),
            "Tue 8 Dec 2026, 19:00–21:30"
        );
        assert_eq!(
            when("2027-01-12T18:00:00Z", now),
            "Tue 12 Jan 2027, 19:00–21:30"
        );
        assert_eq!(
            when("2026-11-24T18:00:00Z", now),
            "Tue 24 Nov 2026, 19:00–21:30"
        );
    }

    #[test]
    fn days_are_counted_in_the_series_zone_across_midnight() {
        // 23:30 on Tue 1 Dec in Berlin is 22:30 UTC; a session at 00:30 Berlin (23:30 UTC
        // the same UTC day) is already tomorrow there.
        let now = "2026-12-01T22:30:00Z";
        assert_eq!(when("2026-12-01T23:30:00Z", now), "Tomorrow, 00:30–03:00");
        // Ten minutes after midnight in Berlin, still Tuesday in UTC: the 19:00 session
        // that evening (Wednesday in Berlin) is today.
        let now = "2026-12-01T23:10:00Z";
        assert_eq!(when("2026-12-02T18:00:00Z", now), "Today, 19:00–21:30");
        assert_eq!(when("2026-12-01T18:00:00Z", now), "Yesterday, 19:00–21:30");
    }

    #[test]
    fn a_session_past_midnight_ends_on_the_next_day_clock() {
        let now = "2026-12-01T09:00:00Z";
        let starts_at = at("2026-12-01T21:00:00Z");
        let ends_at = at("2026-12-02T00:30:00Z");
        assert_eq!(
            relative(starts_at, ends_at, &berlin(), at(now)),
            "Today, 22:00–01:30"
        );
    }
}

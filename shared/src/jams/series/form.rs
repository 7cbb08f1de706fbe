//! The series form: what an organizer types about a series ([`SeriesDetails`]), parsed field
//! by field with each error beside its field, and the choices the form offers.

use super::*;

/// Weekdays as a form offers them, ISO numbered.
pub const WEEKDAYS: [(&str, &str, i8); 7] = [
    ("mon", "Monday", 1),
    ("tue", "Tuesday", 2),
    ("wed", "Wednesday", 3),
    ("thu", "Thursday", 4),
    ("fri", "Friday", 5),
    ("sat", "Saturday", 6),
    ("sun", "Sunday", 7),
];

/// What an organizer types about a series: everything but its identity, owner, photo and
/// state.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesDetails {
    pub name: String,
    pub description: String,
    pub location: Location,
    pub cost: Cost,
    pub capacity_base: u16,
    pub capacity_flyer: u16,
    pub weekday: Option<i8>,
    pub start_time: Time,
    pub duration_minutes: u16,
    pub time_zone: crate::values::TimeZone,
    pub level_notes: String,
    pub visibility: Visibility,
    pub either_first: Role,
    pub closes_minutes_before: u32,
    pub replies_to_owner: bool,
    pub remind_two_hours: bool,
    pub confirm_by_email: bool,
}

/// The cut-offs a series form offers, in minutes before the start, with their labels.
pub const CUT_OFFS: [(u32, &str); 7] = [
    (0, "When the session starts"),
    (60, "1 hour before"),
    (180, "3 hours before"),
    (360, "6 hours before"),
    (720, "12 hours before"),
    (1440, "1 day before"),
    (2880, "2 days before"),
];

impl SeriesDetails {
    /// The series form, checked field by field; every problem is reported beside its field.
    pub fn parse(fields: &Fields<'_>) -> Result<Self, FormErrors> {
        let mut errors = FormErrors::default();
        let name = fields.text("name", 100, &mut errors);
        if name.is_empty() && !errors.has("name") {
            errors.add("name", "Give the series a name.");
        }
        let description = fields.text("description", 4000, &mut errors);
        let location = Location::parse(fields, &mut errors);
        let cost = Cost::parse(
            fields.get("cost_kind"),
            fields.get("cost_amount"),
            fields.get("cost_currency"),
        )
        .map_err(|error| errors.add(cost_field(fields.get("cost_kind")), error.0))
        .ok();
        let capacity_base = fields.parse_with("capacity_base", parse_capacity, &mut errors);
        let capacity_flyer = fields.parse_with("capacity_flyer", parse_capacity, &mut errors);
        let weekday = match fields.get("weekday") {
            "" => Some(None),
            raw => match WEEKDAYS.iter().find(|(key, _, _)| *key == raw) {
                Some((_, _, number)) => Some(Some(*number)),
                None => {
                    errors.add("weekday", "Choose a weekday.");
                    None
                }
            },
        };
        let start_time = fields.parse_with("start_time", parse_time, &mut errors);
        let duration_minutes = fields.parse_with("duration_minutes", parse_duration, &mut errors);
        let time_zone = fields.parse_with("time_zone", parse_time_zone, &mut errors);
        let level_notes = fields.text("level_notes", 1000, &mut errors);
        let visibility = match fields.get("visibility") {
            "public" => Some(Visibility::Public),
            "unlisted" => Some(Visibility::Unlisted),
            _ => {
                errors.add("visibility", "Choose public or unlisted.");
                None
            }
        };
        // Both booking settings are optional in a form (older forms lack them).
        let either_first = match fields.get("either_first") {
            "" | "base" => Some(Role::Base),
            "flyer" => Some(Role::Flyer),
            _ => {
                errors.add("either_first", "Choose base or flyer.");
                None
            }
        };
        let closes_minutes_before = match fields.get("closes_minutes_before") {
            "" => Some(0),
            raw => match CUT_OFFS
                .iter()
                .find(|(minutes, _)| raw.trim() == minutes.to_string())
            {
                Some((minutes, _)) => Some(*minutes),
                None => {
                    errors.add("closes_minutes_before", "Choose when registration closes.");
                    None
                }
            },
        };
        match (
            either_first,
            closes_minutes_before,
            cost,
            capacity_base,
            capacity_flyer,
            weekday,
            start_time,
            duration_minutes,
            time_zone,
            visibility,
        ) {
            (
                Some(either_first),
                Some(closes_minutes_before),
                Some(cost),
                Some(capacity_base),
                Some(capacity_flyer),
                Some(weekday),
                Some(start_time),
                Some(duration_minutes),
                Some(time_zone),
                Some(visibility),
            ) if !errors.any() => Ok(Self {
                name,
                description,
                location,
                cost,
                capacity_base,
                capacity_flyer,
                weekday,
                start_time,
                duration_minutes,
                time_zone,
                level_notes,
                visibility,
                either_first,
                closes_minutes_before,
                // Checkboxes: ticked sends "yes", unticked sends nothing.
                replies_to_owner: fields.get("replies_to_owner") == "yes",
                remind_two_hours: fields.get("remind_two_hours") == "yes",
                confirm_by_email: fields.get("confirm_by_email") == "yes",
            }),
            _ => Err(errors),
        }
    }

    /// A new series with these details.
    pub fn into_series(self, id: SeriesId, owner: UserId, created_at: Timestamp) -> Series {
        Series {
            id,
            owner,
            name: self.name,
            description: self.description,
            location: self.location,
            cost: self.cost,
            capacity_base: self.capacity_base,
            capacity_flyer: self.capacity_flyer,
            start_time: self.start_time,
            duration_minutes: self.duration_minutes,
            weekday: self.weekday,
            time_zone: self.time_zone,
            level_notes: self.level_notes,
            visibility: self.visibility,
            photo: None,
            archived: false,
            either_first: self.either_first,
            closes_minutes_before: self.closes_minutes_before,
            replies_to_owner: self.replies_to_owner,
            remind_two_hours: self.remind_two_hours,
            confirm_by_email: self.confirm_by_email,
            organizer_names: Vec::new(),
            owner_blocked: false,
            created_at,
            slots: Some(BTreeMap::new()),
        }
    }
}

/// The field a cost error belongs beside.
fn cost_field(kind: &str) -> &'static str {
    if kind == "amount" {
        "cost_amount"
    } else {
        "cost_kind"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect()
    }

    #[test]
    fn a_series_form_round_trips_through_its_fields() {
        let typed = form(&[
            ("name", " Tuesday Jam "),
            ("description", "Warm-up.\nJam."),
            ("venue", "Studio Nord"),
            ("address", "Nordstraße 1"),
            ("latitude", "52,52"),
            ("longitude", "13.4"),
            ("cost_kind", "amount"),
            ("cost_amount", "12.5"),
            ("cost_currency", "eur"),
            ("capacity_base", "10"),
            ("capacity_flyer", "8"),
            ("weekday", "tue"),
            ("start_time", "19:00"),
            ("duration_minutes", "150"),
            ("time_zone", "Europe/Berlin"),
            ("visibility", "unlisted"),
            ("remind_two_hours", "yes"),
        ]);
        let details = SeriesDetails::parse(&Fields(&typed)).unwrap();
        assert!(details.remind_two_hours && !details.replies_to_owner);
        assert_eq!(details.name, "Tuesday Jam");
        assert_eq!(details.location.latitude, Some(52.52));
        assert_eq!(details.weekday, Some(2));
        let series = details.clone().into_series(
            SeriesId::generate(),
            UserId::generate(),
            Timestamp::UNIX_EPOCH,
        );
        assert_eq!(series.schedule_label(), "Tuesdays at 19:00 for 2 h 30 min");
        let again = SeriesDetails::parse(&Fields(&series.fields())).unwrap();
        assert_eq!(again, details, "the edit form shows exactly what was saved");
    }

    #[test]
    fn every_bad_field_is_reported_beside_itself() {
        let errors = SeriesDetails::parse(&Fields(&form(&[("weekday", "someday")]))).unwrap_err();
        for field in [
            "name",
            "address",
            "cost_kind",
            "capacity_base",
            "capacity_flyer",
            "weekday",
            "start_time",
            "duration_minutes",
            "time_zone",
            "visibility",
        ] {
            assert!(errors.has(field), "{field}: {errors:?}");
        }
    }
}

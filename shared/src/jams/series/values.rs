//! The values a series is made of (cost, place, photo, visibility) and the parsers of
//! capacities, time zones, times and durations that the series and session forms share.

use super::*;

/// The most participants one role can hold.
pub const MAX_CAPACITY: u16 = 500;

/// What a session costs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Cost {
    Free,
    Donation,
    /// An amount in minor units (cents) of a three-letter currency.
    Amount {
        minor: u32,
        currency: String,
    },
}

impl Cost {
    /// Parses the cost fields of a form: `kind` (free / donation / amount), the amount as typed
    /// (`12`, `12.50`, `12,50`) and the currency code.
    pub fn parse(kind: &str, amount: &str, currency: &str) -> Result<Self, FieldError> {
        match kind {
            "free" => Ok(Cost::Free),
            "donation" => Ok(Cost::Donation),
            "amount" => {
                let amount = amount.trim().replace(',', ".");
                let (whole, fraction) = amount.split_once('.').unwrap_or((&amount, ""));
                let valid = !whole.is_empty()
                    && whole.len() <= 6
                    && whole.bytes().all(|b| b.is_ascii_digit())
                    && fraction.len() <= 2
                    && fraction.bytes().all(|b| b.is_ascii_digit());
                if !valid {
                    return Err(FieldError("Enter an amount like 10 or 12.50."));
                }
                let cents: u32 = format!("{fraction:0<2}").parse().unwrap_or(0);
                let minor = whole.parse::<u32>().unwrap_or(0) * 100 + cents;
                if minor == 0 {
                    return Err(FieldError("Choose \"free\" for a jam without a fee."));
                }
                let currency = currency.trim().to_uppercase();
                if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
                    return Err(FieldError(
                        "Enter a three-letter currency code such as EUR.",
                    ));
                }
                Ok(Cost::Amount { minor, currency })
            }
            _ => Err(FieldError("Choose free, donation or an amount.")),
        }
    }

    /// The form fields showing this cost: `cost_kind`, `cost_amount`, `cost_currency`.
    pub fn fields(&self) -> [(&'static str, String); 3] {
        let (kind, amount, currency) = match self {
            Cost::Free => ("free", String::new(), String::new()),
            Cost::Donation => ("donation", String::new(), String::new()),
            Cost::Amount { minor, currency } => (
                "amount",
                format!("{}.{:02}", minor / 100, minor % 100),
                currency.clone(),
            ),
        };
        [
            ("cost_kind", kind.to_owned()),
            ("cost_amount", amount),
            ("cost_currency", currency),
        ]
    }

    /// As shown to participants: "Free", "Donation", "12.50 EUR".
    pub fn label(&self) -> String {
        match self {
            Cost::Free => "Free".to_owned(),
            Cost::Donation => "Donation".to_owned(),
            Cost::Amount { minor, currency } => {
                format!("{}.{:02} {currency}", minor / 100, minor % 100)
            }
        }
    }
}

/// A per-role capacity: 0 to [`MAX_CAPACITY`].
pub fn parse_capacity(raw: &str) -> Result<u16, FieldError> {
    match raw.trim().parse::<i64>() {
        Ok(n) if n < 0 => Err(FieldError("A capacity cannot be negative.")),
        Ok(n) if n > i64::from(MAX_CAPACITY) => Err(FieldError("At most 500 per role.")),
        Ok(n) => Ok(u16::try_from(n).unwrap_or(MAX_CAPACITY)),
        Err(_) => Err(FieldError("Enter a whole number.")),
    }
}

/// An IANA time zone name that the bundled database knows, in its canonical spelling
/// (`europe/berlin` is stored as `Europe/Berlin`).
pub fn parse_time_zone(raw: &str) -> Result<crate::values::TimeZone, FieldError> {
    raw.parse()
        .map_err(|_| FieldError("Choose a time zone such as Europe/Berlin."))
}

/// A local time of day, `HH:MM`.
pub fn parse_time(raw: &str) -> Result<Time, FieldError> {
    raw.trim()
        .parse::<Time>()
        .map_err(|_| FieldError("Enter a time like 19:00."))
}

/// Who sees a series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Listed on the organizer's public pages.
    Public,
    /// Reachable only by its links.
    Unlisted,
}

/// Where a jam happens.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub venue: String,
    pub address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    /// The Google place this location was resolved from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_id: Option<String>,
}

impl Location {
    /// A Google Maps link: at the coordinates when known, else a search for venue and address;
    /// pinned to the place when its id is known.
    pub fn maps_url(&self) -> String {
        let query = match (self.latitude, self.longitude) {
            (Some(latitude), Some(longitude)) => format!("{latitude},{longitude}"),
            _ => [self.venue.as_str(), self.address.as_str()]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
        };
        let mut url = format!(
            "https://www.google.com/maps/search/?api=1&query={}",
            crate::jams::url_encode(&query)
        );
        if let Some(place_id) = &self.place_id {
            url.push_str("&query_place_id=");
            url.push_str(&crate::jams::url_encode(place_id));
        }
        url
    }

    /// The location fields of a form: `venue`, `address`, `latitude`, `longitude`, `place_id`.
    /// The venue or the address is required; coordinates come as a pair.
    pub fn parse(fields: &Fields<'_>, errors: &mut FormErrors) -> Self {
        let venue = fields.text("venue", 200, errors);
        let address = fields.text("address", 300, errors);
        if venue.is_empty() && address.is_empty() && !errors.has("venue") {
            errors.add("address", "Enter the venue or its address.");
        }
        let coordinate = |name: &'static str, limit: f64, errors: &mut FormErrors| {
            let raw = fields.get(name);
            if raw.is_empty() {
                return None;
            }
            match raw.replace(',', ".").parse::<f64>() {
                Ok(value) if value.is_finite() && value.abs() <= limit => Some(value),
                _ => {
                    errors.add(name, "Enter decimal degrees, like 52.52 and 13.40.");
                    None
                }
            }
        };
        let latitude = coordinate("latitude", 90.0, errors);
        let longitude = coordinate("longitude", 180.0, errors);
        if latitude.is_some() != longitude.is_some() && !errors.has("latitude") {
            errors.add("longitude", "Give both latitude and longitude, or neither.");
        }
        let place_id = Some(fields.get("place_id"))
            .filter(|id| !id.is_empty())
            .map(str::to_owned);
        Self {
            venue,
            address,
            latitude: latitude.and(longitude).and(latitude),
            longitude: latitude.and(longitude),
            place_id,
        }
    }

    /// The fields of a form showing this location.
    pub fn fields(&self) -> BTreeMap<String, String> {
        let mut fields = BTreeMap::new();
        fields.insert("venue".to_owned(), self.venue.clone());
        fields.insert("address".to_owned(), self.address.clone());
        let coordinate = |value: Option<f64>| value.map(|v| v.to_string()).unwrap_or_default();
        fields.insert("latitude".to_owned(), coordinate(self.latitude));
        fields.insert("longitude".to_owned(), coordinate(self.longitude));
        fields.insert(
            "place_id".to_owned(),
            self.place_id.clone().unwrap_or_default(),
        );
        fields
    }
}

/// A series' photo: the processed image and its thumbnail in the photo bucket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Photo {
    /// The object key of the full image (at most 1600 px); the thumbnail's adds `-thumb`.
    pub key: String,
    pub width: u32,
    pub height: u32,
}

impl Photo {
    pub fn thumbnail_key(&self) -> String {
        match self.key.strip_suffix(".jpg") {
            Some(stem) => format!("{stem}-thumb.jpg"),
            None => format!("{}-thumb", self.key),
        }
    }
}

/// The shortest and longest usual session length in minutes, one place for the form's
/// `min`/`max`, the message and the parser: a quarter of an hour to 12 hours.
pub const DURATION_MINUTES: (u16, u16) = (15, 720);

/// A session length in minutes, within [`DURATION_MINUTES`].
pub fn parse_duration(raw: &str) -> Result<u16, FieldError> {
    let (min, max) = DURATION_MINUTES;
    match raw.trim().parse::<u16>() {
        Ok(minutes) if (min..=max).contains(&minutes) => Ok(minutes),
        Ok(_) => Err(FieldError("Between 15 and 720 minutes (12 hours).")),
        Err(_) if raw.trim().parse::<i64>().is_ok() => {
            Err(FieldError("Between 15 and 720 minutes (12 hours)."))
        }
        Err(_) => Err(FieldError("Enter the length in minutes, like 120.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_duration_limit_the_form_shows_is_the_one_enforced() {
        let (min, max) = DURATION_MINUTES;
        assert_eq!(parse_duration(&min.to_string()), Ok(min));
        assert_eq!(parse_duration(&max.to_string()), Ok(max));
        let message = parse_duration(&(max + 1).to_string()).unwrap_err().0;
        assert!(message.contains(&format!("Between {min} and {max} minutes")));
        for refused in ["14", "1000", "1440", "-5", "99999999"] {
            assert_eq!(parse_duration(refused).unwrap_err().0, message, "{refused}");
        }
        assert_eq!(
            parse_duration("two hours").unwrap_err().0,
            "Enter the length in minutes, like 120."
        );
    }

    #[test]
    fn costs_parse_from_the_form() {
        assert_eq!(Cost::parse("free", "", ""), Ok(Cost::Free));
        assert_eq!(Cost::parse("donation", "5", "eur"), Ok(Cost::Donation));
        let amount = Cost::parse("amount", "12,5", "eur").unwrap();
        assert_eq!(
            amount,
            Cost::Amount {
                minor: 1250,
                currency: "EUR".to_owned()
            }
        );
        assert_eq!(amount.label(), "12.50 EUR");
        for (raw, currency) in [
            ("-3", "EUR"),
            ("1.234", "EUR"),
            ("abc", "EUR"),
            ("0", "EUR"),
            ("10", "EURO"),
            ("10", ""),
        ] {
            assert!(
                Cost::parse("amount", raw, currency).is_err(),
                "{raw} {currency}"
            );
        }
        assert!(Cost::parse("barter", "", "").is_err());
    }

    #[test]
    fn capacities_time_zones_and_times_are_checked() {
        assert_eq!(parse_capacity(" 12 "), Ok(12));
        assert_eq!(
            parse_capacity("-1"),
            Err(FieldError("A capacity cannot be negative."))
        );
        assert!(parse_capacity("501").is_err());
        assert!(parse_capacity("ten").is_err());
        assert_eq!(
            parse_time_zone("Europe/Berlin")
                .as_deref()
                .map(str::to_owned),
            Ok("Europe/Berlin".to_owned())
        );
        assert_eq!(
            parse_time_zone(" europe/berlin ")
                .as_deref()
                .map(str::to_owned),
            Ok("Europe/Berlin".to_owned())
        );
        assert!(parse_time_zone("Mars/Olympus_Mons").is_err());
        assert_eq!(parse_time("19:00").unwrap().hour(), 19);
        assert!(parse_time("7pm").is_err());
    }

    #[test]
    fn maps_links_prefer_coordinates_and_pin_the_place() {
        let typed = Location {
            venue: "Studio Nord".to_owned(),
            address: "Nordstraße 1, Berlin".to_owned(),
            ..Location::default()
        };
        assert_eq!(
            typed.maps_url(),
            "https://www.google.com/maps/search/?api=1&query=Studio%20Nord%2C%20Nordstra%C3%9Fe%201%2C%20Berlin"
        );
        let placed = Location {
            latitude: Some(52.5291),
            longitude: Some(13.4014),
            place_id: Some("ChIJ-acro".to_owned()),
            ..typed
        };
        assert_eq!(
            placed.maps_url(),
            "https://www.google.com/maps/search/?api=1&query=52.5291%2C13.4014&query_place_id=ChIJ-acro"
        );
    }
}

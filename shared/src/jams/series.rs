//! Jam series: what an organizer publishes once (name, description, place, cost, capacity per
//! role, usual day and time, time zone, visibility) and who organizes it (the owner and
//! co-organizers, each an organizer membership).

use jiff::{Timestamp, civil::Time, tz::TimeZone};
use serde::{Deserialize, Serialize};

use crate::{
    Context, Error,
    accounts::FieldError,
    authorization::{Denied, Principal},
    ids::{SeriesId, UserId},
    store::{Change, Entry, Query, StoreError, keys},
};

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

/// An IANA time zone name that the bundled database knows.
pub fn parse_time_zone(raw: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    if name.is_empty() || name.len() > 64 || TimeZone::get(name).is_err() {
        return Err(FieldError("Choose a time zone such as Europe/Berlin."));
    }
    Ok(name.to_owned())
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
}

/// A jam series, as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub id: SeriesId,
    pub owner: UserId,
    pub name: String,
    pub description: String,
    pub location: Location,
    pub cost: Cost,
    pub capacity_base: u16,
    pub capacity_flyer: u16,
    /// The usual start time, local to `time_zone`.
    pub start_time: Time,
    pub duration_minutes: u16,
    pub time_zone: String,
    #[serde(default)]
    pub level_notes: String,
    pub visibility: Visibility,
    #[serde(default)]
    pub archived: bool,
    pub created_at: Timestamp,
}

/// A person's part in a series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganizerRole {
    Owner,
    CoOrganizer,
}

/// The membership item that makes a user an organizer of a series.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub series_id: SeriesId,
    pub user_id: UserId,
    pub role: OrganizerRole,
    pub added_at: Timestamp,
}

fn membership_entry(membership: &Membership) -> Entry {
    Entry::new(keys::organizer(&membership.series_id, &membership.user_id)).gsi1(
        keys::organizer_index(&membership.user_id),
        format!("SERIES#{}", membership.series_id),
    )
}

/// Creates a series owned by the acting user: the series, the owner's membership and the
/// owner's series count, in one transaction.
#[tracing::instrument(skip_all)]
pub async fn create(
    ctx: &Context,
    principal: &Principal,
    series: Series,
) -> Result<Series, SeriesError> {
    let actor =
        crate::authorization::authorize(principal, crate::authorization::Operation::CreateSeries)?;
    let series = Series {
        owner: actor.user.id.clone(),
        created_at: ctx.clock.now(),
        ..series
    };
    let membership = Membership {
        series_id: series.id.clone(),
        user_id: actor.user.id.clone(),
        role: OrganizerRole::Owner,
        added_at: series.created_at,
    };
    let writes = vec![
        ctx.store.put(
            &Entry::new(keys::series(&series.id)).gsi2(
                keys::ALL_SERIES_INDEX,
                format!("{}#{}", keys::sortable_time(series.created_at), series.id),
            ),
            &series,
            Some("attribute_not_exists(PK)"),
        )?,
        ctx.store.put(
            &membership_entry(&membership),
            &membership,
            Some("attribute_not_exists(PK)"),
        )?,
        ctx.store.update(
            &keys::user(&actor.user.id),
            Change::new("ADD series_count :one")
                .when("attribute_exists(PK)")
                .value(":one", 1),
        )?,
    ];
    ctx.store.transact(writes).await?;
    Ok(series)
}

/// The series a user organizes (owned or co-organized), newest first.
pub async fn of_user(ctx: &Context, user: &UserId) -> Result<Vec<(Series, OrganizerRole)>, Error> {
    let partition = keys::organizer_index(user);
    let memberships = ctx
        .store
        .query::<Membership>(Query::index("GSI1", &partition))
        .await?
        .items;
    let mut found = Vec::with_capacity(memberships.len());
    for membership in memberships {
        if let Some(series) = ctx
            .store
            .get::<Series>(&keys::series(&membership.series_id))
            .await?
        {
            found.push((series, membership.role));
        }
    }
    found.sort_by_key(|(series, _)| std::cmp::Reverse(series.created_at));
    Ok(found)
}

/// Why a series operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum SeriesError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error("There is no such series.")]
    NotFound,
    #[error(transparent)]
    Internal(#[from] Error),
}

impl From<StoreError> for SeriesError {
    fn from(error: StoreError) -> Self {
        Self::Internal(error.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            parse_time_zone("Europe/Berlin").as_deref(),
            Ok("Europe/Berlin")
        );
        assert!(parse_time_zone("Mars/Olympus_Mons").is_err());
        assert_eq!(parse_time("19:00").unwrap().hour(), 19);
        assert!(parse_time("7pm").is_err());
    }
}

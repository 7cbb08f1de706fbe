//! Editing one session: the session form, saving it with the notifications of a change of time
//! or place, and the slots the series keeps of its sessions.

use super::*;

/// A checked edit of one session: its own time, capacities, cost, place and note.
#[derive(Clone, Debug)]
pub struct SessionEdit {
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub capacity_base: u16,
    pub capacity_flyer: u16,
    pub cost: Option<Cost>,
    pub location: Option<Location>,
    pub note: String,
}

impl SessionEdit {
    /// The session form: `date`, `start_time`, `end_time`, `capacity_base`, `capacity_flyer`,
    /// `cost_kind` (`default` keeps the series' cost), `cost_amount`, `cost_currency`, `venue`
    /// and `address` (both empty keep the series' place), `latitude`, `longitude`, `note`.
    pub fn parse(fields: &Fields<'_>, series: &Series, now: Timestamp) -> Result<Self, FormErrors> {
        let mut errors = FormErrors::default();
        let times = parse_times(fields, &series.zone(), now, &mut errors);
        let capacity_base = fields.parse_with("capacity_base", parse_capacity, &mut errors);
        let capacity_flyer = fields.parse_with("capacity_flyer", parse_capacity, &mut errors);
        let cost = match fields.get("cost_kind") {
            "default" => Some(None),
            kind => Cost::parse(kind, fields.get("cost_amount"), fields.get("cost_currency"))
                .map(Some)
                .map_err(|error| {
                    let field = if kind == "amount" {
                        "cost_amount"
                    } else {
                        "cost_kind"
                    };
                    errors.add(field, error.0);
                })
                .ok(),
        };
        let location = if fields.get("venue").is_empty() && fields.get("address").is_empty() {
            None
        } else {
            Some(Location::parse(fields, &mut errors))
        };
        let note = fields.text("note", 500, &mut errors);
        let zone = series.zone();
        let instants = times.and_then(|(date, start, duration)| {
            let starts_at = date
                .to_datetime(start)
                .to_zoned_datetime(zone.clone())
                .ok()?
                .timestamp();
            Some((starts_at, starts_at.checked_add(duration).ok()?))
        });
        match (instants, capacity_base, capacity_flyer, cost) {
            (Some((starts_at, ends_at)), Some(capacity_base), Some(capacity_flyer), Some(cost))
                if !errors.any() =>
            {
                Ok(Self {
                    starts_at,
                    ends_at,
                    capacity_base,
                    capacity_flyer,
                    cost,
                    location,
                    note,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A saved session edit, and whether it raised a capacity (then the waitlist may move up: see
/// `bookings::edit_session`, which edits through here and promotes).
#[derive(Clone, Debug)]
pub struct Edited {
    pub session: Session,
    pub capacity_raised: bool,
}

/// Saves an edit of a scheduled session. When its time or place changes and people are
/// registered, each of them gets a change notification in the same write. Lowering a capacity
/// below the confirmed count removes nobody; raising one is reported, for the bookings to
/// promote from the waitlist — so only `bookings::capacity::edit_session` calls this. Moving it
/// to a date that has another session of the series is refused.
#[tracing::instrument(skip_all)]
pub(crate) async fn edit(
    ctx: &Context,
    principal: &Principal,
    series_id: &SeriesId,
    id: &SessionId,
    edit: SessionEdit,
) -> Result<Edited, SessionError> {
    let SessionAccess { access, .. } =
        access(ctx, principal, series_id, id, Operation::EditSeries).await?;
    let series = &access.series;
    let zone = series.zone();
    keep_slots(ctx, series).await?;
    let mut retry = ctx.race_retry();
    loop {
        retry.next().await?;
        let session = current(ctx, id).await?;
        let edited = Session {
            starts_at: edit.starts_at,
            ends_at: edit.ends_at,
            capacity_base: edit.capacity_base,
            capacity_flyer: edit.capacity_flyer,
            cost: edit.cost.clone(),
            location: edit.location.clone(),
            note: edit.note.clone(),
            ..session.clone()
        };
        let ((gsi1pk, gsi1sk), (gsi2pk, gsi2sk)) = index_keys(&edited);
        let change = unchanged_since_read(
            Change::new(
                "SET starts_at = :starts_at, ends_at = :ends_at, capacity_base = :capacity_base, \
                 capacity_flyer = :capacity_flyer, cost = :cost, #location = :location, note = :note, \
                 GSI1PK = :gsi1pk, GSI1SK = :gsi1sk, GSI2PK = :gsi2pk, GSI2SK = :gsi2sk",
            ),
            &session,
        )
        .name("#location", "location")
        .value(":starts_at", Value::of(&edited.starts_at)?)
        .value(":ends_at", Value::of(&edited.ends_at)?)
        .value(":capacity_base", i64::from(edited.capacity_base))
        .value(":capacity_flyer", i64::from(edited.capacity_flyer))
        .value(":cost", Value::of(&edited.cost)?)
        .value(":location", Value::of(&edited.location)?)
        .value(":note", edited.note.as_str())
        .value(":gsi1pk", gsi1pk)
        .value(":gsi1sk", gsi1sk)
        .value(":gsi2pk", gsi2pk)
        .value(":gsi2sk", gsi2sk);
        let (change, edited) = if shown_differently(&session, &edited, series) {
            (bump_sequence(change), next_sequence(edited))
        } else {
            (change, edited)
        };
        let mut writes = ctx.store.transaction();
        writes.update("session", &keys::session(id), change)?;
        let (old_date, new_date) = (
            date_claim_key(&session, &zone),
            date_claim_key(&edited, &zone),
        );
        if old_date != new_date {
            writes
                .delete("old date claim", &old_date, Condition::default())?
                .put_new(
                    NEW_DATE_CLAIM,
                    &Entry::new(new_date),
                    &DateClaim {
                        session_id: id.clone(),
                    },
                )?;
        }
        if (edited.starts_at, edited.ends_at) != (session.starts_at, session.ends_at) {
            writes.update(
                "series slot",
                &keys::series(series_id),
                slot_change(&edited)?,
            )?;
        }
        let moved = edited.starts_at != session.starts_at
            || edited.ends_at != session.ends_at
            || edited.location(series) != session.location(series);
        let written = if moved && session.has_registrations() {
            let location = session.location(series);
            let before = Before {
                starts_at: session.starts_at,
                ends_at: session.ends_at,
                venue: location.venue.clone(),
                address: location.address.clone(),
            };
            let about = Kind::SessionChangedForEveryone {
                session: id.clone(),
                before,
            };
            write_with_fan_out(ctx, &mut writes, about).await
        } else {
            writes.commit().await
        };
        match written {
            Ok(()) => {
                let capacity_raised = edited.capacity_base > session.capacity_base
                    || edited.capacity_flyer > session.capacity_flyer;
                return Ok(Edited {
                    session: edited,
                    capacity_raised,
                });
            }
            Err(conflict) if writes.failed(&conflict, NEW_DATE_CLAIM) => {
                return Err(SessionError::Invalid(FormErrors::single(
                    "date",
                    "Another session of this series is on that date.",
                )));
            }
            // A booking changed the session meanwhile: read it again (a cancelled or
            // completed one is refused there).
            Err(StoreError::Conflict { .. }) => continue,
            Err(error) => return Err(error.into()),
        }
    }
}

/// Whether calendars show `edited` differently from `session`: another time, place or note
/// (the `DESCRIPTION` of its calendar files).
fn shown_differently(session: &Session, edited: &Session, series: &Series) -> bool {
    (edited.starts_at, edited.ends_at) != (session.starts_at, session.ends_at)
        || edited.location(series) != session.location(series)
        || edited.note != session.note
}

/// The write of an edit that claims the session's new date: it fails when another session of
/// the series is on that date.
const NEW_DATE_CLAIM: &str = "new date claim";

#[cfg(test)]
mod tests {
    use super::{super::testing::*, *};

    #[test]
    fn an_edit_keeps_the_series_cost_and_place_unless_it_gives_its_own() {
        let series = series();
        let fields = form(&[
            ("date", "2027-03-16"),
            ("start_time", "19:30"),
            ("end_time", "21:30"),
            ("capacity_base", "6"),
            ("capacity_flyer", "8"),
            ("cost_kind", "default"),
            ("note", "Bring a mat"),
        ]);
        let edit = SessionEdit::parse(&Fields(&fields), &series, march()).unwrap();
        assert_eq!(edit.starts_at.to_string(), "2027-03-16T18:30:00Z");
        assert_eq!(edit.ends_at.to_string(), "2027-03-16T20:30:00Z");
        assert_eq!((edit.capacity_base, edit.capacity_flyer), (6, 8));
        assert_eq!((edit.cost, edit.location), (None, None));

        let own = form(&[
            ("date", "2027-03-16"),
            ("start_time", "19:00"),
            ("end_time", "21:00"),
            ("capacity_base", "6"),
            ("capacity_flyer", "8"),
            ("cost_kind", "amount"),
            ("cost_amount", "15"),
            ("cost_currency", "EUR"),
            ("venue", "Park Hall"),
        ]);
        let edit = SessionEdit::parse(&Fields(&own), &series, march()).unwrap();
        assert_eq!(
            edit.cost.map(|cost| cost.label()).as_deref(),
            Some("15.00 EUR")
        );
        assert_eq!(
            edit.location.map(|place| place.venue).as_deref(),
            Some("Park Hall")
        );
    }

    #[test]
    fn a_bad_edit_says_what_is_wrong_beside_each_field() {
        let fields = form(&[
            ("date", "2027-03-01"),
            ("start_time", "21:00"),
            ("end_time", "20:00"),
            ("capacity_base", "-1"),
            ("capacity_flyer", "8"),
            ("cost_kind", "amount"),
            ("cost_amount", "lots"),
        ]);
        let errors = SessionEdit::parse(&Fields(&fields), &series(), march()).unwrap_err();
        for field in ["date", "end_time", "capacity_base", "cost_amount"] {
            assert!(errors.has(field), "{field}: {errors:?}");
        }
    }
}

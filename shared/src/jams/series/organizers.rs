//! A series' organizers: listing them with their accounts, keeping their names on the series,
//! the owner removing a co-organizer and a co-organizer leaving.

use super::*;

/// An organizer of a series with their account.
#[derive(Clone, Debug)]
pub struct Organizer {
    pub user: User,
    pub role: OrganizerRole,
}

/// The organizers of a series, owner first. Needs [`Operation::ViewSeries`].
pub async fn organizers(
    ctx: &Context,
    principal: &Principal,
    id: &SeriesId,
) -> Result<Vec<Organizer>, SeriesError> {
    access(ctx, principal, id, Operation::ViewSeries).await?;
    let partition = keys::series(id).pk;
    let mut query = Query::table(&partition);
    query.prefix = Some("ORGANIZER#");
    let memberships = ctx.store.query::<Membership>(query).await?.items;
    let mut found = Vec::with_capacity(memberships.len());
    for membership in memberships {
        if let Some(user) = ctx
            .store
            .get::<User>(&keys::user(&membership.user_id))
            .await?
        {
            found.push(Organizer {
                user,
                role: membership.role,
            });
        }
    }
    found.sort_by_key(|organizer| {
        (
            organizer.role != OrganizerRole::Owner,
            organizer.user.display_name.as_str().to_lowercase(),
        )
    });
    Ok(found)
}

/// Recomputes what series `id` keeps of its organizers (their names, owner first, blocked
/// users left out; whether the owner is blocked) from its memberships and their accounts, and
/// passes a change of publicity on to its sessions. Run after anything that changes them: an
/// invite accepted, an organizer removed or leaving, a rename, a block or an unblock.
pub async fn refresh_organizers(ctx: &Context, id: &SeriesId) -> Result<(), Error> {
    let Some(series) = ctx.store.get::<Series>(&keys::series(id)).await? else {
        return Ok(());
    };
    let partition = keys::series(id).pk;
    let mut query = Query::table(&partition);
    query.prefix = Some("ORGANIZER#");
    let mut memberships = ctx.store.query::<Membership>(query).await?.items;
    memberships
        .sort_by_key(|membership| (membership.role != OrganizerRole::Owner, membership.added_at));
    let mut names = Vec::with_capacity(memberships.len());
    let mut owner_blocked = false;
    for membership in memberships {
        let Some(user) = ctx
            .store
            .get::<User>(&keys::user(&membership.user_id))
            .await?
        else {
            continue;
        };
        if user.blocked.is_some() {
            owner_blocked |= membership.role == OrganizerRole::Owner;
        } else {
            names.push(user.display_name.as_str().to_owned());
        }
    }
    if names == series.organizer_names && owner_blocked == series.owner_blocked {
        return Ok(());
    }
    let change = Change::new("SET organizer_names = :names, owner_blocked = :blocked")
        .when("attribute_exists(PK)")
        .value(":names", Value::of(&names)?)
        .value(":blocked", owner_blocked);
    let change = with_listing(
        change,
        &Series {
            owner_blocked,
            ..series.clone()
        },
    );
    match ctx.store.update_item(&keys::series(id), change).await {
        Ok(()) => {}
        // Deleted meanwhile.
        Err(StoreError::Conflict { .. }) => return Ok(()),
        Err(error) => return Err(error.into()),
    }
    if owner_blocked != series.owner_blocked {
        sessions::sync_series(
            ctx,
            &Series {
                owner_blocked,
                ..series
            },
        )
        .await?;
    }
    Ok(())
}

/// [`refresh_organizers`] for every series `user` organizes (after a rename, block or
/// unblock).
pub async fn refresh_organizers_of(ctx: &Context, user: &UserId) -> Result<(), Error> {
    let partition = keys::organizer_index(user);
    let memberships = ctx
        .store
        .query::<Membership>(Query::index("GSI1", &partition))
        .await?
        .items;
    for membership in memberships {
        refresh_organizers(ctx, &membership.series_id).await?;
    }
    Ok(())
}

/// The owner removes a co-organizer.
pub async fn remove_organizer(
    ctx: &Context,
    principal: &Principal,
    id: &SeriesId,
    user: &UserId,
) -> Result<(), SeriesError> {
    access(ctx, principal, id, Operation::ManageOrganizers).await?;
    remove_co_organizer(ctx, id, user).await
}

/// A co-organizer steps down (the owner cannot: the series would have none).
pub async fn leave(ctx: &Context, principal: &Principal, id: &SeriesId) -> Result<(), SeriesError> {
    let seen = access(ctx, principal, id, Operation::ViewSeries).await?;
    if seen.role == Some(OrganizerRole::Owner) {
        return Err(SeriesError::OwnerCannotLeave);
    }
    let access = access(ctx, principal, id, Operation::LeaveSeries).await?;
    remove_co_organizer(ctx, id, &access.actor.user.id).await
}

async fn remove_co_organizer(
    ctx: &Context,
    id: &SeriesId,
    user: &UserId,
) -> Result<(), SeriesError> {
    let condition = Condition::new("#role = :co_organizer")
        .name("#role", "role")
        .value(":co_organizer", Value::of(&OrganizerRole::CoOrganizer)?);
    let mut writes = ctx.store.transaction();
    writes.delete("membership", &keys::organizer(id, user), condition)?;
    writes.commit().await.map_err(not_found_on_conflict)?;
    refresh_organizers(ctx, id).await?;
    Ok(())
}

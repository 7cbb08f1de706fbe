//! A series' place from the Places API: the client this deployment is configured with, and
//! completing a location picked from the autocomplete with its address and coordinates.

use super::series::Location;
use crate::{Context, adapters::places::Places, values::FormErrors};

/// The Places client of this deployment, when `GOOGLE_MAPS_API_KEY` is set.
pub fn configured(ctx: &Context) -> Option<Places> {
    let key = ctx.config.google_maps_api_key.as_ref()?;
    Some(Places::new(
        ctx.http.clone(),
        &ctx.config.places_api_url,
        key.expose(),
    ))
}

/// Completes a location picked from the autocomplete: the place's name (when no venue was
/// typed), address and coordinates come from the Places API. Without a key, or without a
/// picked place, the typed location stands as it is.
pub async fn resolve(ctx: &Context, location: &mut Location) -> Result<(), FormErrors> {
    let (Some(places), Some(place_id)) = (configured(ctx), location.place_id.clone()) else {
        location.place_id = None;
        return Ok(());
    };
    match places.details(&place_id).await {
        Ok(place) => {
            if location.venue.is_empty() {
                location.venue = place.name;
            }
            location.address = place.address;
            location.latitude = Some(place.latitude);
            location.longitude = Some(place.longitude);
            location.place_id = Some(place.place_id);
            Ok(())
        }
        Err(error) => {
            tracing::warn!(%error, "resolving a place");
            Err(FormErrors::single("address", error.to_string()))
        }
    }
}

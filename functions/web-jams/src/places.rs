//! Place search for the series form: the autocomplete fragment htmx asks for as the organizer
//! types. Only there when `GOOGLE_MAPS_API_KEY` is set; the form works from the typed address
//! without it.

use axum::{
    extract::{Query, State},
    response::{IntoResponse, Response},
};
use jamie::{
    Context,
    authorization::{Operation, authorize},
    jams::places,
};
use jamie_templates::pages::jams::{PlaceSuggestion, place_suggestions};
use serde::Deserialize;
use web_common::{AppError, PageContext};

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PlaceQuery {
    #[serde(default)]
    place_query: String,
}

/// `GET /jams/places?place_query=…`: suggestions for organizers (each search costs money, so
/// nobody else may run them).
pub(crate) async fn suggestions(
    State(ctx): State<Context>,
    page: PageContext,
    Query(query): Query<PlaceQuery>,
) -> Result<Response, AppError> {
    // An htmx fragment: a refusal is a short 403, never a sign-in redirect inside the form.
    if authorize(&page.principal, Operation::CreateSeries).is_err() {
        return Err(AppError::Forbidden("Sign in to search places."));
    }
    let places = places::configured(&ctx).ok_or(AppError::NotFound)?;
    let found = match places.autocomplete(&query.place_query).await {
        Ok(found) => found,
        Err(error) => {
            tracing::warn!(%error, "place search");
            Vec::new()
        }
    };
    let items: Vec<PlaceSuggestion> = found
        .into_iter()
        .map(|suggestion| PlaceSuggestion {
            place_id: suggestion.place_id,
            text: suggestion.text,
        })
        .collect();
    Ok(place_suggestions(&items).into_response())
}

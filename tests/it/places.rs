//! The Places client against the local Places API stand-in: suggestions, details, and the
//! failures an organizer can meet (wrong key, unknown place, a search that never answers).

use std::time::{Duration, Instant};

use jamie::{
    adapters::places::{Place, Places, PlacesError, Suggestion},
    http::{HttpClient, HttpError},
};
use jamie_tests::places::{ACRO_HALL, KNOWN_PLACES, PlacesStandIn, YOGA_LOFT};
use serde_json::Value;

fn places_for(stand_in: &PlacesStandIn) -> Places {
    Places::new(HttpClient::new(), &stand_in.base_url, &stand_in.api_key)
}

fn place(known: jamie_tests::places::KnownPlace) -> Place {
    Place {
        place_id: known.id.to_owned(),
        name: known.name.to_owned(),
        address: known.address.to_owned(),
        latitude: known.latitude,
        longitude: known.longitude,
    }
}

#[tokio::test]
async fn autocomplete_suggests_the_places_matching_what_was_typed() {
    let stand_in = PlacesStandIn::start().await;
    let places = places_for(&stand_in);

    let suggestions = places.autocomplete("  acro HALL ").await.unwrap();
    assert_eq!(
        suggestions,
        vec![Suggestion {
            place_id: ACRO_HALL.id.to_owned(),
            text: format!("{}, {}", ACRO_HALL.name, ACRO_HALL.address),
        }]
    );
    // An address matches too, and every known place is in Berlin.
    let by_street = places.autocomplete("oranienstr").await.unwrap();
    assert_eq!(by_street.len(), 1);
    assert_eq!(by_street[0].place_id, YOGA_LOFT.id);
    let everywhere = places.autocomplete("berlin").await.unwrap();
    assert_eq!(everywhere.len(), KNOWN_PLACES.len());

    assert_eq!(stand_in.requests(), vec!["POST /v1/places:autocomplete"; 3]);
}

#[tokio::test]
async fn autocomplete_without_a_match_suggests_nothing() {
    let stand_in = PlacesStandIn::start().await;
    let suggestions = places_for(&stand_in).autocomplete("Hamburg").await.unwrap();
    assert_eq!(suggestions, vec![]);
    assert_eq!(stand_in.requests(), vec!["POST /v1/places:autocomplete"]);
}

#[tokio::test]
async fn blank_input_is_never_sent() {
    let stand_in = PlacesStandIn::start().await;
    let places = places_for(&stand_in);
    assert_eq!(places.autocomplete(" \t ").await.unwrap(), vec![]);
    assert_eq!(places.autocomplete(&"a".repeat(201)).await.unwrap(), vec![]);
    assert_eq!(stand_in.requests(), Vec::<String>::new());
}

#[tokio::test]
async fn details_answer_the_place_with_address_and_coordinates() {
    let stand_in = PlacesStandIn::start().await;
    let found = places_for(&stand_in).details(ACRO_HALL.id).await.unwrap();
    assert_eq!(found, place(ACRO_HALL));
    assert_eq!(
        stand_in.requests(),
        vec![format!("GET /v1/places/{}", ACRO_HALL.id)]
    );
}

#[tokio::test]
async fn a_picked_suggestion_leads_to_its_place() {
    let stand_in = PlacesStandIn::start().await;
    let places = places_for(&stand_in);
    let suggestions = places.autocomplete("Yoga").await.unwrap();
    let found = places.details(&suggestions[0].place_id).await.unwrap();
    assert_eq!(found, place(YOGA_LOFT));
}

#[tokio::test]
async fn an_unknown_place_is_unknown() {
    let stand_in = PlacesStandIn::start().await;
    let error = places_for(&stand_in)
        .details("ChIJ-no-such-place")
        .await
        .unwrap_err();
    assert!(matches!(error, PlacesError::UnknownPlace), "{error:?}");
    assert_eq!(
        error.to_string(),
        "We could not find that place; type the address instead."
    );
    assert_eq!(
        stand_in.requests(),
        vec!["GET /v1/places/ChIJ-no-such-place"]
    );
}

#[tokio::test]
async fn a_malformed_place_id_is_never_sent() {
    let stand_in = PlacesStandIn::start().await;
    let places = places_for(&stand_in);
    for bad in [
        "",
        "../places:autocomplete",
        "ChIJ%2F..",
        "ChIJ acro",
        "ChIJ?key=x",
        &"a".repeat(301),
    ] {
        let error = places.details(bad).await.unwrap_err();
        assert!(
            matches!(error, PlacesError::UnknownPlace),
            "{bad:?}: {error:?}"
        );
    }
    assert_eq!(stand_in.requests(), Vec::<String>::new());
}

#[tokio::test]
async fn a_wrong_key_makes_the_search_unavailable_not_the_place_unknown() {
    let stand_in = PlacesStandIn::start().await;
    let places = Places::new(HttpClient::new(), &stand_in.base_url, "AIza-wrong");

    let error = places.autocomplete("acro").await.unwrap_err();
    assert!(
        matches!(
            error,
            PlacesError::Unavailable(HttpError::Status { status: 400, .. })
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "The place search is not available right now; type the address instead."
    );
    // Google answers a wrong key with 400, like a malformed id: it must still not read as an
    // unknown place.
    let error = places.details(ACRO_HALL.id).await.unwrap_err();
    assert!(
        matches!(
            error,
            PlacesError::Unavailable(HttpError::Status { status: 400, .. })
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_missing_key_makes_the_search_unavailable() {
    let stand_in = PlacesStandIn::start().await;
    let places = Places::new(HttpClient::new(), &stand_in.base_url, "");
    for error in [
        places.autocomplete("acro").await.unwrap_err(),
        places.details(ACRO_HALL.id).await.unwrap_err(),
    ] {
        assert!(
            matches!(
                error,
                PlacesError::Unavailable(HttpError::Status { status: 403, .. })
            ),
            "{error:?}"
        );
    }
}

#[tokio::test]
async fn a_search_that_never_answers_times_out_as_unavailable() {
    // Accepts connections and never writes a byte.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let http = HttpClient::with_timeouts(Duration::from_secs(1), Duration::from_millis(300));
    let places = Places::new(http, base_url, "key");

    let started = Instant::now();
    let error = places.autocomplete("acro").await.unwrap_err();
    assert!(
        matches!(error, PlacesError::Unavailable(HttpError::Timeout)),
        "{error:?}"
    );
    let error = places.details(ACRO_HALL.id).await.unwrap_err();
    assert!(
        matches!(error, PlacesError::Unavailable(HttpError::Timeout)),
        "{error:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    silent.abort();
}

#[tokio::test]
async fn the_stand_in_wants_a_field_mask_on_details_and_honours_it() {
    let stand_in = PlacesStandIn::start().await;
    let http = HttpClient::new();
    let url = format!("{}/v1/places/{}", stand_in.base_url, ACRO_HALL.id);

    let error = http
        .get_json::<Value>(&url, &[("X-Goog-Api-Key", &stand_in.api_key)])
        .await
        .unwrap_err();
    let HttpError::Status { status, body } = error else {
        panic!("expected a status error, got {error:?}");
    };
    assert_eq!(status, 400);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["error"]["status"], "INVALID_ARGUMENT");
    assert_eq!(body["error"]["code"], 400);

    let masked: Value = http
        .get_json(
            &url,
            &[
                ("X-Goog-Api-Key", &stand_in.api_key),
                ("X-Goog-FieldMask", "id,location"),
            ],
        )
        .await
        .unwrap();
    assert_eq!(
        masked,
        serde_json::json!({
            "id": ACRO_HALL.id,
            "location": { "latitude": ACRO_HALL.latitude, "longitude": ACRO_HALL.longitude },
        })
    );
}

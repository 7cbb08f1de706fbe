//! The Google Places API (New) client: Autocomplete suggestions for what an organizer types,
//! then Place Details (address and coordinates) of the suggestion picked.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::http::{HttpClient, HttpError};

/// The longest input sent to Autocomplete, in characters; longer input is nobody's place name.
const MAX_INPUT_CHARS: usize = 200;
/// The longest place id accepted, in characters.
const MAX_PLACE_ID_CHARS: usize = 300;
/// The Place Details fields asked for (all in the Essentials IDs Only / Essentials SKUs).
const DETAILS_FIELD_MASK: &str = "id,displayName,formattedAddress,location";
/// The Autocomplete fields read; optional for Autocomplete, it keeps the answer small.
const AUTOCOMPLETE_FIELD_MASK: &str =
    "suggestions.placePrediction.placeId,suggestions.placePrediction.text";

/// A client of the Places API (New): one per process, cloned into whoever needs it.
#[derive(Clone)]
pub struct Places {
    http: HttpClient,
    base_url: String,
    api_key: String,
}

/// One Autocomplete suggestion: what to show, and the id to ask details for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub place_id: String,
    pub text: String,
}

/// A place with what a jam needs of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    /// The id Google answered with: an obsolete id comes back as the place's current one.
    pub place_id: String,
    pub name: String,
    pub address: String,
    pub latitude: f64,
    pub longitude: f64,
}

/// Why a place could not be looked up, worded for the organizer (the cause is the source).
#[derive(Debug, thiserror::Error)]
pub enum PlacesError {
    /// The place id is malformed, unknown to Google, or the place has no location.
    #[error("We could not find that place; type the address instead.")]
    UnknownPlace,
    /// Google could not be reached or refused us (key, quota, outage).
    #[error("The place search is not available right now; type the address instead.")]
    Unavailable(#[source] HttpError),
}

impl Places {
    pub const DEFAULT_BASE_URL: &'static str = "https://places.googleapis.com";

    pub fn new(http: HttpClient, base_url: impl Into<String>, api_key: impl Into<String>) -> Self {
        let mut base_url = base_url.into();
        while base_url.ends_with('/') {
            base_url.pop();
        }
        Self {
            http,
            base_url,
            api_key: api_key.into(),
        }
    }

    /// Place suggestions for what the organizer typed so far. Blank or overlong input answers
    /// no suggestions without calling Google.
    #[tracing::instrument(skip_all)]
    pub async fn autocomplete(&self, input: &str) -> Result<Vec<Suggestion>, PlacesError> {
        let input = input.trim();
        if input.is_empty() || input.chars().count() > MAX_INPUT_CHARS {
            return Ok(Vec::new());
        }
        let url = format!("{}/v1/places:autocomplete", self.base_url);
        let headers = [
            ("x-goog-api-key", self.api_key.as_str()),
            ("x-goog-fieldmask", AUTOCOMPLETE_FIELD_MASK),
        ];
        let answer: AutocompleteAnswer = self
            .http
            .post_json(&url, &headers, &AutocompleteRequest { input })
            .await
            .map_err(PlacesError::Unavailable)?;
        Ok(answer.into_suggestions())
    }

    /// The place behind an id from [`Places::autocomplete`]. A malformed id is
    /// [`PlacesError::UnknownPlace`] without calling Google.
    #[tracing::instrument(skip(self))]
    pub async fn details(&self, place_id: &str) -> Result<Place, PlacesError> {
        if !is_place_id(place_id) {
            return Err(PlacesError::UnknownPlace);
        }
        // Safe in a path: `is_place_id` admits only unreserved characters.
        let url = format!("{}/v1/places/{place_id}", self.base_url);
        let headers = [
            ("x-goog-api-key", self.api_key.as_str()),
            ("x-goog-fieldmask", DETAILS_FIELD_MASK),
        ];
        let answer: DetailsAnswer = self
            .http
            .get_json(&url, &headers)
            .await
            .map_err(classify_details_error)?;
        answer.into_place(place_id).ok_or(PlacesError::UnknownPlace)
    }
}

impl fmt::Debug for Places {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Places")
            .field("http", &self.http)
            .field("base_url", &self.base_url)
            .field("api_key", &"..")
            .finish()
    }
}

/// 1 to 300 characters of `A-Z a-z 0-9 _ -`: the alphabet of Google place ids, and nothing that
/// needs escaping in a URL path.
fn is_place_id(place_id: &str) -> bool {
    (1..=MAX_PLACE_ID_CHARS).contains(&place_id.len())
        && place_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// 404 is an unknown id; 400 is a malformed one unless it is about the API key (Google answers
/// an invalid key with 400 `INVALID_ARGUMENT`, reason `API_KEY_INVALID`). Anything else means
/// the search is unavailable.
fn classify_details_error(error: HttpError) -> PlacesError {
    match &error {
        HttpError::Status { status: 404, .. } => PlacesError::UnknownPlace,
        HttpError::Status { status: 400, body } if !mentions_api_key(body) => {
            PlacesError::UnknownPlace
        }
        _ => PlacesError::Unavailable(error),
    }
}

fn mentions_api_key(body: &str) -> bool {
    let body = body.to_ascii_lowercase();
    body.contains("api key") || body.contains("api_key")
}

// The wire format. Google writes proto3 JSON: fields at their default value (an empty list, a
// zero coordinate) are left out, so every field has a default.

#[derive(Serialize)]
struct AutocompleteRequest<'a> {
    input: &'a str,
}

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct AutocompleteAnswer {
    suggestions: Vec<WireSuggestion>,
}

/// A place prediction, or a query prediction (only sent when asked for, skipped).
#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct WireSuggestion {
    place_prediction: Option<PlacePrediction>,
}

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct PlacePrediction {
    place_id: String,
    text: Text,
}

/// `FormattableText` and `LocalizedText` both carry `text` (beside `matches` / `languageCode`).
#[derive(Default, Deserialize)]
#[serde(default)]
struct Text {
    text: String,
}

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct DetailsAnswer {
    id: String,
    display_name: Text,
    formatted_address: String,
    location: Option<LatLng>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct LatLng {
    latitude: f64,
    longitude: f64,
}

impl AutocompleteAnswer {
    /// The place predictions an organizer can pick: with text, and an id `details` accepts.
    fn into_suggestions(self) -> Vec<Suggestion> {
        self.suggestions
            .into_iter()
            .filter_map(|suggestion| suggestion.place_prediction)
            .filter(|prediction| is_place_id(&prediction.place_id))
            .filter_map(|prediction| {
                let text = prediction.text.text.trim();
                (!text.is_empty()).then(|| Suggestion {
                    place_id: prediction.place_id,
                    text: text.to_owned(),
                })
            })
            .collect()
    }
}

impl DetailsAnswer {
    /// The place, if it has a location and a name or an address (each stands in for the other).
    fn into_place(self, requested_id: &str) -> Option<Place> {
        let location = self.location?;
        let name = self.display_name.text.trim().to_owned();
        let address = self.formatted_address.trim().to_owned();
        let (name, address) = match (name.is_empty(), address.is_empty()) {
            (true, true) => return None,
            (true, false) => (address.clone(), address),
            (false, true) => (name.clone(), name),
            (false, false) => (name, address),
        };
        let place_id = if is_place_id(&self.id) {
            self.id
        } else {
            requested_id.to_owned()
        };
        Some(Place {
            place_id,
            name,
            address,
            latitude: location.latitude,
            longitude: location.longitude,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A client whose every call would fail: nothing listens at its address.
    fn unreachable_places() -> Places {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = closed.local_addr().unwrap();
        drop(closed);
        Places::new(HttpClient::new(), format!("http://{address}/"), "key")
    }

    #[test]
    fn place_ids_are_1_to_300_url_safe_characters() {
        assert!(is_place_id("ChIJN1t_tDeuEmsRUsoyG83frY4"));
        assert!(is_place_id("ChIJ-acro-hall"));
        assert!(is_place_id(&"a".repeat(300)));
        for bad in [
            "",
            "../admin",
            "ChIJ a",
            "ChIJ%2F",
            "ChIJ/x",
            "ChIJ?x=1",
            "ChIJ#x",
            "Ch\u{130}J",
        ] {
            assert!(!is_place_id(bad), "{bad:?} should be refused");
        }
        assert!(!is_place_id(&"a".repeat(301)));
    }

    #[tokio::test]
    async fn blank_or_overlong_input_answers_nothing_without_calling() {
        let places = unreachable_places();
        assert_eq!(places.autocomplete("   ").await.unwrap(), vec![]);
        assert_eq!(places.autocomplete("").await.unwrap(), vec![]);
        assert_eq!(places.autocomplete(&"ä".repeat(201)).await.unwrap(), vec![]);
        // 200 characters (400 bytes) is still a question: it reaches the (closed) server.
        let error = places.autocomplete(&"ä".repeat(200)).await.unwrap_err();
        assert!(matches!(
            error,
            PlacesError::Unavailable(HttpError::Transport(_))
        ));
    }

    #[tokio::test]
    async fn a_malformed_place_id_is_unknown_without_calling() {
        let places = unreachable_places();
        for bad in ["", "../../v1/places:autocomplete", "a b", "ChIJ%2e%2e"] {
            let error = places.details(bad).await.unwrap_err();
            assert!(
                matches!(error, PlacesError::UnknownPlace),
                "{bad:?}: {error:?}"
            );
        }
    }

    #[test]
    fn autocomplete_answers_decode_from_googles_shape() {
        let answer: AutocompleteAnswer = serde_json::from_str(
            r#"{"suggestions":[
                {"placePrediction":{"place":"places/ChIJ-acro-hall","placeId":"ChIJ-acro-hall",
                  "text":{"text":"Acro Hall, Torstraße 1, Berlin, Germany",
                          "matches":[{"endOffset":4}]},
                  "structuredFormat":{"mainText":{"text":"Acro Hall"},
                                      "secondaryText":{"text":"Torstraße 1, Berlin, Germany"}},
                  "types":["gym","establishment"]}},
                {"queryPrediction":{"text":{"text":"acro yoga near me"}}},
                {"placePrediction":{"placeId":"bad id","text":{"text":"Nowhere"}}},
                {"placePrediction":{"placeId":"ChIJ-no-text"}}
            ]}"#,
        )
        .unwrap();
        assert_eq!(
            answer.into_suggestions(),
            vec![Suggestion {
                place_id: "ChIJ-acro-hall".to_owned(),
                text: "Acro Hall, Torstraße 1, Berlin, Germany".to_owned(),
            }]
        );
    }

    #[test]
    fn an_answer_without_suggestions_is_an_empty_list() {
        // proto3 JSON leaves an empty list out: no matches come back as `{}`.
        let answer: AutocompleteAnswer = serde_json::from_str("{}").unwrap();
        assert_eq!(answer.into_suggestions(), vec![]);
    }

    #[test]
    fn details_decode_from_googles_shape() {
        let answer: DetailsAnswer = serde_json::from_str(
            r#"{"id":"ChIJ-acro-hall",
                "displayName":{"text":"Acro Hall","languageCode":"de"},
                "formattedAddress":"Torstraße 1, 10119 Berlin, Germany",
                "location":{"latitude":52.5291,"longitude":13.4014}}"#,
        )
        .unwrap();
        assert_eq!(
            answer.into_place("ChIJ-old-id"),
            Some(Place {
                place_id: "ChIJ-acro-hall".to_owned(),
                name: "Acro Hall".to_owned(),
                address: "Torstraße 1, 10119 Berlin, Germany".to_owned(),
                latitude: 52.5291,
                longitude: 13.4014,
            })
        );
    }

    #[test]
    fn details_tolerate_left_out_fields() {
        // On the equator and the prime meridian both coordinates are 0 and left out; with no
        // display name the address names the place; with no id the requested one stands.
        let answer: DetailsAnswer =
            serde_json::from_str(r#"{"formattedAddress":"Null Island","location":{}}"#).unwrap();
        let place = answer.into_place("ChIJ-null").unwrap();
        assert_eq!(place.place_id, "ChIJ-null");
        assert_eq!(place.name, "Null Island");
        assert_eq!(place.address, "Null Island");
        assert_eq!((place.latitude, place.longitude), (0.0, 0.0));
    }

    #[test]
    fn details_without_a_location_or_any_name_are_no_place() {
        let no_location: DetailsAnswer =
            serde_json::from_str(r#"{"displayName":{"text":"Somewhere"}}"#).unwrap();
        assert_eq!(no_location.into_place("ChIJ-x"), None);
        let no_name: DetailsAnswer =
            serde_json::from_str(r#"{"location":{"latitude":1.0,"longitude":2.0}}"#).unwrap();
        assert_eq!(no_name.into_place("ChIJ-x"), None);
    }

    #[test]
    fn details_errors_tell_an_unknown_place_from_an_unavailable_search() {
        let status = |status: u16, body: &str| HttpError::Status {
            status,
            body: body.to_owned(),
        };
        let not_found = r#"{"error":{"code":404,"status":"NOT_FOUND"}}"#;
        assert!(matches!(
            classify_details_error(status(404, not_found)),
            PlacesError::UnknownPlace
        ));
        let bad_id = r#"{"error":{"code":400,"message":"Not a valid Place ID.","status":"INVALID_ARGUMENT"}}"#;
        assert!(matches!(
            classify_details_error(status(400, bad_id)),
            PlacesError::UnknownPlace
        ));
        let bad_key = r#"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"reason":"API_KEY_INVALID"}]}}"#;
        assert!(matches!(
            classify_details_error(status(400, bad_key)),
            PlacesError::Unavailable(_)
        ));
        for other in [status(403, "{}"), status(429, "{}"), status(500, "{}")] {
            assert!(matches!(
                classify_details_error(other),
                PlacesError::Unavailable(_)
            ));
        }
        assert!(matches!(
            classify_details_error(HttpError::Timeout),
            PlacesError::Unavailable(HttpError::Timeout)
        ));
    }

    #[test]
    fn the_api_key_never_shows_in_debug_output() {
        let places = Places::new(HttpClient::new(), "https://example.test//", "AIzaSecret");
        let debug = format!("{places:?}");
        assert!(!debug.contains("AIzaSecret"), "{debug}");
        assert!(
            debug.contains(r#"base_url: "https://example.test""#),
            "{debug}"
        );
    }
}

//! A stand-in for the Google Places API (New) on a local port: Place Details and Autocomplete
//! over a few fixed places, answering with Google's shapes and errors, recording each request.

use std::sync::{Arc, Mutex, PoisonError};

use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, Request, State},
    http::{HeaderMap, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde_json::{Map, Value, json};

/// A place the stand-in knows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KnownPlace {
    pub id: &'static str,
    pub name: &'static str,
    pub address: &'static str,
    pub latitude: f64,
    pub longitude: f64,
}

pub const ACRO_HALL: KnownPlace = KnownPlace {
    id: "ChIJ-acro-hall",
    name: "Acro Hall",
    address: "Torstraße 1, 10119 Berlin, Germany",
    latitude: 52.5291,
    longitude: 13.4014,
};

pub const TEMPELHOFER_FELD: KnownPlace = KnownPlace {
    id: "ChIJ-tempelhofer-feld",
    name: "Tempelhofer Feld",
    address: "Tempelhofer Damm, 12101 Berlin, Germany",
    latitude: 52.4731,
    longitude: 13.4015,
};

pub const YOGA_LOFT: KnownPlace = KnownPlace {
    id: "ChIJ-yoga-loft",
    name: "Yoga Loft Kreuzberg",
    address: "Oranienstraße 25, 10999 Berlin, Germany",
    latitude: 52.5009,
    longitude: 13.4194,
};

/// Every place the stand-in knows.
pub const KNOWN_PLACES: [KnownPlace; 3] = [ACRO_HALL, TEMPELHOFER_FELD, YOGA_LOFT];

/// The stand-in, serving until the test's runtime ends.
#[derive(Clone, Debug)]
pub struct PlacesStandIn {
    /// `http://127.0.0.1:PORT`, to pass to `Places::new` in place of the Google address.
    pub base_url: String,
    /// The only key it accepts.
    pub api_key: String,
    requests: Arc<Mutex<Vec<String>>>,
}

#[derive(Clone)]
struct StandInState {
    api_key: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl PlacesStandIn {
    /// Starts a stand-in on a free port of 127.0.0.1.
    pub async fn start() -> Self {
        let api_key = "stand-in-places-key".to_owned();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let state = StandInState {
            api_key: api_key.clone(),
            requests: requests.clone(),
        };
        let router = Router::new()
            .route("/v1/places/{place_id}", get(details))
            // The colon is part of a literal segment (gRPC transcoding's custom verb), not a
            // capture: axum 0.8 captures only `{name}`.
            .route("/v1/places:autocomplete", post(autocomplete))
            .fallback(no_such_method)
            .layer(middleware::from_fn_with_state(state.clone(), record))
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|error| panic!("binding the places stand-in: {error}"));
        let address = listener
            .local_addr()
            .unwrap_or_else(|error| panic!("reading the places stand-in address: {error}"));
        tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, router).await {
                panic!("serving the places stand-in: {error}");
            }
        });
        Self {
            base_url: format!("http://{address}"),
            api_key,
            requests,
        }
    }

    /// The requests received so far, oldest first, as "METHOD /path".
    pub fn requests(&self) -> Vec<String> {
        self.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

async fn record(State(state): State<StandInState>, request: Request, next: Next) -> Response {
    let line = format!("{} {}", request.method(), request.uri().path());
    state
        .requests
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(line);
    next.run(request).await
}

/// `GET /v1/places/{place_id}`: needs the key and a field mask; answers the masked fields.
async fn details(
    State(state): State<StandInState>,
    Path(place_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Some(refusal) = key_refusal(&state, &headers) {
        return refusal;
    }
    let Some(mask) = header(&headers, "x-goog-fieldmask").filter(|mask| !mask.is_empty()) else {
        return google_error(
            StatusCode::BAD_REQUEST,
            "FieldMask is a required parameter. See how to provide it: \
             https://developers.google.com/maps/documentation/places/web-service/choose-fields",
        );
    };
    let Some(place) = KNOWN_PLACES.iter().find(|place| place.id == place_id) else {
        return google_error(
            StatusCode::NOT_FOUND,
            &format!("Requested entity was not found. Place ID: {place_id}"),
        );
    };
    let full = json!({
        "name": format!("places/{}", place.id),
        "id": place.id,
        "displayName": { "text": place.name, "languageCode": "de" },
        "formattedAddress": place.address,
        "location": { "latitude": place.latitude, "longitude": place.longitude },
    });
    Json(apply_field_mask(full, mask)).into_response()
}

/// `POST /v1/places:autocomplete`: needs the key and `{"input": ...}`; matches the input as a
/// case-insensitive substring of a known place's name or address.
async fn autocomplete(
    State(state): State<StandInState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(refusal) = key_refusal(&state, &headers) {
        return refusal;
    }
    let input = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|body| body.get("input")?.as_str().map(str::to_lowercase));
    let Some(input) = input.filter(|input| !input.is_empty()) else {
        return google_error(
            StatusCode::BAD_REQUEST,
            "Invalid request: input is required.",
        );
    };
    let suggestions: Vec<Value> = KNOWN_PLACES
        .iter()
        .filter(|place| {
            place.name.to_lowercase().contains(&input)
                || place.address.to_lowercase().contains(&input)
        })
        .map(|place| {
            json!({ "placePrediction": {
                "place": format!("places/{}", place.id),
                "placeId": place.id,
                "text": { "text": format!("{}, {}", place.name, place.address) },
                "structuredFormat": {
                    "mainText": { "text": place.name },
                    "secondaryText": { "text": place.address },
                },
                "types": ["establishment", "point_of_interest"],
            }})
        })
        .collect();
    if suggestions.is_empty() {
        // Like Google (proto3 JSON): an empty list is left out.
        return Json(json!({})).into_response();
    }
    Json(json!({ "suggestions": suggestions })).into_response()
}

async fn no_such_method() -> Response {
    google_error(StatusCode::NOT_FOUND, "Method not found.")
}

/// Google's refusals: no key is 403 `PERMISSION_DENIED`; a wrong key is 400 `INVALID_ARGUMENT`
/// with reason `API_KEY_INVALID`. `None` for the right key.
fn key_refusal(state: &StandInState, headers: &HeaderMap) -> Option<Response> {
    match header(headers, "x-goog-api-key").filter(|key| !key.is_empty()) {
        None => Some(google_error(
            StatusCode::FORBIDDEN,
            "The request is missing a valid API key.",
        )),
        Some(key) if key != state.api_key => {
            let body = json!({ "error": {
                "code": 400,
                "message": "API key not valid. Please pass a valid API key.",
                "status": "INVALID_ARGUMENT",
                "details": [{
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "API_KEY_INVALID",
                    "domain": "googleapis.com",
                    "metadata": { "service": "places.googleapis.com" },
                }],
            }});
            Some((StatusCode::BAD_REQUEST, Json(body)).into_response())
        }
        Some(_) => None,
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// Google's error body: `{"error": {"code", "message", "status"}}`.
fn google_error(status: StatusCode, message: &str) -> Response {
    let name = match status {
        StatusCode::BAD_REQUEST => "INVALID_ARGUMENT",
        StatusCode::FORBIDDEN => "PERMISSION_DENIED",
        StatusCode::NOT_FOUND => "NOT_FOUND",
        _ => "UNKNOWN",
    };
    let body = json!({ "error": {
        "code": status.as_u16(),
        "message": message,
        "status": name,
    }});
    (status, Json(body)).into_response()
}

/// Keeps the top-level fields the mask names (`*` keeps all), as Google does.
fn apply_field_mask(full: Value, mask: &str) -> Value {
    if mask.trim() == "*" {
        return full;
    }
    let wanted: Vec<&str> = mask
        .split(',')
        .map(|path| path.trim().split('.').next().unwrap_or_default())
        .collect();
    let Value::Object(fields) = full else {
        return full;
    };
    let kept: Map<String, Value> = fields
        .into_iter()
        .filter(|(name, _)| wanted.contains(&name.as_str()))
        .collect();
    Value::Object(kept)
}

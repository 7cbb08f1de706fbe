//! Outbound JSON over HTTP(S): the one [`HttpClient`] a process shares for the third-party APIs
//! Jamie calls (Google Places now, the Telegram Bot API later), with its timeouts and error cases.

use std::{error::Error as StdError, fmt, sync::Arc, time::Duration};

use http::{HeaderName, HeaderValue, Method, Request, StatusCode, Uri, header};
use http_body_util::{BodyExt, Limited};
use hyper_rustls::{ConfigBuilderExt, HttpsConnector, HttpsConnectorBuilder};
use hyper_util::{
    client::legacy::{Client, connect::HttpConnector},
    rt::{TokioExecutor, TokioTimer},
};
use serde::{Serialize, de::DeserializeOwned};

/// How long opening a TCP connection may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// How long a whole exchange may take: connect, TLS, request, status and the full body.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest response body read; a bigger one is a transport error, not a memory spike.
const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// How much of an error body [`HttpError::Status`] keeps.
const STATUS_BODY_CHARS: usize = 500;
/// Idle pooled connections are closed after this, before the far end silently drops them.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a call failed, in the cases callers act on.
///
/// No variant carries the URL or header values: URLs and headers can hold secrets (the Telegram
/// bot token is part of its URL, the Google key is a header).
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// No answer: the request could not be built, or DNS, connect, TLS or the connection failed.
    #[error("could not reach the server: {0}")]
    Transport(String),
    /// No complete answer within the request timeout.
    #[error("the server did not answer in time")]
    Timeout,
    /// The server answered with a status outside 2xx; `body` is the first 500 characters.
    #[error("the server answered {status}: {body}")]
    Status { status: u16, body: String },
    /// A 2xx answer whose body is not the JSON expected.
    #[error("the server's answer is not the expected JSON: {0}")]
    Decode(String),
}

/// A JSON-over-HTTP(S) client: HTTP/1.1, rustls with the platform's root certificates, pooled
/// connections. Build one per process and clone it (clones share the pool).
#[derive(Clone)]
pub struct HttpClient {
    client: Client<HttpsConnector<HttpConnector>, String>,
    request_timeout: Duration,
}

impl HttpClient {
    /// A client with the default timeouts ([`CONNECT_TIMEOUT`], [`REQUEST_TIMEOUT`]).
    pub fn new() -> Self {
        Self::with_timeouts(CONNECT_TIMEOUT, REQUEST_TIMEOUT)
    }

    /// A client with its own timeouts: tests use short ones, long polling needs a long one.
    pub fn with_timeouts(connect: Duration, request: Duration) -> Self {
        let mut tcp = HttpConnector::new();
        tcp.enforce_http(false);
        tcp.set_connect_timeout(Some(connect));
        tcp.set_nodelay(true);
        let connector = HttpsConnectorBuilder::new()
            .with_tls_config(tls_config())
            .https_or_http()
            .enable_http1()
            .wrap_connector(tcp);
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .pool_timer(TokioTimer::new())
            .build(connector);
        Self {
            client,
            request_timeout: request,
        }
    }

    /// `GET url` with `headers`; decodes a 2xx JSON body into `T`.
    pub async fn get_json<T: DeserializeOwned>(
        &self,
        url: &str,
        headers: &[(&str, &str)],
    ) -> Result<T, HttpError> {
        self.send(Method::GET, url, headers, String::new()).await
    }

    /// `POST url` with `headers` and `body` as JSON; decodes a 2xx JSON body into `T`.
    pub async fn post_json<B: Serialize, T: DeserializeOwned>(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        body: &B,
    ) -> Result<T, HttpError> {
        let body = serde_json::to_string(body)
            .map_err(|error| HttpError::Transport(format!("encoding the request body: {error}")))?;
        self.send(Method::POST, url, headers, body).await
    }

    async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        url: &str,
        headers: &[(&str, &str)],
        body: String,
    ) -> Result<T, HttpError> {
        let request = build_request(method, url, headers, body)?;
        let exchange = async {
            let response = self
                .client
                .request(request)
                .await
                .map_err(|error| HttpError::Transport(error_chain(&error)))?;
            let status = response.status();
            let body = Limited::new(response.into_body(), MAX_BODY_BYTES)
                .collect()
                .await
                .map_err(|error| {
                    HttpError::Transport(format!("reading the answer: {}", error_chain(&*error)))
                })?
                .to_bytes();
            Ok::<_, HttpError>((status, body))
        };
        let (status, body) = tokio::time::timeout(self.request_timeout, exchange)
            .await
            .map_err(|_elapsed| HttpError::Timeout)??;
        decode(status, &body)
    }
}

impl Default for HttpClient {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("request_timeout", &self.request_timeout)
            .finish_non_exhaustive()
    }
}

/// TLS with aws-lc-rs (the provider the AWS SDK already links) and the platform's roots.
fn tls_config() -> rustls::ClientConfig {
    let builder = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("aws-lc-rs supports rustls' default protocol versions");
    match builder.clone().with_native_roots() {
        Ok(builder) => builder.with_no_client_auth(),
        Err(error) => {
            // Plain http (the local stand-ins) still works; every https call will fail to verify.
            tracing::warn!(%error, "no platform root certificates: https requests will fail");
            builder
                .with_root_certificates(rustls::RootCertStore::empty())
                .with_no_client_auth()
        }
    }
}

fn build_request(
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: String,
) -> Result<Request<String>, HttpError> {
    // The URL stays out of the error: it may carry a token.
    let uri =
        Uri::try_from(url).map_err(|error| HttpError::Transport(format!("bad URL: {error}")))?;
    let is_post = method == Method::POST;
    let mut request = Request::new(body);
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    let fields = request.headers_mut();
    fields.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
    fields.insert(
        header::USER_AGENT,
        HeaderValue::from_static(concat!("jamie/", env!("CARGO_PKG_VERSION"))),
    );
    if is_post {
        fields.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    }
    for (name, value) in headers {
        let name = HeaderName::try_from(*name)
            .map_err(|_| HttpError::Transport(format!("bad header name {name:?}")))?;
        let mut value = HeaderValue::try_from(*value)
            .map_err(|_| HttpError::Transport(format!("bad value for header {name}")))?;
        // Keys and tokens travel in headers; keep them out of any debug output.
        value.set_sensitive(true);
        fields.insert(name, value);
    }
    Ok(request)
}

fn decode<T: DeserializeOwned>(status: StatusCode, body: &[u8]) -> Result<T, HttpError> {
    if !status.is_success() {
        return Err(HttpError::Status {
            status: status.as_u16(),
            body: String::from_utf8_lossy(body)
                .chars()
                .take(STATUS_BODY_CHARS)
                .collect(),
        });
    }
    serde_json::from_slice(body).map_err(|error| HttpError::Decode(error.to_string()))
}

/// An error and its sources on one line: hyper's own message ("client error (Connect)") only
/// says where it failed, the sources say why.
fn error_chain(error: &(dyn StdError + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Pong {
        ok: bool,
    }

    #[test]
    fn a_2xx_json_body_decodes() {
        let pong: Pong = decode(StatusCode::OK, br#"{"ok":true,"extra":1}"#).unwrap();
        assert_eq!(pong, Pong { ok: true });
    }

    #[test]
    fn a_2xx_body_of_another_shape_is_a_decode_error() {
        let error = decode::<Pong>(StatusCode::OK, b"<html>").unwrap_err();
        assert!(matches!(error, HttpError::Decode(_)), "{error:?}");
    }

    #[test]
    fn a_non_2xx_answer_keeps_its_status_and_the_first_500_characters() {
        let body = "ä".repeat(600);
        let error = decode::<Pong>(StatusCode::FORBIDDEN, body.as_bytes()).unwrap_err();
        let HttpError::Status { status, body } = error else {
            panic!("expected a status error, got {error:?}");
        };
        assert_eq!(status, 403);
        assert_eq!(body.chars().count(), 500);
        assert!(body.chars().all(|c| c == 'ä'));
    }

    #[test]
    fn requests_carry_json_headers_and_hide_caller_header_values() {
        let request = build_request(
            Method::POST,
            "http://127.0.0.1:9/v1/places:autocomplete",
            &[("X-Goog-Api-Key", "secret-key")],
            "{}".to_owned(),
        )
        .unwrap();
        assert_eq!(request.uri().path(), "/v1/places:autocomplete");
        assert_eq!(request.headers()[header::ACCEPT], "application/json");
        assert_eq!(request.headers()[header::CONTENT_TYPE], "application/json");
        let key = &request.headers()["x-goog-api-key"];
        assert_eq!(key, "secret-key");
        assert!(key.is_sensitive());
        assert!(!format!("{:?}", request.headers()).contains("secret-key"));
    }

    #[test]
    fn bad_urls_and_headers_are_refused_without_echoing_them() {
        let error = build_request(
            Method::GET,
            "http://host/bot123:SECRET /x",
            &[],
            String::new(),
        )
        .unwrap_err();
        assert!(!error.to_string().contains("SECRET"), "{error}");
        let error = build_request(
            Method::GET,
            "http://127.0.0.1:9/",
            &[("x-token", "line\nbreak-SECRET")],
            String::new(),
        )
        .unwrap_err();
        assert!(matches!(error, HttpError::Transport(_)));
        assert!(!error.to_string().contains("SECRET"), "{error}");
    }

    #[test]
    fn the_client_debug_output_names_no_secrets() {
        let client = HttpClient::new();
        assert_eq!(
            format!("{client:?}"),
            "HttpClient { request_timeout: 10s, .. }"
        );
    }

    #[tokio::test]
    async fn nothing_listening_is_a_transport_error() {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = closed.local_addr().unwrap();
        drop(closed);
        let error = HttpClient::new()
            .get_json::<Pong>(&format!("http://{address}/"), &[])
            .await
            .unwrap_err();
        let HttpError::Transport(message) = error else {
            panic!("expected a transport error, got {error:?}");
        };
        assert!(message.contains("onnect"), "{message}");
    }

    #[tokio::test]
    async fn https_urls_go_through_tls() {
        // A plain-http server: a TLS client hello gets an HTTP answer, which rustls refuses.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            use tokio::io::AsyncWriteExt;
            let (mut socket, _) = listener.accept().await.unwrap();
            let answer = b"HTTP/1.1 200 OK\r\ncontent-length: 11\r\n\r\n{\"ok\":true}";
            socket.write_all(answer).await.unwrap();
        });
        let error = HttpClient::new()
            .get_json::<Pong>(&format!("https://{address}/"), &[])
            .await
            .unwrap_err();
        assert!(matches!(error, HttpError::Transport(_)), "{error:?}");
        server.abort();
    }

    #[tokio::test]
    async fn a_server_that_never_answers_is_a_timeout() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        // Accept and hold the connection, never writing a byte.
        let server = tokio::spawn(async move {
            let (_socket, _) = listener.accept().await.unwrap();
            std::future::pending::<()>().await;
        });
        let client = HttpClient::with_timeouts(Duration::from_secs(1), Duration::from_millis(200));
        let started = std::time::Instant::now();
        let error = client
            .get_json::<Pong>(&format!("http://{address}/"), &[])
            .await
            .unwrap_err();
        assert!(matches!(error, HttpError::Timeout), "{error:?}");
        assert!(started.elapsed() < Duration::from_secs(2));
        server.abort();
    }
}

//! The web layer every HTTP function shares: [`AppError`] rendered as an error page, the
//! [`PageContext`] extracted from each request, cookies, and the finishing touches every router
//! gets ([`finish`]: compression, the 500 page for a panic and the security headers).

mod client;
mod cookies;
mod csrf;
mod errors;
mod routes;
mod sessions_view;
mod sign_ins;

use std::borrow::Cow;

use axum::{
    Router,
    body::Body,
    extract::{FromRequestParts, Request, State},
    http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use jamie::authorization::Principal;
use jamie_templates::{Page, Theme, Viewer, pages, pages::error::NextStep};
use maud::Markup;
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::{
        CompressionLayer,
        predicate::{NotForContentType, Predicate, SizeAbove},
    },
};

pub use client::Client;
pub use cookies::{clear_sign_in_cookie, sign_in_cookie, sign_in_cookie_name};
pub use csrf::CsrfToken;
pub use routes::{Route, Routes};
pub use sessions_view::{relative_when, session_counts, session_links, session_when};
pub use sign_ins::CurrentPrincipal;

/// Everything a web handler can fail with: handlers return `Result<Response, AppError>` and use
/// `?`. Each domain error converts into an `AppError` once (the `From` impls in [`errors`]), so
/// this is the one place that decides a failure's status and words. The cause of a 5xx goes to
/// the log with its whole chain, never to the page.
#[derive(Debug)]
pub enum AppError {
    /// 303 to the sign-in page, which brings the person back to the address they asked for
    /// (the page layer knows it: see [`error_pages`]).
    SignInRequired,
    /// 400: the request itself is malformed (a form that no page of ours would send).
    BadRequest(&'static str),
    /// 403: the form's CSRF token is missing or wrong, or it came from another site.
    CsrfRejected,
    /// 403: signed in, but this account is blocked.
    Blocked,
    /// 403: signed in, but not allowed; the words say what only others may do.
    Forbidden(&'static str),
    /// 401: the email and password given do not match; the words say what to try instead.
    Unauthorized(Cow<'static, str>),
    /// 404: a link from one of our emails that does not work (used, revoked or mistyped); the
    /// heading says what the link was for, the words what to do now.
    LinkInvalid {
        heading: &'static str,
        explanation: Cow<'static, str>,
        again: NextStep,
    },
    /// 410: such a link that expired; the words say how to get a fresh one.
    LinkExpired {
        heading: &'static str,
        explanation: Cow<'static, str>,
        again: NextStep,
    },
    /// 404: nothing lives at this address (or, where a comment says so, nothing the reader may
    /// know exists).
    NotFound,
    /// 409: understood, but refused by the state of things; the words say what and why.
    Refused(Cow<'static, str>),
    /// 413: a request body larger than any form of ours.
    TooLarge,
    /// 414: an address longer than any link of ours ([`MAX_URI_BYTES`]).
    UriTooLong,
    /// 429: too many of these in a while; the words say when to try again.
    RateLimited(&'static str),
    /// 429: a limit on registrations (or another counted write) is reached; the words say
    /// which and from when it takes them again ([`too_many_words`]).
    LimitReached(String),
    /// 503: the request kept losing races with others until its deadline; trying again works.
    Busy,
    /// 503: a dependency (the store) is unreachable; trying again later may work.
    Unavailable(jamie::Error),
    /// 500: a bug or an unexpected failure.
    Internal(jamie::Error),
}

impl AppError {
    fn page(&self) -> ErrorPage {
        let (status, heading, explanation): (StatusCode, &'static str, Cow<'static, str>) =
            match self {
                Self::SignInRequired => (
                    StatusCode::SEE_OTHER,
                    "Sign in to go on",
                    "This page is for signed-in organizers.".into(),
                ),
                Self::BadRequest(explanation) => (
                    StatusCode::BAD_REQUEST,
                    "That request did not make sense",
                    (*explanation).into(),
                ),
                Self::CsrfRejected => (
                    StatusCode::FORBIDDEN,
                    "This form has expired",
                    "For your safety we only accept forms sent from Jamie's own pages. Go back, reload the page and send it again.".into(),
                ),
                Self::Blocked => (
                    StatusCode::FORBIDDEN,
                    "You cannot do that",
                    "This account is blocked.".into(),
                ),
                Self::Forbidden(explanation) => (
                    StatusCode::FORBIDDEN,
                    "You cannot do that",
                    (*explanation).into(),
                ),
                Self::Unauthorized(explanation) => (
                    StatusCode::UNAUTHORIZED,
                    "That did not match",
                    explanation.clone(),
                ),
                Self::LinkInvalid {
                    heading,
                    explanation,
                    ..
                } => (StatusCode::NOT_FOUND, heading, explanation.clone()),
                Self::LinkExpired {
                    heading,
                    explanation,
                    ..
                } => (StatusCode::GONE, heading, explanation.clone()),
                Self::NotFound => (
                    StatusCode::NOT_FOUND,
                    "We could not find that page",
                    "The link may be mistyped or out of date. Ask whoever shared it for a fresh one.".into(),
                ),
                Self::Refused(explanation) => (
                    StatusCode::CONFLICT,
                    "That is not possible",
                    explanation.clone(),
                ),
                Self::TooLarge => (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "That was too much at once",
                    "The form sent more data than Jamie accepts. Shorten what you typed and try again.".into(),
                ),
                Self::UriTooLong => (
                    StatusCode::URI_TOO_LONG,
                    "That address is too long",
                    "No link of Jamie's is this long: it may have been pasted twice or cut badly. Open the link from where you found it again, or start from the home page.".into(),
                ),
                Self::RateLimited(explanation) => (
                    StatusCode::TOO_MANY_REQUESTS,
                    "Not so fast",
                    (*explanation).into(),
                ),
                Self::LimitReached(explanation) => (
                    StatusCode::TOO_MANY_REQUESTS,
                    "Not so fast",
                    explanation.clone().into(),
                ),
                Self::Busy => (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Many people are doing this at once",
                    "Jamie could not finish in time because others were changing the same thing. Nothing was changed: please send it again.".into(),
                ),
                Self::Unavailable(_) => (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Jamie is taking a short break",
                    "We cannot reach our data right now. Please try again in a minute.".into(),
                ),
                Self::Internal(_) => (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong on our side",
                    "Nothing you did caused this. Please try again; if it keeps happening, tell the organizer.".into(),
                ),
            };
        let next = match self {
            Self::LinkInvalid { again, .. } | Self::LinkExpired { again, .. } => Some(*again),
            _ => None,
        };
        ErrorPage {
            status,
            heading,
            explanation,
            next,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Self::Unavailable(error) | Self::Internal(error) = &self {
            tracing::error!(error = ?error, "request failed");
        }
        if let Self::Busy = self {
            tracing::warn!("request lost its races until the deadline");
        }
        self.page().into_response()
    }
}

/// An error page as rendered for nobody in particular. It travels as a response extension too,
/// so [`error_pages`] can render it again with the header the reader sees (signed in or not,
/// their theme) once the request's context is known, or turn a sign-in redirect into one that
/// comes back to the address asked for.
#[derive(Clone, Debug)]
struct ErrorPage {
    status: StatusCode,
    heading: &'static str,
    explanation: Cow<'static, str>,
    /// The way on offered first (the home page when none).
    next: Option<NextStep>,
}

impl ErrorPage {
    fn render(&self, page: &Page<'_>) -> Markup {
        pages::error::error(
            page,
            self.status.as_u16(),
            self.heading,
            &self.explanation,
            self.next,
        )
    }

    /// The page for a response axum itself produced (a rejected form or path, a method the
    /// route does not take), if it is one we dress as a page.
    fn for_framework_response(response: &Response) -> Option<Self> {
        let status = response.status();
        let plain = response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_none_or(|value| value.as_bytes().starts_with(b"text/plain"));
        if !status.is_client_error() || !plain {
            return None;
        }
        let error = match status {
            StatusCode::NOT_FOUND => AppError::NotFound,
            StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge,
            StatusCode::URI_TOO_LONG => AppError::UriTooLong,
            StatusCode::METHOD_NOT_ALLOWED => {
                return Some(Self {
                    status,
                    heading: "This address is only a form's destination",
                    explanation: "It cannot be opened on its own. Go back to the page with the form and send it from there.".into(),
                    next: None,
                });
            }
            _ => AppError::BadRequest(
                "Part of it was missing or in a shape we do not accept. Go back, reload the page and try again.",
            ),
        };
        Some(Self {
            status,
            ..error.page()
        })
    }

    fn is_sign_in_redirect(&self) -> bool {
        self.status == StatusCode::SEE_OTHER
    }
}

impl IntoResponse for ErrorPage {
    fn into_response(self) -> Response {
        let mut response = if self.is_sign_in_redirect() {
            Redirect::to("/login").into_response()
        } else {
            let page = Page::new(self.heading, "/", Theme::System);
            (self.status, self.render(&page)).into_response()
        };
        response.extensions_mut().insert(self);
        response
    }
}

/// Renders error pages (ours, and axum's plain-text rejections) with the reader's header and
/// theme, and sends a sign-in redirect back to the page asked for. A route layer inside the
/// sign-in and CSRF layers, whose results it reads.
pub(crate) async fn error_pages(
    State(ctx): State<jamie::Context>,
    context: PageContext,
    request: Request,
    next: Next,
) -> Response {
    let back = return_to(
        request.method(),
        &context.path,
        request.headers(),
        ctx.config.base_url.as_str(),
    );
    let response = next.run(request).await;
    let error = match response.extensions().get::<ErrorPage>() {
        Some(error) => error.clone(),
        None => match ErrorPage::for_framework_response(&response) {
            Some(error) => error,
            None => return response,
        },
    };
    if error.is_sign_in_redirect() {
        let target = back.map_or_else(|| "/login".to_owned(), |path| sign_in_to_return_to(&path));
        let mut response = Redirect::to(&target).into_response();
        response.extensions_mut().insert(error);
        return response;
    }
    let page = context.page(error.heading);
    with_error_page(response, error, &page)
}

/// `response` (its status and headers) with `error`'s page, rendered in `page`, as its body.
fn with_error_page(response: Response, error: ErrorPage, page: &Page) -> Response {
    let (mut parts, _) = response.into_parts();
    let body = error.render(page).into_string();
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.extensions.insert(error);
    Response::from_parts(parts, Body::from(body))
}

/// Where signing in should bring the person back: a page's own address; for a form's action
/// (any method but GET and HEAD), whose address cannot be opened on its own, the page the form
/// was on, from a `Referer` on this site (none otherwise: the sign-in page then leads home).
fn return_to(method: &Method, path: &str, headers: &HeaderMap, base_url: &str) -> Option<String> {
    if matches!(*method, Method::GET | Method::HEAD) {
        return Some(path.to_owned());
    }
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let local = referer.strip_prefix(base_url.trim_end_matches('/'))?;
    jamie::sign_ins::LocalPath::parse(local).map(String::from)
}

/// The sign-in page's address that brings the person back to `path` afterwards.
pub fn sign_in_to_return_to(path: &str) -> String {
    format!(
        "/login?next={}",
        jamie_templates::components::percent_encode(path)
    )
}

/// The not-found page for paths no route matches, with the reader's header (the router's
/// fallback, behind the same sign-in and CSRF layers as its routes).
pub(crate) async fn not_found_page(context: PageContext) -> Response {
    let error = AppError::NotFound.page();
    let mut response = (error.status, error.render(&context.page(error.heading))).into_response();
    response.extensions_mut().insert(error);
    response
}

/// The 500 page for a handler that panicked: logged, and answered like any other failure.
pub(crate) fn panic_page(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    tracing::error!(panic = %message, "a handler panicked");
    // The page alone: the panic is logged above, not again as an error.
    AppError::Internal(jamie::Error::Bug("a handler panicked"))
        .page()
        .into_response()
}

/// What every page needs from its request: the path, the reader's theme, the CSRF token for
/// its forms and who is signed in.
#[derive(Clone, Debug)]
pub struct PageContext {
    pub path: String,
    pub theme: Theme,
    pub csrf: String,
    pub principal: Principal,
}

impl PageContext {
    /// The layout data for a page titled `title`.
    pub fn page<'a>(&'a self, title: &'a str) -> Page<'a> {
        let viewer = self.principal.actor().map(|actor| Viewer {
            name: actor.user.display_name.as_str(),
            superadmin: actor.user.superadmin,
        });
        Page::new(title, &self.path, self.theme)
            .csrf(&self.csrf)
            .viewer(viewer)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PageContext {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self {
            path: parts.uri.path().to_owned(),
            theme: cookie(&parts.headers, Theme::COOKIE)
                .and_then(Theme::parse)
                .unwrap_or_default(),
            csrf: parts
                .extensions
                .get::<CsrfToken>()
                .map(|token| token.0.clone())
                .unwrap_or_default(),
            principal: parts
                .extensions
                .get::<Principal>()
                .cloned()
                .unwrap_or(Principal::Anonymous),
        })
    }
}

/// A submitted form as typed, with the errors the domain found beside its fields.
pub fn form_state(
    values: std::collections::BTreeMap<String, String>,
    errors: jamie::values::FormErrors,
) -> jamie_templates::components::FormState {
    jamie_templates::components::FormState {
        values,
        errors: errors
            .0
            .into_iter()
            .map(|(field, message)| (field.to_owned(), message))
            .collect(),
    }
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"'))
}

/// The policy every page is served under: our own scripts and styles only.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data: https:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
     base-uri 'none'; object-src 'none'";

/// The policy for a page whose form posts to another origin (the photo bucket).
pub fn content_security_policy_allowing_forms_to(origin: &str) -> String {
    CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'",
        &format!("form-action 'self' {origin}"),
    )
}

/// Every answer that does not say otherwise depends on the person (the header shows who is
/// signed in, forms carry their CSRF token) or holds a secret: never kept by a browser, CDN or
/// proxy cache. The few public files declare their own caching where they are served (assets,
/// `/favicon.ico`, series photos, the calendar files); the header test lists every route.
pub const NO_STORE: &str = "no-store, private";

const SECURITY_HEADERS: [(HeaderName, &str); 6] = [
    (header::CACHE_CONTROL, NO_STORE),
    (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (
        header::STRICT_TRANSPORT_SECURITY,
        "max-age=31536000; includeSubDomains",
    ),
];

/// The not-found answer of a router built without [`Routes`] (the assets function's).
pub async fn not_found() -> AppError {
    AppError::NotFound
}

async fn security_headers(response: Response) -> Response {
    let mut response = dress_rejection(response);
    let headers = response.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    }
    // A public file goes out without the cookies the layers would set (a first visit's CSRF
    // id, a renewed sign-in): a shared cache keeping it would hand them to the next visitor.
    // It needs none; the next page sets them.
    if headers
        .get(header::CACHE_CONTROL)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("public"))
    {
        headers.remove(header::SET_COOKIE);
    }
    response
}

/// A plain-text (or empty) 4xx that no error-page layer dressed (a router built without
/// [`Routes`], such as the assets function's), as our error page for nobody in particular.
fn dress_rejection(response: Response) -> Response {
    if response.extensions().get::<ErrorPage>().is_some() {
        return response;
    }
    match ErrorPage::for_framework_response(&response) {
        Some(error) => {
            let page = Page::new(error.heading, "/", Theme::System);
            with_error_page(response, error, &page)
        }
        None => response,
    }
}

/// The longest address (path and query) Jamie answers: its own links are far shorter. Longer
/// ones get our 414 page here, before the dev server's hyper refuses (at 64 KB, with an empty
/// 414); in AWS, API Gateway refuses a request line and headers over 10 KB itself.
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// Refuses an address over [`MAX_URI_BYTES`] with our 414 page.
async fn limit_uri(request: Request, next: Next) -> Response {
    let length = request
        .uri()
        .path_and_query()
        .map_or(0, |path| path.as_str().len());
    if length > MAX_URI_BYTES {
        return AppError::UriTooLong.into_response();
    }
    next.run(request).await
}

/// Bodies below this size gain less from compression than the header costs.
const COMPRESS_ABOVE_BYTES: u16 = 1024;

/// Brotli or gzip, as the browser's `Accept-Encoding` asks, for anything but small bodies and
/// images (already compressed; SVG excepted). In the function itself: API Gateway's HTTP API
/// does not compress, and `lambda_http` sends an encoded body base64-encoded.
fn compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new().compress_when(
        SizeAbove::new(COMPRESS_ABOVE_BYTES)
            .and(NotForContentType::IMAGES)
            .and(NotForContentType::GRPC)
            .and(NotForContentType::SSE),
    )
}

/// Completes a router for serving: a 500 page for a handler that panics, our 414 page for an
/// overlong address, any rejection left in plain text dressed as our error page, the security
/// headers and [`NO_STORE`] on every response that sets no caching of its own, and compression.
/// Applied once, to a function's router or to the dev server's merged one. Unknown paths get
/// their page from the router's fallback (set by [`Routes::into_router`], or [`not_found`]).
pub fn finish(router: Router) -> Router {
    router
        .layer(CatchPanicLayer::custom(panic_page))
        .layer(axum::middleware::from_fn(limit_uri))
        .layer(axum::middleware::map_response(security_headers))
        .layer(compression())
}

/// What a registration refused by a limit is told: which limit, and from when (on the clock
/// of `zone`, named) it takes registrations again.
pub fn too_many_words(too_many: &jamie::bookings::TooMany, zone: &jiff::tz::TimeZone) -> String {
    use jamie_templates::when;
    let at = when::local(too_many.until, zone);
    let from = match too_many.limit {
        jamie::bookings::RegistrationLimit::Email => format!(
            "{} {}",
            when::time_on_date(too_many.until, zone),
            at.strftime("%Z")
        ),
        _ => format!("{} {}", when::time(at.time()), at.strftime("%Z")),
    };
    format!("{too_many} Please try again from {from}.")
}

#[cfg(test)]
mod tests {
    use axum::{body::Body, http::Request, routing::get};
    use tower::ServiceExt;

    use super::*;

    #[test]
    fn signing_in_returns_to_the_page_or_to_the_form_an_action_came_from() {
        let base = "https://jamie.example.org";
        let from = |referer: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::REFERER, HeaderValue::from_str(referer).unwrap());
            headers
        };
        assert_eq!(
            return_to(&Method::GET, "/account", &HeaderMap::new(), base).as_deref(),
            Some("/account")
        );
        assert_eq!(
            return_to(
                &Method::POST,
                "/account/name",
                &from("https://jamie.example.org/account?tab=1"),
                base
            )
            .as_deref(),
            Some("/account?tab=1")
        );
        for elsewhere in [
            "https://evil.example/account",
            "https://jamie.example.org.evil.example/account",
            "https://jamie.example.org//evil.example",
        ] {
            assert_eq!(
                return_to(&Method::POST, "/account/name", &from(elsewhere), base),
                None,
                "{elsewhere}"
            );
        }
        assert_eq!(
            return_to(&Method::POST, "/account/name", &HeaderMap::new(), base),
            None
        );
    }

    #[test]
    fn cookies_are_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; jamie_theme=dark"),
        );
        headers.append(header::COOKIE, HeaderValue::from_static("b=2"));
        assert_eq!(cookie(&headers, "jamie_theme"), Some("dark"));
        assert_eq!(cookie(&headers, "b"), Some("2"));
        assert_eq!(cookie(&headers, "theme"), None);
    }

    #[tokio::test]
    async fn finished_routers_answer_unknown_paths_with_a_page_and_set_headers() {
        let app = finish(
            Router::new()
                .route("/", get(|| async { "home" }))
                .fallback(not_found),
        );
        let response = app
            .oneshot(Request::get("/nowhere").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            response.headers()[header::X_CONTENT_TYPE_OPTIONS],
            "nosniff"
        );
        assert!(
            response.headers()[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .contains("frame-ancestors 'none'")
        );
        assert!(
            response.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
    }
}

//! Cross-site request forgery protection for every state-changing request: it must come from our
//! own site (`Sec-Fetch-Site`, else `Origin`) and carry, in the form field `csrf` or the
//! `X-CSRF-Token` header, the token bound to its sign-in (or, before signing in, to the random
//! id of its browser's CSRF cookie): an HMAC only the server can make, recomputed on each request.

use axum::{
    body::{Body, to_bytes},
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use jamie::{Context, ids::SecretToken};

use crate::{AppError, cookie, cookies};

/// The largest form body we read (forms are small; photos go straight to S3).
const MAX_FORM_BYTES: usize = 1024 * 1024;

/// The request's CSRF token, for the forms its page renders.
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether the request says it comes from our own site. Browsers send `Sec-Fetch-Site`; older
/// ones send `Origin`, which must then be our base URL. Clients that send neither (not
/// browsers) are judged by the token alone.
fn same_site(headers: &HeaderMap, base_url: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.to_str(), Ok("same-origin" | "none"));
    }
    match headers.get(header::ORIGIN).map(HeaderValue::to_str) {
        Some(Ok(origin)) => origin == base_url,
        Some(Err(_)) => false,
        None => true,
    }
}

fn equal_in_constant_time(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The `csrf` field of an urlencoded form body (our tokens need no percent-decoding).
fn form_token(body: &[u8]) -> Option<&[u8]> {
    body.split(|b| *b == b'&')
        .filter_map(|pair| {
            let at = pair.iter().position(|b| *b == b'=')?;
            Some((&pair[..at], &pair[at + 1..]))
        })
        .find(|(name, _)| *name == b"csrf")
        .map(|(_, value)| value)
}

/// The middleware: checks unsafe requests, hands the token to the handler, and sets the
/// cookie for browsers that have none yet.
pub(crate) async fn protect(State(ctx): State<Context>, request: Request, next: Next) -> Response {
    let name = cookies::csrf_cookie_name(&ctx.config);
    let existing = cookie(request.headers(), name)
        .filter(|value| SecretToken::parse(value).is_some())
        .map(str::to_owned);
    let fresh = existing.is_none();
    let pre_sign_in = existing.unwrap_or_else(|| SecretToken::generate().expose().to_owned());
    let sign_in = cookie(request.headers(), cookies::sign_in_cookie_name(&ctx.config));
    let token = jamie::sign_ins::csrf_token(&ctx, sign_in, &pre_sign_in)
        .expose()
        .to_owned();

    let mut request = request;
    if changes_state(request.method()) {
        if !same_site(request.headers(), ctx.config.base_url.as_str()) {
            return AppError::CsrfRejected.into_response();
        }
        let (parts, body) = request.into_parts();
        let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
            return AppError::TooLarge.into_response();
        };
        let submitted = parts
            .headers
            .get("x-csrf-token")
            .map(HeaderValue::as_bytes)
            .or_else(|| form_token(&bytes));
        let valid =
            submitted.is_some_and(|submitted| equal_in_constant_time(submitted, token.as_bytes()));
        if !valid {
            return AppError::CsrfRejected.into_response();
        }
        request = Request::from_parts(parts, Body::from(bytes));
    }
    request.extensions_mut().insert(CsrfToken(token.clone()));
    let mut response = next.run(request).await;
    if fresh
        && let Ok(value) = HeaderValue::from_str(&cookies::csrf_cookie(&ctx.config, &pre_sign_in))
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_field_is_found() {
        assert_eq!(form_token(b"a=1&csrf=abc&b=2"), Some(&b"abc"[..]));
        assert_eq!(form_token(b"csrfx=1"), None);
        assert_eq!(form_token(b""), None);
    }

    #[test]
    fn cross_site_requests_are_recognised() {
        let base = "https://jamie.example.org";
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = HeaderMap::new();
            for (name, value) in pairs {
                map.insert(*name, HeaderValue::from_static(value));
            }
            map
        };
        assert!(same_site(
            &headers(&[("sec-fetch-site", "same-origin")]),
            base
        ));
        assert!(!same_site(
            &headers(&[("sec-fetch-site", "cross-site")]),
            base
        ));
        assert!(!same_site(
            &headers(&[("sec-fetch-site", "same-site")]),
            base
        ));
        assert!(same_site(
            &headers(&[("origin", "https://jamie.example.org")]),
            base
        ));
        assert!(!same_site(
            &headers(&[("origin", "https://evil.example")]),
            base
        ));
        assert!(same_site(&headers(&[]), base));
    }

    #[test]
    fn tokens_compare_exactly() {
        assert!(equal_in_constant_time(b"abc", b"abc"));
        assert!(!equal_in_constant_time(b"abc", b"abd"));
        assert!(!equal_in_constant_time(b"abc", b"ab"));
    }
}

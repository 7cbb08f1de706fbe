//! Resolves who is signed in once per request (the sign-in cookie's JWT, then the sign-in and
//! user items), for handlers to pass to the domain; renews the cookie when it is a week old.

use axum::{
    extract::{FromRequestParts, Request, State},
    http::{HeaderValue, header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Response},
};
use jamie::{Context, authorization::Principal};

use crate::{AppError, cookie, cookies};

pub(crate) async fn resolve(
    State(ctx): State<Context>,
    mut request: Request,
    next: Next,
) -> Response {
    let token = cookie(request.headers(), cookies::sign_in_cookie_name(&ctx.config));
    let (principal, renewed) = match jamie::sign_ins::resolve(&ctx, token).await {
        Ok(resolved) => resolved,
        Err(error) => return AppError::from(error).into_response(),
    };
    request.extensions_mut().insert(principal);
    let mut response = next.run(request).await;
    if let Some(token) = renewed {
        // A handler that signed the person out or in has set the sign-in cookie itself.
        let name = format!("{}=", cookies::sign_in_cookie_name(&ctx.config));
        let cookie_set = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|value| value.as_bytes().starts_with(name.as_bytes()));
        if !cookie_set
            && let Ok(value) = HeaderValue::from_str(&cookies::sign_in_cookie(&ctx.config, &token))
        {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The principal the request acts as (anonymous when nobody is signed in).
#[derive(Clone, Debug)]
pub struct CurrentPrincipal(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for CurrentPrincipal {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<Principal>()
                .cloned()
                .unwrap_or(Principal::Anonymous),
        ))
    }
}

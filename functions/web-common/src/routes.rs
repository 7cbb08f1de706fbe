//! The one way to declare a function's routes: pages (safe methods) and actions (state
//! changes), and which of them hold a secret in their address. Every route is recorded, so the
//! CSRF and header tests can try each one, and gets the sign-in, CSRF and error-page layers.

use std::sync::Arc;

use axum::{
    Router,
    extract::{MatchedPath, Request, State},
    handler::Handler,
    http::{HeaderValue, header},
    middleware::{self, Next},
    response::Response,
    routing::MethodRouter,
};
use jamie::Context;
use tower_http::catch_panic::CatchPanicLayer;

use crate::{csrf, error_pages, not_found_page, panic_page, sign_ins};

/// A set of routes under construction.
#[derive(Debug)]
pub struct Routes {
    router: Router<Context>,
    routes: Vec<Route>,
}

/// One declared route, as the tests see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    /// The path as declared, with `{param}` placeholders.
    pub path: &'static str,
    /// Whether it changes state (POST, CSRF-checked) rather than only reads.
    pub action: bool,
    /// Whether its address holds a secret (a sign-in, cancel or invite link): then it is
    /// served with `Referrer-Policy: no-referrer` and `X-Robots-Tag: noindex`.
    pub secret: bool,
}

impl Default for Routes {
    fn default() -> Self {
        Self::new()
    }
}

impl Routes {
    pub fn new() -> Self {
        Self {
            router: Router::new(),
            routes: Vec::new(),
        }
    }

    fn add(
        mut self,
        path: &'static str,
        route: MethodRouter<Context>,
        action: bool,
        secret: bool,
    ) -> Self {
        self.router = self.router.route(path, route);
        self.routes.push(Route {
            path,
            action,
            secret,
        });
        self
    }

    /// A route whose methods only read (GET).
    pub fn page(self, path: &'static str, route: MethodRouter<Context>) -> Self {
        self.add(path, route, false, false)
    }

    /// A route that changes state (POST): CSRF-checked, and listed in [`Routes::actions`].
    pub fn action(self, path: &'static str, route: MethodRouter<Context>) -> Self {
        self.add(path, route, true, false)
    }

    /// A page whose address holds a secret: never sent on as a referrer, never indexed.
    pub fn secret_page(self, path: &'static str, route: MethodRouter<Context>) -> Self {
        self.add(path, route, false, true)
    }

    /// An action whose address holds a secret (the page it re-renders shows that address).
    pub fn secret_action(self, path: &'static str, route: MethodRouter<Context>) -> Self {
        self.add(path, route, true, true)
    }

    /// Adds another function's routes.
    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.routes.extend(other.routes);
        self
    }

    /// Every state-changing path, as declared (with `{param}` placeholders).
    pub fn actions(&self) -> Vec<&'static str> {
        self.routes
            .iter()
            .filter(|route| route.action)
            .map(|route| route.path)
            .collect()
    }

    /// Every route, as declared.
    pub fn routes(&self) -> &[Route] {
        &self.routes
    }

    /// The router with sessions resolved and CSRF checked on every route, and error pages
    /// (a panic's too) rendered with the header the reader sees; unknown paths get the
    /// not-found page the same way.
    pub fn into_router(self, ctx: Context) -> Router {
        let secrets: Arc<[&'static str]> = self
            .routes
            .iter()
            .filter(|route| route.secret)
            .map(|route| route.path)
            .collect();
        let fallback = not_found_page
            .layer(middleware::from_fn_with_state(
                ctx.clone(),
                sign_ins::resolve,
            ))
            .layer(middleware::from_fn_with_state(ctx.clone(), csrf::protect));
        self.router
            .route_layer(CatchPanicLayer::custom(panic_page))
            .route_layer(middleware::from_fn_with_state(ctx.clone(), error_pages))
            .route_layer(middleware::from_fn_with_state(
                ctx.clone(),
                sign_ins::resolve,
            ))
            .route_layer(middleware::from_fn_with_state(ctx.clone(), csrf::protect))
            .route_layer(middleware::from_fn_with_state(secrets, keep_secret))
            .fallback(fallback)
            .with_state(ctx)
    }
}

/// The headers of every answer (a refusal too) at an address that holds a secret: the address
/// is never sent on as a `Referer` (to a linked site, a map, an image host) and never indexed.
/// The outermost route layer, so it sees what the CSRF and sign-in layers answer.
async fn keep_secret(
    State(secrets): State<Arc<[&'static str]>>,
    matched: Option<MatchedPath>,
    request: Request,
    next: Next,
) -> Response {
    let secret = matched.is_some_and(|path| secrets.contains(&path.as_str()));
    let mut response = next.run(request).await;
    if !secret {
        return response;
    }
    let headers = response.headers_mut();
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::HeaderName::from_static("x-robots-tag"),
        HeaderValue::from_static("noindex"),
    );
    response
}

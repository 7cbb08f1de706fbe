//! The one way to declare a function's routes: pages (safe methods) and actions (state
//! changes). Actions are recorded, so the CSRF test can try every one of them, and every route
//! (and the not-found fallback) gets the sign-in, CSRF and error-page layers.

use axum::{Router, handler::Handler, middleware, routing::MethodRouter};
use jamie::Context;
use tower_http::catch_panic::CatchPanicLayer;

use crate::{csrf, error_pages, not_found_page, panic_page, sign_ins};

/// A set of routes under construction.
#[derive(Debug)]
pub struct Routes {
    router: Router<Context>,
    actions: Vec<&'static str>,
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
            actions: Vec::new(),
        }
    }

    /// A route whose methods only read (GET).
    pub fn page(mut self, path: &'static str, route: MethodRouter<Context>) -> Self {
        self.router = self.router.route(path, route);
        self
    }

    /// A route that changes state (POST): CSRF-checked, and listed in [`Routes::actions`].
    pub fn action(mut self, path: &'static str, route: MethodRouter<Context>) -> Self {
        self.router = self.router.route(path, route);
        self.actions.push(path);
        self
    }

    /// Adds another function's routes.
    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.actions.extend(other.actions);
        self
    }

    /// Every state-changing path, as declared (with `{param}` placeholders).
    pub fn actions(&self) -> &[&'static str] {
        &self.actions
    }

    /// The router with sessions resolved and CSRF checked on every route, and error pages
    /// (a panic's too) rendered with the header the reader sees; unknown paths get the
    /// not-found page the same way.
    pub fn into_router(self, ctx: Context) -> Router {
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
            .fallback(fallback)
            .with_state(ctx)
    }
}

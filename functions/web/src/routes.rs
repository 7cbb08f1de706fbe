//! The one way to declare a function's routes: pages (safe methods) and actions (state
//! changes). Actions are recorded, so the CSRF test can try every one of them, and every route
//! gets the session and CSRF layers.

use axum::{Router, middleware, routing::MethodRouter};
use jamie::Context;

use crate::{csrf, sessions};

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

    /// The router with sessions resolved and CSRF checked on every route.
    pub fn into_router(self, ctx: Context) -> Router {
        self.router
            .route_layer(middleware::from_fn_with_state(
                ctx.clone(),
                sessions::resolve,
            ))
            .route_layer(middleware::from_fn_with_state(ctx.clone(), csrf::protect))
            .with_state(ctx)
    }
}

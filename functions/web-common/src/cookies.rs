//! The sign-in cookie: `__Host-jamie` (HttpOnly, Secure, SameSite=Lax, Path=/) — or, on a
//! plain-http local address where browsers refuse `Secure` and therefore `__Host-` cookies,
//! `jamie` without `Secure`.

use jamie::{Config, sign_ins::SIGN_IN_LIFETIME};

/// The sign-in cookie's name under this configuration.
pub fn sign_in_cookie_name(config: &Config) -> &'static str {
    if config.base_url.is_plain_http() {
        "jamie"
    } else {
        "__Host-jamie"
    }
}

fn secure(config: &Config) -> &'static str {
    if config.base_url.is_plain_http() {
        ""
    } else {
        "; Secure"
    }
}

/// `Set-Cookie` for a sign-in token.
pub fn sign_in_cookie(config: &Config, token: &str) -> String {
    format!(
        "{}={token}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{}",
        sign_in_cookie_name(config),
        SIGN_IN_LIFETIME.as_secs(),
        secure(config)
    )
}

/// `Set-Cookie` that removes the sign-in cookie.
pub fn clear_sign_in_cookie(config: &Config) -> String {
    format!(
        "{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{}",
        sign_in_cookie_name(config),
        secure(config)
    )
}

/// The CSRF cookie's name under this configuration.
pub(crate) fn csrf_cookie_name(config: &Config) -> &'static str {
    if config.base_url.is_plain_http() {
        "jamie_csrf"
    } else {
        "__Host-jamie_csrf"
    }
}

/// `Set-Cookie` for the CSRF cookie's random pre-sign-in id (a browser session cookie).
pub(crate) fn csrf_cookie(config: &Config, id: &str) -> String {
    format!(
        "{}={id}; Path=/; HttpOnly; SameSite=Lax{}",
        csrf_cookie_name(config),
        secure(config)
    )
}

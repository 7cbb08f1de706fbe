//! The `web-auth` function: the sign-in form, the magic link's confirmation and use, logout,
//! and the account page. Handlers parse input, call one domain operation and render.

use axum::{
    Form, Router,
    extract::{ConnectInfo, Path, Query, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use jamie::{
    Context, account_changes,
    accounts::{self, AccountError, EmailChangeError},
    authorization::{Denied, Principal},
    ids::SecretToken,
    passwords::{self, SetPasswordError},
    sign_ins::{self, LinkRequest, LocalPath, SignInError},
    values::{DisplayName, Email},
};
use jamie_templates::components::percent_encode;
use jamie_templates::pages::{
    account::{AccountView, account, confirm_email},
    auth::{LoginForm, check_inbox, confirm_link, link_problem, login},
};
use serde::Deserialize;
use web_common::{
    AppError, CurrentPrincipal, PageContext, Routes, clear_sign_in_cookie, sign_in_cookie,
};

pub fn routes() -> Routes {
    Routes::new()
        .page("/login", get(login_page))
        .action("/login", post(request_link))
        .action("/login/password", post(password_sign_in))
        .page("/auth/link/{token}", get(confirm_page))
        .action("/auth/link/{token}", post(use_link))
        .action("/logout", post(logout))
        .page("/account", get(account_page))
        .action("/account/name", post(rename))
        .action("/account/password", post(set_password))
        .action("/account/email", post(request_email_change))
        .page("/account/email/{token}", get(confirm_email_page))
        .action("/account/email/{token}", post(confirm_email_change))
        .action("/account/delete", post(delete_account))
        .action("/account/logout-everywhere", post(logout_everywhere))
}

pub fn app(ctx: Context) -> Router {
    web_common::finish(routes().into_router(ctx))
}

#[derive(Debug, Default, Deserialize)]
struct NextQuery {
    #[serde(default)]
    next: String,
    /// An address to fill in (an invite's link says which one it was sent to).
    #[serde(default)]
    email: String,
}

async fn login_page(page: PageContext, Query(query): Query<NextQuery>) -> Response {
    let next = LocalPath::parse(&query.next);
    if page.principal.actor().is_some() {
        return Redirect::to(next.as_ref().map_or("/", LocalPath::as_str)).into_response();
    }
    // Only a well-formed address is filled in, normalized; anything else leaves the field
    // empty (the form is for typing, not for echoing what a link carried).
    let email = Email::parse(&query.email).ok();
    let form = LoginForm {
        next: next.as_ref().map_or("", LocalPath::as_str),
        email: email.as_ref().map_or("", Email::as_str),
        ..LoginForm::default()
    };
    login(&page.page("Log in"), &form).into_response()
}

#[derive(Debug, Deserialize)]
struct LoginInput {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    next: String,
}

/// The client's address: API Gateway's source IP in Lambda, the socket's peer in `make dev`.
fn client_ip(request: &axum::http::request::Parts) -> String {
    if let Some(lambda_http::request::RequestContext::ApiGatewayV2(context)) =
        request
            .extensions
            .get::<lambda_http::request::RequestContext>()
        && let Some(ip) = &context.http.source_ip
    {
        return ip.clone();
    }
    request
        .extensions
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map_or_else(
            || "unknown".to_owned(),
            |ConnectInfo(address)| address.ip().to_string(),
        )
}

async fn request_link(
    State(ctx): State<Context>,
    page: PageContext,
    parts: axum::http::request::Parts,
    Form(input): Form<LoginInput>,
) -> Response {
    let email = Email::parse(&input.email);
    let name = if input.display_name.trim().is_empty() {
        Ok(None)
    } else {
        DisplayName::parse(&input.display_name).map(Some)
    };
    let next = LocalPath::parse(&input.next);
    let (email, display_name) = match (email, name) {
        (Ok(email), Ok(name)) => (email, name),
        (email, name) => {
            let form = LoginForm {
                email: &input.email,
                display_name: &input.display_name,
                next: next.as_ref().map_or("", LocalPath::as_str),
                email_error: email.as_ref().err().map(|e| e.0),
                display_name_error: name.as_ref().err().map(|e| e.0),
                ..LoginForm::default()
            };
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                login(&page.page("Log in"), &form),
            )
                .into_response();
        }
    };
    let request = LinkRequest {
        email: email.clone(),
        display_name,
        next: next.clone(),
        client_ip: client_ip(&parts),
    };
    match sign_ins::request_link(&ctx, request).await {
        Ok(()) => check_inbox(&page.page("Check your inbox"), email.as_str()).into_response(),
        Err(SignInError::RateLimited) => {
            let message = SignInError::RateLimited.to_string();
            let form = LoginForm {
                email: &input.email,
                display_name: &input.display_name,
                next: next.as_ref().map_or("", LocalPath::as_str),
                problem: Some(&message),
                ..LoginForm::default()
            };
            (
                StatusCode::TOO_MANY_REQUESTS,
                login(&page.page("Log in"), &form),
            )
                .into_response()
        }
        Err(error) => auth_error(&page, error),
    }
}

/// The page for a link or sign-in that did not work.
fn auth_error(page: &PageContext, error: SignInError) -> Response {
    let status = match &error {
        SignInError::LinkExpired => StatusCode::GONE,
        SignInError::LinkInvalid => StatusCode::NOT_FOUND,
        SignInError::Blocked => StatusCode::FORBIDDEN,
        SignInError::RateLimited | SignInError::PasswordPaused => StatusCode::TOO_MANY_REQUESTS,
        SignInError::WrongPassword => StatusCode::UNAUTHORIZED,
        SignInError::Internal(_) => {
            let SignInError::Internal(error) = error else {
                unreachable!()
            };
            return AppError::from(error).into_response();
        }
    };
    let message = error.to_string();
    (status, link_problem(&page.page("Sign-in link"), &message)).into_response()
}

async fn confirm_page(
    State(ctx): State<Context>,
    page: PageContext,
    Path(token): Path<String>,
) -> Response {
    let Some(token) = SecretToken::parse(&token) else {
        return auth_error(&page, SignInError::LinkInvalid);
    };
    match sign_ins::preview_link(&ctx, &token).await {
        Ok(preview) => confirm_link(
            &page.page("Sign in"),
            token.expose(),
            preview.email.as_str(),
        )
        .into_response(),
        Err(error) => auth_error(&page, error),
    }
}

async fn use_link(
    State(ctx): State<Context>,
    page: PageContext,
    Path(token): Path<String>,
) -> Response {
    let Some(token) = SecretToken::parse(&token) else {
        return auth_error(&page, SignInError::LinkInvalid);
    };
    match sign_ins::consume_link(&ctx, &token).await {
        Ok(signed_in) => signed_in_response(&ctx, &signed_in),
        Err(error) => auth_error(&page, error),
    }
}

/// The session cookie for a new sign-in and the way on.
fn signed_in_response(ctx: &Context, signed_in: &sign_ins::SignedIn) -> Response {
    let jwt = match ctx
        .signing
        .issue(&signed_in.user.id, &signed_in.sign_in, ctx.clock.now())
    {
        Ok(jwt) => jwt,
        Err(error) => return AppError::from(error).into_response(),
    };
    let target = signed_in.next.as_ref().map_or("/", LocalPath::as_str);
    with_cookie(
        Redirect::to(target).into_response(),
        &sign_in_cookie(&ctx.config, &jwt),
    )
}

fn with_cookie(mut response: Response, cookie: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

async fn logout(
    State(ctx): State<Context>,
    CurrentPrincipal(principal): CurrentPrincipal,
) -> Response {
    if let Err(error) = sign_ins::sign_out(&ctx, &principal).await {
        return AppError::from(error).into_response();
    }
    with_cookie(
        Redirect::to("/").into_response(),
        &clear_sign_in_cookie(&ctx.config),
    )
}

/// The account page's view of `actor`, before any form's own values.
fn base_view(actor: &jamie::authorization::Actor) -> AccountView<'_> {
    AccountView {
        email: actor.user.email.as_str(),
        display_name: actor.user.display_name.as_str(),
        ..AccountView::default()
    }
}

/// The account pages need a signed-in, unblocked user: others go to the sign-in form first.
fn sign_in_first(path: &str) -> Response {
    Redirect::to(&format!("/login?next={}", percent_encode(path))).into_response()
}

fn account_error(page: &PageContext, error: AccountError) -> Response {
    match error {
        AccountError::Denied(Denied::SignInRequired) => sign_in_first(&page.path),
        AccountError::Denied(_) => {
            AppError::Forbidden("Your account cannot do this.").into_response()
        }
        AccountError::NotFound => AppError::NotFound.into_response(),
        AccountError::Internal(error) => AppError::from(error).into_response(),
        other => AppError::Forbidden(if matches!(other, AccountError::CannotBlockSelf) {
            "You cannot block your own account."
        } else {
            "That is not possible."
        })
        .into_response(),
    }
}

#[derive(Debug, Default, Deserialize)]
struct AccountQuery {
    #[serde(default)]
    email_changed: Option<String>,
}

async fn account_page(
    State(ctx): State<Context>,
    page: PageContext,
    Query(query): Query<AccountQuery>,
) -> Response {
    let Principal::User(actor) = &page.principal else {
        return sign_in_first("/account");
    };
    let has_password = match passwords::has_password(&ctx, &actor.user.id).await {
        Ok(has) => has,
        Err(error) => return AppError::from(error).into_response(),
    };
    let view = AccountView {
        has_password,
        notice: query
            .email_changed
            .is_some()
            .then_some("Your email address is changed."),
        ..base_view(actor)
    };
    account(&page.page("Your account"), &view).into_response()
}

#[derive(Debug, Deserialize)]
struct EmailInput {
    #[serde(default)]
    email: String,
}

async fn request_email_change(
    State(ctx): State<Context>,
    page: PageContext,
    Form(input): Form<EmailInput>,
) -> Response {
    let Principal::User(actor) = &page.principal else {
        return sign_in_first("/account");
    };
    let result = match Email::parse(&input.email) {
        Ok(email) => accounts::request_email_change(&ctx, &page.principal, &email)
            .await
            .map(|()| email),
        Err(error) => {
            let view = AccountView {
                new_email: &input.email,
                new_email_error: Some(error.0),
                ..base_view(actor)
            };
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                account(&page.page("Your account"), &view),
            )
                .into_response();
        }
    };
    let (status, notice, error) = match result {
        Ok(email) => (
            StatusCode::OK,
            Some(format!(
                "We sent a confirmation link to {email}. Your address changes when you open it."
            )),
            None,
        ),
        Err(EmailChangeError::Unchanged) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some("That is already your address."),
        ),
        Err(EmailChangeError::RateLimited) => (
            StatusCode::TOO_MANY_REQUESTS,
            None,
            Some("Too many confirmation links were requested. Please wait an hour and try again."),
        ),
        Err(EmailChangeError::Denied(denied)) => {
            return account_error(&page, AccountError::Denied(denied));
        }
        Err(other) => return email_change_problem(&page, other),
    };
    let has_password = passwords::has_password(&ctx, &actor.user.id)
        .await
        .unwrap_or(false);
    let view = AccountView {
        has_password,
        new_email: if error.is_some() { &input.email } else { "" },
        new_email_error: error,
        notice: notice.as_deref(),
        ..base_view(actor)
    };
    (status, account(&page.page("Your account"), &view)).into_response()
}

fn email_change_problem(page: &PageContext, error: EmailChangeError) -> Response {
    match error {
        EmailChangeError::Internal(error) => AppError::from(error).into_response(),
        other => {
            let status = match other {
                EmailChangeError::Taken => StatusCode::CONFLICT,
                _ => StatusCode::NOT_FOUND,
            };
            (
                status,
                link_problem(&page.page("Email change"), &other.to_string()),
            )
                .into_response()
        }
    }
}

async fn confirm_email_page(
    State(ctx): State<Context>,
    page: PageContext,
    Path(token): Path<String>,
) -> Response {
    let Some(token) = SecretToken::parse(&token) else {
        return email_change_problem(&page, EmailChangeError::LinkInvalid);
    };
    match accounts::preview_email_change(&ctx, &token).await {
        Ok(email) => confirm_email(
            &page.page("Confirm your address"),
            token.expose(),
            email.as_str(),
        )
        .into_response(),
        Err(error) => email_change_problem(&page, error),
    }
}

async fn confirm_email_change(
    State(ctx): State<Context>,
    page: PageContext,
    Path(token): Path<String>,
) -> Response {
    let Some(token) = SecretToken::parse(&token) else {
        return email_change_problem(&page, EmailChangeError::LinkInvalid);
    };
    match accounts::confirm_email_change(&ctx, &token).await {
        Ok(_) => Redirect::to("/account?email_changed=1").into_response(),
        Err(error) => email_change_problem(&page, error),
    }
}

#[derive(Debug, Deserialize)]
struct DeleteInput {
    #[serde(default)]
    confirm: String,
}

async fn delete_account(
    State(ctx): State<Context>,
    page: PageContext,
    Form(input): Form<DeleteInput>,
) -> Response {
    let Principal::User(actor) = &page.principal else {
        return sign_in_first("/account");
    };
    let confirmed = Email::parse(&input.confirm).is_ok_and(|email| email == actor.user.email);
    if !confirmed {
        let view = AccountView {
            delete_error: Some("Type your account's email address exactly to confirm."),
            ..base_view(actor)
        };
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            account(&page.page("Your account"), &view),
        )
            .into_response();
    }
    match account_changes::delete(&ctx, &page.principal).await {
        Ok(()) => with_cookie(
            Redirect::to("/").into_response(),
            &clear_sign_in_cookie(&ctx.config),
        ),
        Err(error @ AccountError::OwnsUpcomingSessions) => {
            let message = error.to_string();
            let view = AccountView {
                delete_error: Some(&message),
                ..base_view(actor)
            };
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                account(&page.page("Your account"), &view),
            )
                .into_response()
        }
        Err(error) => account_error(&page, error),
    }
}

#[derive(Debug, Deserialize)]
struct PasswordLoginInput {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

async fn password_sign_in(
    State(ctx): State<Context>,
    page: PageContext,
    Form(input): Form<PasswordLoginInput>,
) -> Response {
    let next = LocalPath::parse(&input.next);
    let result = match Email::parse(&input.email) {
        Ok(email) => passwords::sign_in(&ctx, &email, &input.password, next.clone()).await,
        Err(_) => Err(SignInError::WrongPassword),
    };
    match result {
        Ok(signed_in) => signed_in_response(&ctx, &signed_in),
        Err(error @ (SignInError::WrongPassword | SignInError::PasswordPaused)) => {
            let status = if matches!(error, SignInError::PasswordPaused) {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::UNAUTHORIZED
            };
            let message = error.to_string();
            let form = LoginForm {
                email: &input.email,
                next: next.as_ref().map_or("", LocalPath::as_str),
                password_problem: Some(&message),
                ..LoginForm::default()
            };
            (status, login(&page.page("Log in"), &form)).into_response()
        }
        Err(error) => auth_error(&page, error),
    }
}

#[derive(Debug, Deserialize)]
struct NewPasswordInput {
    #[serde(default)]
    password: String,
}

async fn set_password(
    State(ctx): State<Context>,
    page: PageContext,
    Form(input): Form<NewPasswordInput>,
) -> Response {
    let Principal::User(actor) = &page.principal else {
        return sign_in_first("/account");
    };
    let (status, has_password, error, notice) =
        match passwords::set(&ctx, &page.principal, &input.password).await {
            Ok(()) => (StatusCode::OK, true, None, Some("Your password is saved.")),
            Err(SetPasswordError::Weak(error)) => {
                let has = passwords::has_password(&ctx, &actor.user.id)
                    .await
                    .unwrap_or(false);
                (StatusCode::UNPROCESSABLE_ENTITY, has, Some(error.0), None)
            }
            Err(SetPasswordError::Denied(denied)) => {
                return account_error(&page, AccountError::Denied(denied));
            }
            Err(SetPasswordError::Internal(error)) => return AppError::from(error).into_response(),
        };
    let view = AccountView {
        has_password,
        password_error: error,
        notice,
        ..base_view(actor)
    };
    (status, account(&page.page("Your account"), &view)).into_response()
}

#[derive(Debug, Deserialize)]
struct NameInput {
    #[serde(default)]
    display_name: String,
}

async fn rename(
    State(ctx): State<Context>,
    page: PageContext,
    Form(input): Form<NameInput>,
) -> Response {
    let Principal::User(actor) = &page.principal else {
        return sign_in_first("/account");
    };
    let name = match DisplayName::parse(&input.display_name) {
        Ok(name) => name,
        Err(error) => {
            let view = AccountView {
                display_name: &input.display_name,
                display_name_error: Some(error.0),
                ..base_view(actor)
            };
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                account(&page.page("Your account"), &view),
            )
                .into_response();
        }
    };
    match account_changes::rename(&ctx, &page.principal, &name).await {
        Ok(()) => {
            let view = AccountView {
                display_name: name.as_str(),
                notice: Some("Your name is saved."),
                ..base_view(actor)
            };
            account(&page.page("Your account"), &view).into_response()
        }
        Err(error) => account_error(&page, error),
    }
}

async fn logout_everywhere(State(ctx): State<Context>, page: PageContext) -> Response {
    match sign_ins::sign_out_everywhere(&ctx, &page.principal).await {
        Ok(_) => with_cookie(
            Redirect::to("/").into_response(),
            &clear_sign_in_cookie(&ctx.config),
        ),
        Err(error) => account_error(&page, error),
    }
}

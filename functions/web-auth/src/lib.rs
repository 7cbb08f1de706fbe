//! The `web-auth` function: the sign-in form, the magic link's confirmation and use, signing out,
//! and the account page. Handlers parse input, call one domain operation and render.

use axum::{
    Form, Router,
    extract::{Path, Query, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use jamie::{
    Context, account_changes,
    accounts::{self, AccountError, EmailChangeError},
    authorization::NotRecent,
    ids::SecretToken,
    passwords::{self, AccountOverview, SetPasswordError},
    sign_ins::{self, LinkRequest, LocalPath, SignInError},
    values::{DisplayName, Email},
};
use jamie_templates::pages::{
    account::{AccountView, Sensitive, account, confirm_email},
    auth::{LoginForm, check_inbox, confirm_link, login},
};
use serde::Deserialize;
use web_common::{
    AppError, Client, CurrentPrincipal, PageContext, Routes, clear_sign_in_cookie, sign_in_cookie,
};

pub fn routes() -> Routes {
    Routes::new()
        // Its address may carry a link on its way back (`next=/account/email/…`).
        .secret_page("/login", get(login_page))
        .secret_action("/login", post(request_link))
        .action("/login/password", post(password_sign_in))
        .secret_page("/auth/link/{token}", get(confirm_page))
        .secret_action("/auth/link/{token}", post(use_link))
        .action("/logout", post(logout))
        .page("/account", get(account_page))
        .action("/account/name", post(rename))
        .action("/account/password", post(set_password))
        .action("/account/email", post(request_email_change))
        .secret_page("/account/email/{token}", get(confirm_email_page))
        .secret_action("/account/email/{token}", post(confirm_email_change))
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
    // Not an access decision: someone already signed in has no use for the form.
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

async fn request_link(
    State(ctx): State<Context>,
    page: PageContext,
    Client(client): Client,
    Form(input): Form<LoginInput>,
) -> Result<Response, AppError> {
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
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                login(&page.page("Log in"), &form),
            )
                .into_response());
        }
    };
    let request = LinkRequest {
        email: email.clone(),
        display_name,
        next: next.clone(),
        client_ip: client,
    };
    match sign_ins::request_link(&ctx, request).await {
        Ok(()) => Ok(check_inbox(&page.page("Check your inbox"), email.as_str()).into_response()),
        // The limit is told on the form, which keeps what was typed.
        Err(error @ SignInError::RateLimited) => {
            let message = error.to_string();
            let form = LoginForm {
                email: &input.email,
                display_name: &input.display_name,
                next: next.as_ref().map_or("", LocalPath::as_str),
                problem: Some(&message),
                ..LoginForm::default()
            };
            Ok((
                StatusCode::TOO_MANY_REQUESTS,
                login(&page.page("Log in"), &form),
            )
                .into_response())
        }
        Err(error) => Err(error.into()),
    }
}

async fn confirm_page(
    State(ctx): State<Context>,
    page: PageContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let token = SecretToken::parse(&token).ok_or(SignInError::LinkInvalid)?;
    let preview = sign_ins::preview_link(&ctx, &token).await?;
    Ok(confirm_link(
        &page.page("Sign in"),
        token.expose(),
        preview.email.as_str(),
    )
    .into_response())
}

async fn use_link(
    State(ctx): State<Context>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let token = SecretToken::parse(&token).ok_or(SignInError::LinkInvalid)?;
    let signed_in = sign_ins::consume_link(&ctx, &token).await?;
    signed_in_response(&ctx, &signed_in)
}

/// The sign-in cookie for a new sign-in and the way on.
fn signed_in_response(ctx: &Context, signed_in: &sign_ins::SignedIn) -> Result<Response, AppError> {
    let jwt = ctx
        .signing
        .issue(&signed_in.user.id, &signed_in.sign_in, ctx.clock.now())?;
    let target = signed_in.next.as_ref().map_or("/", LocalPath::as_str);
    Ok(with_cookie(
        Redirect::to(target).into_response(),
        &sign_in_cookie(&ctx.config, &jwt),
    ))
}

fn with_cookie(mut response: Response, cookie: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// Back to the home page without the sign-in cookie.
fn signed_out(ctx: &Context) -> Response {
    signed_out_to(ctx, None)
}

/// To `next` (home if none) without the sign-in cookie.
fn signed_out_to(ctx: &Context, next: Option<&LocalPath>) -> Response {
    with_cookie(
        Redirect::to(next.map_or("/", LocalPath::as_str)).into_response(),
        &clear_sign_in_cookie(&ctx.config),
    )
}

#[derive(Debug, Default, Deserialize)]
struct LogoutInput {
    /// Where to go once signed out (the sign-in form for another address, say); home if none.
    #[serde(default)]
    next: String,
}

async fn logout(
    State(ctx): State<Context>,
    CurrentPrincipal(principal): CurrentPrincipal,
    Form(input): Form<LogoutInput>,
) -> Result<Response, AppError> {
    sign_ins::sign_out(&ctx, &principal).await?;
    Ok(signed_out_to(&ctx, LocalPath::parse(&input.next).as_ref()))
}

/// The account page's view of `account`, before any form's own values.
fn base_view(account: &AccountOverview) -> AccountView<'_> {
    AccountView {
        email: account.email.as_str(),
        display_name: account.display_name.as_str(),
        has_password: account.has_password,
        recent_sign_in: account.recent_sign_in,
        ..AccountView::default()
    }
}

/// The status of a sensitive form refused for want of a recent sign-in.
fn not_recent_status(error: NotRecent) -> StatusCode {
    match error {
        NotRecent::Paused => StatusCode::TOO_MANY_REQUESTS,
        NotRecent::PasswordMissing | NotRecent::WrongPassword | NotRecent::SignInAgain => {
            StatusCode::FORBIDDEN
        }
    }
}

/// The account page with a form's problem beside its field.
fn account_again(page: &PageContext, status: StatusCode, view: &AccountView<'_>) -> Response {
    (status, account(&page.page("Your account"), view)).into_response()
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
) -> Result<Response, AppError> {
    let overview = passwords::account_overview(&ctx, &page.principal).await?;
    let view = AccountView {
        notice: query
            .email_changed
            .is_some()
            .then_some("Your email address is changed."),
        ..base_view(&overview)
    };
    Ok(account(&page.page("Your account"), &view).into_response())
}

#[derive(Debug, Deserialize)]
struct EmailInput {
    #[serde(default)]
    email: String,
    #[serde(default)]
    current_password: String,
}

async fn request_email_change(
    State(ctx): State<Context>,
    page: PageContext,
    Form(input): Form<EmailInput>,
) -> Result<Response, AppError> {
    let overview = passwords::account_overview(&ctx, &page.principal).await?;
    let email = match Email::parse(&input.email) {
        Ok(email) => email,
        Err(error) => {
            let view = AccountView {
                new_email: &input.email,
                new_email_error: Some(error.0),
                ..base_view(&overview)
            };
            return Ok(account_again(
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
                &view,
            ));
        }
    };
    // An unchanged address and the hourly limit are told beside the field; the want of a
    // recent sign-in beside the password.
    let changed = account_changes::request_email_change(
        &ctx,
        &page.principal,
        &input.current_password,
        &email,
    )
    .await;
    let status = match changed {
        Ok(()) => None,
        Err(EmailChangeError::NotRecent(error)) => {
            let message = error.to_string();
            let view = AccountView {
                new_email: &input.email,
                reauth_error: Some((Sensitive::Email, &message)),
                ..base_view(&overview)
            };
            return Ok(account_again(&page, not_recent_status(error), &view));
        }
        Err(EmailChangeError::Unchanged) => Some(StatusCode::UNPROCESSABLE_ENTITY),
        Err(EmailChangeError::RateLimited) => Some(StatusCode::TOO_MANY_REQUESTS),
        Err(error) => return Err(error.into()),
    };
    let Some(status) = status else {
        let notice = format!(
            "We sent a confirmation link to {email}. Your address changes when you open it."
        );
        let view = AccountView {
            notice: Some(&notice),
            ..base_view(&overview)
        };
        return Ok(account_again(&page, StatusCode::OK, &view));
    };
    let problem = if status == StatusCode::TOO_MANY_REQUESTS {
        EmailChangeError::RateLimited.to_string()
    } else {
        EmailChangeError::Unchanged.to_string()
    };
    let view = AccountView {
        new_email: &input.email,
        new_email_error: Some(&problem),
        ..base_view(&overview)
    };
    Ok(account_again(&page, status, &view))
}

async fn confirm_email_page(
    State(ctx): State<Context>,
    page: PageContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let token = SecretToken::parse(&token).ok_or(EmailChangeError::LinkInvalid)?;
    let email = accounts::preview_email_change(&ctx, &token).await?;
    Ok(confirm_email(
        &page.page("Confirm your address"),
        token.expose(),
        email.as_str(),
    )
    .into_response())
}

async fn confirm_email_change(
    State(ctx): State<Context>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let token = SecretToken::parse(&token).ok_or(EmailChangeError::LinkInvalid)?;
    accounts::confirm_email_change(&ctx, &token).await?;
    Ok(Redirect::to("/account?email_changed=1").into_response())
}

#[derive(Debug, Deserialize)]
struct DeleteInput {
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    current_password: String,
}

async fn delete_account(
    State(ctx): State<Context>,
    page: PageContext,
    Form(input): Form<DeleteInput>,
) -> Result<Response, AppError> {
    let deleted = account_changes::delete(
        &ctx,
        &page.principal,
        &input.current_password,
        &input.confirm,
    )
    .await;
    match deleted {
        Ok(()) => Ok(signed_out(&ctx)),
        Err(AccountError::NotRecent(error)) => {
            let overview = passwords::account_overview(&ctx, &page.principal).await?;
            let message = error.to_string();
            let view = AccountView {
                reauth_error: Some((Sensitive::Delete, &message)),
                ..base_view(&overview)
            };
            Ok(account_again(&page, not_recent_status(error), &view))
        }
        // Both are told beside the confirmation field.
        Err(error @ (AccountError::NotConfirmed | AccountError::OwnsUpcomingSessions)) => {
            let overview = passwords::account_overview(&ctx, &page.principal).await?;
            let message = error.to_string();
            let view = AccountView {
                delete_error: Some(&message),
                ..base_view(&overview)
            };
            Ok(account_again(
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
                &view,
            ))
        }
        Err(error) => Err(error.into()),
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
    Client(client): Client,
    Form(input): Form<PasswordLoginInput>,
) -> Result<Response, AppError> {
    let next = LocalPath::parse(&input.next);
    let result = match Email::parse(&input.email) {
        Ok(email) => passwords::sign_in(&ctx, &email, &input.password, next.clone(), &client).await,
        Err(_) => Err(SignInError::WrongPassword),
    };
    // A wrong password and the pauses are told on the form, which keeps the address; a pause
    // offers the sign-in link, which still works, right there.
    let (status, message) = match result {
        Ok(signed_in) => return signed_in_response(&ctx, &signed_in),
        Err(error @ SignInError::WrongPassword) => (StatusCode::UNAUTHORIZED, error.to_string()),
        Err(error @ SignInError::PasswordPaused) => {
            (StatusCode::TOO_MANY_REQUESTS, error.to_string())
        }
        Err(error @ SignInError::ClientPaused { until }) => {
            let at = jamie_templates::when::local(until, &jiff::tz::TimeZone::UTC);
            let message = format!(
                "{error} Password sign-in from here works again from {} UTC.",
                jamie_templates::when::time(at.time())
            );
            (StatusCode::TOO_MANY_REQUESTS, message)
        }
        Err(error) => return Err(error.into()),
    };
    let form = LoginForm {
        email: &input.email,
        next: next.as_ref().map_or("", LocalPath::as_str),
        password_problem: Some(&message),
        offer_link: status == StatusCode::TOO_MANY_REQUESTS,
        ..LoginForm::default()
    };
    Ok((status, login(&page.page("Log in"), &form)).into_response())
}

#[derive(Debug, Deserialize)]
struct NewPasswordInput {
    #[serde(default)]
    password: String,
    #[serde(default)]
    current_password: String,
}

async fn set_password(
    State(ctx): State<Context>,
    page: PageContext,
    Form(input): Form<NewPasswordInput>,
) -> Result<Response, AppError> {
    let result = passwords::set(
        &ctx,
        &page.principal,
        &input.current_password,
        &input.password,
    )
    .await;
    let overview = passwords::account_overview(&ctx, &page.principal).await?;
    match result {
        Ok(()) => {
            let view = AccountView {
                notice: Some(
                    "Your password is saved. Every other device you were signed in on is signed out.",
                ),
                ..base_view(&overview)
            };
            Ok(account_again(&page, StatusCode::OK, &view))
        }
        // Told beside the password field.
        Err(SetPasswordError::Weak(error)) => {
            let view = AccountView {
                password_error: Some(error.0),
                ..base_view(&overview)
            };
            Ok(account_again(
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
                &view,
            ))
        }
        Err(SetPasswordError::NotRecent(error)) => {
            let message = error.to_string();
            let view = AccountView {
                reauth_error: Some((Sensitive::Password, &message)),
                ..base_view(&overview)
            };
            Ok(account_again(&page, not_recent_status(error), &view))
        }
        Err(error) => Err(error.into()),
    }
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
) -> Result<Response, AppError> {
    let overview = passwords::account_overview(&ctx, &page.principal).await?;
    let name = match DisplayName::parse(&input.display_name) {
        Ok(name) => name,
        Err(error) => {
            let view = AccountView {
                display_name: &input.display_name,
                display_name_error: Some(error.0),
                ..base_view(&overview)
            };
            return Ok(account_again(
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
                &view,
            ));
        }
    };
    account_changes::rename(&ctx, &page.principal, &name).await?;
    let view = AccountView {
        display_name: name.as_str(),
        notice: Some("Your name is saved."),
        ..base_view(&overview)
    };
    Ok(account_again(&page, StatusCode::OK, &view))
}

async fn logout_everywhere(
    State(ctx): State<Context>,
    page: PageContext,
) -> Result<Response, AppError> {
    sign_ins::sign_out_everywhere(&ctx, &page.principal).await?;
    Ok(signed_out(&ctx))
}

//! The series photo: the upload form (a plain multipart POST straight to the bucket, so it
//! works without JavaScript and past Lambda's body limit), the page the bucket redirects back
//! to, which processes the upload, and removing the photo.

use axum::{
    Form,
    extract::{Query, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use jamie::{
    Context,
    authorization::Operation,
    ids::SeriesId,
    jams::{
        photos::{self, UploadError},
        series::{self, SeriesError},
    },
};
use jamie_templates::pages::jams::{PhotoFormView, photo_form};
use serde::Deserialize;
use web_common::{AppError, PageContext, Routes, content_security_policy_allowing_forms_to};

use crate::{SeriesPath, photo_url, status_for};

pub(crate) fn routes() -> Routes {
    Routes::new()
        .page("/jams/{series}/photo", get(upload_page))
        .page("/jams/{series}/photo/uploaded", get(uploaded))
        .action("/jams/{series}/photo/remove", post(remove))
}

/// What went wrong on the photo page: the upload, or the removal.
#[derive(Clone, Copy, Debug, Default)]
struct Problems<'a> {
    upload: Option<&'a str>,
    remove: Option<&'a str>,
}

async fn render(
    ctx: &Context,
    page: &PageContext,
    id: &SeriesId,
    problems: Problems<'_>,
) -> Result<Response, AppError> {
    let access = series::access(ctx, &page.principal, id, Operation::EditSeries).await?;
    let redirect = format!("{}/jams/{id}/photo/uploaded", ctx.config.base_url);
    let upload = photos::upload_form_for(ctx, &page.principal, id, &redirect).await?;
    let series_href = format!("/jams/{id}");
    let remove_action = format!("/jams/{id}/photo/remove");
    let view = PhotoFormView {
        series_name: &access.series.name,
        series_href: &series_href,
        upload_url: &upload.form.url,
        fields: &upload.form.fields,
        current: access
            .series
            .photo
            .as_ref()
            .map(|photo| photo_url(&photo.thumbnail_key())),
        problem: problems.upload,
        remove_problem: problems.remove,
        remove_action: &remove_action,
    };
    let status = status_for(problems.upload.is_some() || problems.remove.is_some());
    let title = format!("Photo of {}", access.series.name);
    let mut response = (status, photo_form(&page.page(&title), &view)).into_response();
    // The form posts to the bucket, another origin than ours.
    if let Ok(policy) =
        HeaderValue::from_str(&content_security_policy_allowing_forms_to(&upload.origin))
    {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    Ok(response)
}

async fn upload_page(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
) -> Result<Response, AppError> {
    render(&ctx, &page, &id, Problems::default()).await
}

#[derive(Debug, Default, Deserialize)]
struct Uploaded {
    #[serde(default)]
    upload: String,
}

/// Where the bucket sends the browser after an upload: the photo is processed now.
async fn uploaded(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(id): SeriesPath,
    Query(query): Query<Uploaded>,
) -> Result<Response, AppError> {
    match photos::accept_upload(&ctx, &page.principal, &id, &query.upload).await {
        Ok(_) => Ok(Redirect::to(&format!("/jams/{id}?done=photo")).into_response()),
        Err(
            UploadError::Series(error @ SeriesError::Internal(_))
            | UploadError::Series(error @ SeriesError::Denied(_))
            | UploadError::Series(error @ SeriesError::NotFound),
        ) => Err(error.into()),
        Err(error) => {
            let problem = error.to_string();
            let problems = Problems {
                upload: Some(&problem),
                remove: None,
            };
            render(&ctx, &page, &id, problems).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct RemoveForm {
    #[serde(default)]
    confirm: String,
}

async fn remove(
    State(ctx): State<Context>,
    page: PageContext,
    SeriesPath(series): SeriesPath,
    Form(form): Form<RemoveForm>,
) -> Result<Response, AppError> {
    if form.confirm != "yes" {
        let problems = Problems {
            upload: None,
            remove: Some("Tick the box to remove the photo."),
        };
        return render(&ctx, &page, &series, problems).await;
    }
    photos::remove(&ctx, &page.principal, &series).await?;
    Ok(Redirect::to(&format!("/jams/{series}?done=photo-removed")).into_response())
}

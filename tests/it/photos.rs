//! Series photos: the presigned form, a browser's multipart upload straight to the bucket (the
//! emulator), the redirect back that processes it, serving, replacing and removing.

use axum::http::{StatusCode, header};
use jamie::{
    ids::SeriesId,
    jams::{
        photos::fixtures::{GPS_MARKER, camera_jpeg},
        series::Series,
    },
    store::keys,
};
use jamie_tests::{TestApp, encode, spawn_app};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The hidden fields and action of the upload form on `page`, in order.
fn upload_form(page: &str) -> (String, Vec<(String, String)>) {
    let form_start = page
        .find("enctype=\"multipart/form-data\"")
        .expect("an upload form");
    let form = &page[page[..form_start].rfind("<form").unwrap()..];
    let form = &form[..form.find("</form>").unwrap()];
    let attribute = |tag: &str, name: &str| -> Option<String> {
        let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
        let end = tag[start..].find('"')? + start;
        Some(
            tag[start..end]
                .replace("&amp;", "&")
                .replace("&quot;", "\""),
        )
    };
    let action = attribute(form, "action").expect("the form's action");
    let fields = form
        .split("<input")
        .skip(1)
        .filter(|tag| tag.contains("type=\"hidden\""))
        .filter_map(|tag| Some((attribute(tag, "name")?, attribute(tag, "value")?)))
        .collect();
    (action, fields)
}

/// Posts a multipart form as a browser does, the file last; returns status and `Location`.
async fn browser_upload(action: &str, fields: &[(String, String)], file: &[u8]) -> (u16, String) {
    let rest = action
        .strip_prefix("http://")
        .expect("the emulator speaks plain http");
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let boundary = "----jamie-test-boundary-7d3f";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"jam.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let response = String::from_utf8_lossy(&response);
    let status = response[9..12].parse().unwrap();
    let location = response
        .lines()
        .find_map(|line| {
            line.strip_prefix("Location: ")
                .or_else(|| line.strip_prefix("location: "))
        })
        .unwrap_or_default()
        .trim()
        .to_owned();
    (status, location)
}

async fn series_with_organizer(app: &TestApp) -> SeriesId {
    app.sign_in("org@example.org", "Olga").await;
    let form = "name=Photo+Jam&venue=Hall&address=Street+1&cost_kind=free&capacity_base=5&capacity_flyer=5\
                &weekday=&start_time=19%3A00&duration_minutes=120&time_zone=Europe%2FBerlin&visibility=public";
    let created = app.post_form("/jams", form).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    created.header("location")["/jams/".len()..]
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn stored(app: &TestApp, id: &SeriesId) -> Series {
    app.ctx
        .store
        .get::<Series>(&keys::series(id))
        .await
        .unwrap()
        .unwrap()
}

async fn object_exists(app: &TestApp, key: &str) -> bool {
    app.ctx
        .photos
        .head_object()
        .bucket(&app.ctx.config.photo_bucket)
        .key(key)
        .send()
        .await
        .is_ok()
}

/// Uploads `file` through the photo page and follows the bucket's redirect back.
async fn upload(app: &TestApp, id: &SeriesId, file: &[u8]) -> jamie_tests::TestResponse {
    let page = app.get(&format!("/jams/{id}/photo")).await;
    assert_eq!(page.status, StatusCode::OK);
    let csp = page.header(header::CONTENT_SECURITY_POLICY).to_owned();
    let (action, fields) = upload_form(&page.body);
    let origin = &action[..action[7..].find('/').unwrap() + 7];
    assert!(
        csp.contains(&format!("form-action 'self' {origin}")),
        "{csp}"
    );
    assert!(
        fields
            .iter()
            .any(|(name, value)| name == "key" && value.starts_with(&format!("uploads/{id}/")))
    );
    let (status, location) = browser_upload(&action, &fields, file).await;
    assert_eq!(status, 303, "the bucket sends the browser back");
    app.get(&app.path_of(&location)).await
}

#[tokio::test]
async fn a_photo_is_uploaded_to_the_bucket_stripped_of_gps_resized_and_served() {
    let app = spawn_app().await;
    let id = series_with_organizer(&app).await;
    let done = upload(&app, &id, &camera_jpeg(2400, 1800)).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.header("location"), format!("/jams/{id}?done=photo"));

    let photo = stored(&app, &id)
        .await
        .photo
        .expect("the series has its photo");
    assert_eq!((photo.width, photo.height), (1600, 1200));
    let served = app.get(&format!("/{}", photo.key)).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.header(header::CONTENT_TYPE), "image/jpeg");
    assert!(served.header(header::CACHE_CONTROL).contains("immutable"));
    let bytes = app
        .ctx
        .photos
        .get_object()
        .bucket(&app.ctx.config.photo_bucket)
        .key(&photo.key)
        .send()
        .await
        .unwrap()
        .body
        .collect()
        .await
        .unwrap()
        .into_bytes();
    let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|window| window == needle);
    assert!(!contains(GPS_MARKER), "the GPS data is gone");
    assert!(!contains(b"Exif\0\0"), "so is the whole Exif block");
    assert!(
        object_exists(&app, &photo.thumbnail_key()).await,
        "the thumbnail exists"
    );
    let thumbnail = app.get(&format!("/{}", photo.thumbnail_key())).await;
    assert_eq!(thumbnail.status, StatusCode::OK);
    let raw_uploads = app
        .ctx
        .photos
        .list_objects_v2()
        .bucket(&app.ctx.config.photo_bucket)
        .prefix("uploads/")
        .send()
        .await
        .unwrap();
    assert_eq!(
        raw_uploads.key_count(),
        Some(0),
        "the raw upload is deleted"
    );
    let page = app.get(&format!("/jams/{id}")).await;
    assert!(page.body.contains(&photo.key), "the series page shows it");

    // A new photo replaces the old one, whose files go.
    let replaced = upload(&app, &id, &camera_jpeg(800, 600)).await;
    assert_eq!(replaced.status, StatusCode::SEE_OTHER);
    let new = stored(&app, &id).await.photo.unwrap();
    assert_eq!((new.width, new.height), (800, 600), "never enlarged");
    assert!(!object_exists(&app, &photo.key).await);
    assert_eq!(
        app.get(&format!("/{}", photo.key)).await.status,
        StatusCode::NOT_FOUND
    );

    let unticked = app.post_form(&format!("/jams/{id}/photo/remove"), "").await;
    assert_eq!(unticked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unticked.body.contains("Tick the box to remove the photo."));
    assert!(stored(&app, &id).await.photo.is_some());
    let removed = app
        .post_form(&format!("/jams/{id}/photo/remove"), "confirm=yes")
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert!(stored(&app, &id).await.photo.is_none());
    assert!(
        !object_exists(&app, &new.key).await && !object_exists(&app, &new.thumbnail_key()).await
    );
}

#[tokio::test]
async fn files_that_are_not_photos_get_a_clear_form_error_and_nothing_changes() {
    let app = spawn_app().await;
    let id = series_with_organizer(&app).await;
    let text = upload(&app, &id, b"<html>not a photo</html>").await;
    assert_eq!(text.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text.body
            .contains("That file is not a JPEG, PNG or WebP image."),
        "{}",
        text.body
    );
    let too_big = upload(&app, &id, &vec![0xff; 9 * 1024 * 1024]).await;
    assert_eq!(too_big.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_big.body.contains("8 MB"), "{}", too_big.body);
    assert!(stored(&app, &id).await.photo.is_none());

    // Someone else's series, a made-up upload, raw uploads: none of it is served or taken.
    let missing = app
        .get(&format!("/jams/{id}/photo/uploaded?upload=nothinghere"))
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("did not receive the photo"));
    let odd = app
        .get(&format!(
            "/jams/{id}/photo/uploaded?upload={}",
            encode("../x")
        ))
        .await;
    assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY);
    let stranger = app.another_browser();
    stranger.sign_in("stranger@example.org", "Stranger").await;
    assert_eq!(
        stranger.get(&format!("/jams/{id}/photo")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/uploads/{id}/x")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/photos/{id}/nothing.jpg")).await.status,
        StatusCode::NOT_FOUND
    );
}

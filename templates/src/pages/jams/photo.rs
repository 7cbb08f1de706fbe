//! The photo upload of a series: a form that posts straight to S3 (a presigned POST) with
//! the file last, and removing the photo behind a ticked box.

use maud::{Markup, html};

use super::back_link;
use crate::{
    Page,
    components::{Tone, alert, note},
    icons,
    layout::{csrf_field, layout},
};

/// The photo upload: the form posts straight to S3 (a presigned POST).
#[derive(Clone, Debug, Default)]
pub struct PhotoFormView<'a> {
    pub series_name: &'a str,
    pub series_href: &'a str,
    pub upload_url: &'a str,
    /// The presigned POST fields, in the order S3 expects them.
    pub fields: &'a [(String, String)],
    pub current: Option<String>,
    pub problem: Option<&'a str>,
    pub remove_action: &'a str,
    /// Why the photo was not removed (the confirmation box was not ticked), beside that box.
    pub remove_problem: Option<&'a str>,
}

pub fn photo_form(page: &Page<'_>, view: &PhotoFormView<'_>) -> Markup {
    let described = if view.problem.is_some() {
        "field-file-note field-file-error"
    } else {
        "field-file-note"
    };
    layout(
        page,
        html! {
            section class="max-w-xl mx-auto flex flex-col gap-4" aria-labelledby="photo-title" {
                (back_link(view.series_href, view.series_name))
                h1 id="photo-title" class="text-3xl font-bold" { "Photo" }
                @if let Some(current) = &view.current {
                    figure class="flex flex-col gap-2" {
                        img src=(current) alt={ "The current photo of " (view.series_name) }
                            class="w-full aspect-video object-cover rounded-box";
                        figcaption class="text-sm text-base-content/70" { "The current photo." }
                    }
                    // Confirmed by a tick, without JavaScript; the server checks `confirm=yes`.
                    form method="post" action=(view.remove_action) class="flex flex-col gap-2 items-start" {
                        (csrf_field(page.csrf))
                        label class="label whitespace-normal text-base-content" {
                            input type="checkbox" name="confirm" value="yes" class="checkbox checkbox-error"
                                aria-invalid=[view.remove_problem.map(|_| "true")]
                                aria-describedby=[view.remove_problem.map(|_| "remove-photo-note")];
                            "Yes, remove the photo"
                        }
                        @if let Some(problem) = view.remove_problem {
                            (note("remove-photo-note", Some(problem), None))
                        }
                        button type="submit" class="btn btn-sm btn-error" { (icons::trash("size-4")) "Remove photo" }
                    }
                }
                // Goes to S3 on another origin: no CSRF token, and `file` must come last.
                form method="post" action=(view.upload_url) enctype="multipart/form-data" class="card bg-base-200" {
                    div class="card-body gap-2" {
                        @for (name, value) in view.fields {
                            input type="hidden" name=(name) value=(value);
                        }
                        fieldset class="fieldset" {
                            label class="fieldset-legend text-sm" for="field-file" {
                                @if view.current.is_some() { "New photo" } @else { "Photo" }
                            }
                            input id="field-file" type="file" required
                                accept="image/jpeg,image/png,image/webp"
                                class={ "file-input w-full" @if view.problem.is_some() { " file-input-error" } }
                                aria-invalid=[view.problem.map(|_| "true")]
                                aria-describedby=(described)
                                name="file";
                            p id="field-file-note" class="label text-sm whitespace-normal" {
                                "JPEG, PNG or WebP, up to 8 MB. Location data in the photo is removed."
                            }
                            @if let Some(problem) = view.problem {
                                div id="field-file-error" { (alert(Tone::Error, problem)) }
                            }
                        }
                        div class="card-actions justify-end" {
                            a href=(view.series_href) class="btn btn-ghost" { "Cancel" }
                            button type="submit" class="btn btn-primary" { (icons::arrow_down_tray("size-4")) "Upload photo" }
                        }
                    }
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::jams::testing::*;
    use crate::test_support::forms;

    #[test]
    fn the_photo_form_posts_to_s3_with_the_file_last() {
        let fields = vec![
            ("key".to_owned(), "photos/s1/new".to_owned()),
            ("policy".to_owned(), "eyJ\"x".to_owned()),
            ("x-amz-signature".to_owned(), "abc".to_owned()),
        ];
        let html = photo_form(
            &page(),
            &PhotoFormView {
                series_name: "Park <jam>",
                series_href: "/jams/s1",
                upload_url: "https://bucket.s3.amazonaws.com/",
                fields: &fields,
                current: Some("https://cdn.example/p.webp".into()),
                problem: Some("That file is not a photo."),
                remove_action: "/jams/s1/photo/remove",
                remove_problem: None,
            },
        )
        .into_string();
        let actions = assert_post_forms_have_csrf(&html, Some("https://bucket.s3.amazonaws.com/"));
        assert!(actions.iter().any(|a| a == "/jams/s1/photo/remove"));
        let upload = forms(&html)
            .into_iter()
            .find(|form| form.contains("https://bucket.s3.amazonaws.com/"))
            .unwrap();
        assert!(upload.starts_with(r#"method="post" action="https://bucket.s3.amazonaws.com/" enctype="multipart/form-data""#));
        assert!(
            !upload.contains(r#"name="csrf""#),
            "the token must not leak to S3"
        );
        let names: Vec<&str> = upload
            .split(" name=\"")
            .skip(1)
            .map(|rest| &rest[..rest.find('"').unwrap()])
            .collect();
        assert_eq!(names, ["key", "policy", "x-amz-signature", "file"]);
        assert!(upload.contains(r#"value="eyJ&quot;x""#));
        assert!(upload.contains(r#"accept="image/jpeg,image/png,image/webp""#));
        assert!(
            upload
                .contains("JPEG, PNG or WebP, up to 8 MB. Location data in the photo is removed.")
        );
        assert!(upload.contains(r#"aria-invalid="true""#));
        assert!(upload.contains("That file is not a photo."));
        assert!(
            html.contains(r#"src="https://cdn.example/p.webp""#)
                && html.contains("Park &lt;jam&gt;")
        );
    }

    #[test]
    fn removing_the_photo_takes_a_ticked_box() {
        let view = |remove_problem| PhotoFormView {
            series_name: "Park",
            series_href: "/jams/s1",
            upload_url: "https://bucket.s3.amazonaws.com/",
            current: Some("https://cdn.example/p.webp".into()),
            remove_action: "/jams/s1/photo/remove",
            remove_problem,
            ..PhotoFormView::default()
        };
        let html = photo_form(&page(), &view(None)).into_string();
        let remove = forms(&html)
            .into_iter()
            .find(|form| form.contains("/jams/s1/photo/remove"))
            .unwrap();
        assert!(remove.contains(
            r#"<input type="checkbox" name="confirm" value="yes" class="checkbox checkbox-error">Yes, remove the photo</label>"#
        ));
        assert!(!remove.contains(" required") && !remove.contains("aria-invalid"));
        assert!(
            remove.contains(r#"class="btn btn-sm btn-error""#) && remove.contains("Remove photo")
        );

        let html =
            photo_form(&page(), &view(Some("Tick the box to remove the photo."))).into_string();
        let remove = forms(&html)
            .into_iter()
            .find(|form| form.contains("/jams/s1/photo/remove"))
            .unwrap();
        assert!(remove.contains(
            r#"name="confirm" value="yes" class="checkbox checkbox-error" aria-invalid="true" aria-describedby="remove-photo-note">"#
        ));
        assert!(remove.contains(r#"<p id="remove-photo-note""#));
        assert!(remove.contains("<span>Tick the box to remove the photo.</span>"));

        let without = PhotoFormView {
            current: None,
            ..view(None)
        };
        let html = photo_form(&page(), &without).into_string();
        assert!(!html.contains("/jams/s1/photo/remove"), "nothing to remove");
    }
}

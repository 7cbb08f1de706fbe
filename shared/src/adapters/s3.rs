//! S3 presigning: the browser-based upload form (a POST policy signed with Signature Version
//! 4) that sends a file straight to the bucket, whatever the app does with it afterwards.

use std::{fmt, time::Duration, time::SystemTime};

use base64::{Engine as _, engine::general_purpose::STANDARD as BASE64};
use jiff::Timestamp;
use serde_json::json;

/// The credentials the form is signed with: the Lambda role's (temporary) credentials, which
/// need `s3:PutObject` on the upload key.
#[derive(Clone)]
pub struct UploadCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Present with temporary credentials (a Lambda role); sent as `x-amz-security-token`.
    pub session_token: Option<String>,
}

impl fmt::Debug for UploadCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"[redacted]")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "[redacted]"),
            )
            .finish()
    }
}

/// What an upload form allows: one object, one redirect, until `now + expires_in`.
#[derive(Clone, Debug)]
pub struct UploadPolicy<'a> {
    /// The S3 endpoint, e.g. `http://127.0.0.1:4566` (the emulator) or
    /// `https://s3.eu-west-1.amazonaws.com`. Used only with `path_style`.
    pub endpoint: &'a str,
    /// `{endpoint}/{bucket}` (the emulator) instead of `https://{bucket}.s3.{region}.amazonaws.com`.
    pub path_style: bool,
    pub bucket: &'a str,
    pub region: &'a str,
    /// The exact key the object is stored under (no `${filename}`).
    pub key: &'a str,
    /// Where S3 sends the browser after the upload (`303 See Other`); S3 appends `bucket`, `key`
    /// and `etag` query parameters.
    pub redirect: &'a str,
    pub now: Timestamp,
    pub expires_in: Duration,
    /// The largest file accepted, in bytes (the smallest is 1).
    pub max_bytes: u64,
}

/// An HTML form to render: `<form method="post" enctype="multipart/form-data" action="{url}">`,
/// one hidden input per field in this order, then `<input type="file" name="file">` last (S3
/// ignores any field after `file`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadForm {
    pub url: String,
    pub fields: Vec<(String, String)>,
}

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Signs a browser-based upload (S3 POST Object with a Signature Version 4 POST policy).
///
/// The policy fixes the bucket, the key, the redirect and the size (1 byte to
/// `max_bytes`); S3 refuses any other field, so the form cannot be reused for another key
/// or a larger file. It has no `Content-Type` condition, and the form no `Content-Type` field: a
/// plain HTML form cannot set that field per chosen file, and the raw object is only read back by
/// the photo processing (`jams::photos::process`), which recognises the format from the bytes (and refuses anything else) and is then
/// deleted. S3 stores it as `binary/octet-stream`, so a crafted upload can never be served as
/// HTML either. A script posting the form (`fetch` with `FormData`) must send exactly these fields
/// and the file: S3 refuses a field the policy does not name.
///
/// The local emulator (moto 5.2.5) checks none of this: it stores whatever is posted (any key,
/// size or signature, expired or not, extra fields included) and redirects with `key` and `bucket`
/// but no `etag`. Only AWS exercises the policy.
pub fn upload_form(policy: &UploadPolicy<'_>, credentials: &UploadCredentials) -> UploadForm {
    let date = policy.now.strftime("%Y%m%d").to_string();
    let amz_date = policy.now.strftime("%Y%m%dT%H%M%SZ").to_string();
    let credential = format!(
        "{}/{date}/{}/s3/aws4_request",
        credentials.access_key_id, policy.region
    );
    // An expiration that overflows the calendar gives a form that has already expired.
    let expiration = policy
        .now
        .checked_add(policy.expires_in)
        .unwrap_or(policy.now)
        .strftime("%Y-%m-%dT%H:%M:%S.000Z")
        .to_string();

    let mut conditions = vec![
        json!({ "bucket": policy.bucket }),
        json!({ "key": policy.key }),
        json!({ "success_action_redirect": policy.redirect }),
        json!(["content-length-range", 1, policy.max_bytes]),
        json!({ "x-amz-algorithm": ALGORITHM }),
        json!({ "x-amz-credential": credential }),
        json!({ "x-amz-date": amz_date }),
    ];
    if let Some(token) = &credentials.session_token {
        conditions.push(json!({ "x-amz-security-token": token }));
    }
    let document = json!({ "expiration": expiration, "conditions": conditions });
    let encoded_policy = BASE64.encode(document.to_string());
    let signature = sign(
        &credentials.secret_access_key,
        policy.now,
        policy.region,
        &encoded_policy,
    );

    // Lower-case names: S3 accepts any case, the emulator only these.
    let mut fields = vec![
        ("key".to_owned(), policy.key.to_owned()),
        (
            "success_action_redirect".to_owned(),
            policy.redirect.to_owned(),
        ),
        ("x-amz-algorithm".to_owned(), ALGORITHM.to_owned()),
        ("x-amz-credential".to_owned(), credential),
        ("x-amz-date".to_owned(), amz_date),
    ];
    if let Some(token) = &credentials.session_token {
        fields.push(("x-amz-security-token".to_owned(), token.clone()));
    }
    fields.push(("policy".to_owned(), encoded_policy));
    fields.push(("x-amz-signature".to_owned(), signature));

    let url = if policy.path_style {
        format!(
            "{}/{}",
            policy.endpoint.trim_end_matches('/'),
            policy.bucket
        )
    } else {
        format!(
            "https://{}.s3.{}.amazonaws.com",
            policy.bucket, policy.region
        )
    };
    UploadForm { url, fields }
}

/// The SigV4 signature of a POST policy: HMAC-SHA256 of the base64 policy with the signing key of
/// `now`'s UTC date, `region` and `s3`, as lower-case hex.
fn sign(secret_access_key: &str, now: Timestamp, region: &str, encoded_policy: &str) -> String {
    // Every jiff timestamp fits in a SystemTime on Linux; were it not to, the form would carry a
    // signature S3 refuses, never a wrong permission.
    let time = SystemTime::try_from(now).unwrap_or(SystemTime::UNIX_EPOCH);
    let key = aws_sigv4::sign::v4::generate_signing_key(secret_access_key, time, region, "s3");
    aws_sigv4::sign::v4::calculate_signature(key, encoded_policy.as_bytes())
}

/// `scheme://host[:port]` of a URL.
pub fn origin_of(url: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |at| at + 3);
    let end = url[after_scheme..]
        .find('/')
        .map_or(url.len(), |at| after_scheme + at);
    url[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    // --- upload form ---

    /// AWS's published POST example ("Example: Browser-Based Upload using HTTP POST (Using AWS
    /// Signature Version 4)", S3 API reference): its base64 policy, the example secret and
    /// 2015-12-29 in us-east-1 give this signature.
    #[test]
    fn signature_matches_the_aws_documentation_example() {
        let policy = "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9";
        let now: Timestamp = "2015-12-29T00:00:00Z".parse().unwrap();
        assert_eq!(
            sign(
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                now,
                "us-east-1",
                policy
            ),
            "8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e"
        );
    }

    fn example_policy(path_style: bool) -> UploadPolicy<'static> {
        UploadPolicy {
            endpoint: "http://127.0.0.1:4566/",
            path_style,
            bucket: "jamie-photos",
            region: "eu-west-1",
            key: "uploads/01JAMPHOTO",
            redirect: "https://jamie.example/jams/42/photo/uploaded",
            now: "2026-05-04T21:30:15.5Z".parse().unwrap(),
            expires_in: Duration::from_secs(15 * 60),
            max_bytes: 8 * 1024 * 1024,
        }
    }

    fn credentials(session_token: Option<&str>) -> UploadCredentials {
        UploadCredentials {
            access_key_id: "AKIAIOSFODNN7EXAMPLE".to_owned(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".to_owned(),
            session_token: session_token.map(str::to_owned),
        }
    }

    fn field<'f>(form: &'f UploadForm, name: &str) -> &'f str {
        &form.fields.iter().find(|(n, _)| n == name).unwrap().1
    }

    #[test]
    fn policy_fixes_bucket_key_redirect_size_and_credential() {
        let form = upload_form(&example_policy(true), &credentials(Some("session/token+1")));

        let names: Vec<&str> = form.fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "key",
                "success_action_redirect",
                "x-amz-algorithm",
                "x-amz-credential",
                "x-amz-date",
                "x-amz-security-token",
                "policy",
                "x-amz-signature",
            ]
        );
        assert_eq!(field(&form, "x-amz-date"), "20260504T213015Z");
        assert_eq!(
            field(&form, "x-amz-credential"),
            "AKIAIOSFODNN7EXAMPLE/20260504/eu-west-1/s3/aws4_request"
        );

        let policy: serde_json::Value =
            serde_json::from_slice(&BASE64.decode(field(&form, "policy")).unwrap()).unwrap();
        assert_eq!(
            policy,
            json!({
                "expiration": "2026-05-04T21:45:15.000Z",
                "conditions": [
                    { "bucket": "jamie-photos" },
                    { "key": "uploads/01JAMPHOTO" },
                    { "success_action_redirect": "https://jamie.example/jams/42/photo/uploaded" },
                    ["content-length-range", 1, 8_388_608],
                    { "x-amz-algorithm": "AWS4-HMAC-SHA256" },
                    { "x-amz-credential": "AKIAIOSFODNN7EXAMPLE/20260504/eu-west-1/s3/aws4_request" },
                    { "x-amz-date": "20260504T213015Z" },
                    { "x-amz-security-token": "session/token+1" },
                ]
            })
        );
        // Every field but the policy and the signature is a condition of the policy.
        for (name, value) in &form.fields {
            if name != "policy" && name != "x-amz-signature" {
                let condition = json!({ name.as_str(): value });
                assert!(
                    policy["conditions"]
                        .as_array()
                        .unwrap()
                        .contains(&condition),
                    "{name}"
                );
            }
        }
        assert_eq!(
            field(&form, "x-amz-signature"),
            sign(
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                example_policy(true).now,
                "eu-west-1",
                field(&form, "policy")
            )
        );
    }

    #[test]
    fn form_url_is_path_style_for_the_emulator_and_virtual_host_on_aws() {
        let emulator = upload_form(&example_policy(true), &credentials(None));
        assert_eq!(emulator.url, "http://127.0.0.1:4566/jamie-photos");
        assert!(
            emulator
                .fields
                .iter()
                .all(|(n, _)| n != "x-amz-security-token")
        );

        let aws = upload_form(&example_policy(false), &credentials(None));
        assert_eq!(aws.url, "https://jamie-photos.s3.eu-west-1.amazonaws.com");
    }

    #[test]
    fn credentials_debug_hides_the_secrets() {
        let shown = format!("{:?}", credentials(Some("session-token")));
        assert!(shown.contains("AKIAIOSFODNN7EXAMPLE"));
        assert!(
            !shown.contains("EXAMPLEKEY") && !shown.contains("session-token"),
            "{shown}"
        );
    }
}

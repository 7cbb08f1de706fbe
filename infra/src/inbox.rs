//! What the emulator's SES received, read back through our launcher (`/_jamie/ses/received`):
//! every accepted email whole — HTML, text, attachments, Reply-To, tags — for the dev mailbox
//! and the tests, which see exactly what SES was asked to send.

use base64::Engine;
use jamie::{Context, Error};
use serde::Deserialize;

/// One email SES accepted.
#[derive(Clone, Debug, Default)]
pub struct ReceivedEmail {
    pub message_id: String,
    /// `yyyy-mm-ddThh:mm:ssZ`.
    pub received_at: String,
    pub from: String,
    pub to: Vec<String>,
    pub reply_to: Vec<String>,
    pub subject: String,
    /// Empty in a summary.
    pub html: String,
    pub text: String,
    pub attachments: Vec<ReceivedFile>,
    /// The notification it delivered (its `notification` tag).
    pub notification: Option<String>,
}

/// An attached file.
#[derive(Clone, Debug, Default)]
pub struct ReceivedFile {
    pub name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

impl ReceivedEmail {
    /// Every absolute link of the text part, in order.
    pub fn links(&self) -> Vec<&str> {
        self.text
            .split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | '"'))
            .filter(|word| word.starts_with("http://") || word.starts_with("https://"))
            .map(|word| word.trim_end_matches(['.', ',', ';', ':']))
            .collect()
    }

    /// The first link of the text part whose path starts with `path`.
    pub fn link_to(&self, path: &str) -> Option<&str> {
        self.links().into_iter().find(|link| {
            link.split_once("://")
                .and_then(|(_, rest)| rest.find('/').map(|slash| &rest[slash..]))
                .is_some_and(|link_path| link_path.starts_with(path))
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Wire {
    message_id: String,
    timestamp: String,
    request: WireRequest,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct WireRequest {
    from_email_address: String,
    destination: WireDestination,
    reply_to_addresses: Vec<String>,
    email_tags: Vec<WireTag>,
    content: WireContent,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct WireDestination {
    to_addresses: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct WireTag {
    name: String,
    value: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct WireContent {
    simple: WireSimple,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct WireSimple {
    subject: WireText,
    body: WireBody,
    attachments: Vec<WireFile>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct WireBody {
    html: WireText,
    text: WireText,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct WireText {
    data: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct WireFile {
    file_name: String,
    content_type: String,
    raw_content: String,
}

impl From<Wire> for ReceivedEmail {
    fn from(wire: Wire) -> Self {
        let request = wire.request;
        let simple = request.content.simple;
        Self {
            message_id: wire.message_id,
            received_at: wire.timestamp,
            from: request.from_email_address,
            to: request.destination.to_addresses,
            reply_to: request.reply_to_addresses,
            subject: simple.subject.data,
            html: simple.body.html.data,
            text: simple.body.text.data,
            attachments: simple
                .attachments
                .into_iter()
                .map(|file| ReceivedFile {
                    name: file.file_name,
                    content_type: file.content_type,
                    content: base64::engine::general_purpose::STANDARD
                        .decode(file.raw_content)
                        .unwrap_or_default(),
                })
                .collect(),
            notification: request
                .email_tags
                .into_iter()
                .find(|tag| tag.name == jamie::adapters::ses::NOTIFICATION_TAG)
                .map(|tag| tag.value),
        }
    }
}

async fn fetch(ctx: &Context, query: &str) -> Result<Vec<ReceivedEmail>, Error> {
    let endpoint = ctx
        .config
        .aws_endpoint_url
        .as_deref()
        .ok_or(Error::Bug("the inbox exists only against the emulator"))?;
    let set = ctx
        .config
        .ses_configuration_set
        .as_deref()
        .unwrap_or_default();
    let url = format!("{endpoint}/_jamie/ses/received?configuration_set={set}&{query}");
    let wire: Vec<Wire> = ctx
        .http
        .get_json(&url, &[])
        .await
        .map_err(|e| Error::failed("reading what the emulator's SES received", e))?;
    let mut emails: Vec<ReceivedEmail> = wire.into_iter().map(ReceivedEmail::from).collect();
    emails.reverse();
    Ok(emails)
}

/// Every email sent with this app's configuration set, newest first, without bodies.
pub async fn summaries(ctx: &Context) -> Result<Vec<ReceivedEmail>, Error> {
    fetch(ctx, "summary=1").await
}

/// One received email, whole.
pub async fn email(ctx: &Context, message_id: &str) -> Result<Option<ReceivedEmail>, Error> {
    let safe = message_id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !safe {
        return Ok(None);
    }
    Ok(fetch(ctx, &format!("id={message_id}")).await?.pop())
}

/// The emails to `address`, newest first, whole (one request per email).
pub async fn to(ctx: &Context, address: &str) -> Result<Vec<ReceivedEmail>, Error> {
    let mut found = Vec::new();
    let summaries = summaries(ctx).await?;
    for summary in summaries
        .iter()
        .filter(|summary| summary.to.iter().any(|to| to.eq_ignore_ascii_case(address)))
    {
        found.extend(email(ctx, &summary.message_id).await?);
    }
    Ok(found)
}

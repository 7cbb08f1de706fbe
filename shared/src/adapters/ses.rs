//! Sending one email through SES v2: Simple content (HTML + text, attachments), the sender,
//! Reply-To, the configuration set and the tag that ties SES events back to the notification.

use aws_sdk_sesv2::{
    Client,
    error::{DisplayErrorContext, SdkError},
    operation::send_email::SendEmailError,
    primitives::Blob,
    types::{
        Attachment, AttachmentContentDisposition, Body, Content, Destination, EmailContent,
        Message, MessageTag,
    },
};

/// The tag every email carries with its notification id; SES events name it.
pub const NOTIFICATION_TAG: &str = "notification";

/// A file sent with an email.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// One email, ready to go.
#[derive(Clone, Debug)]
pub struct OutgoingEmail<'a> {
    /// `Name <address>`.
    pub from: &'a str,
    pub to: &'a str,
    pub reply_to: Option<&'a str>,
    pub subject: &'a str,
    pub html: &'a str,
    pub text: &'a str,
    pub attachments: &'a [File],
    pub configuration_set: Option<&'a str>,
    /// The notification it delivers (the [`NOTIFICATION_TAG`]).
    pub notification: &'a str,
}

/// Why SES did not take an email.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// SES refused this email and would refuse it again (a bad address, rejected content).
    #[error("SES refused the email: {0}")]
    Refused(String),
    /// Worth another try later: throttled, paused, unreachable.
    #[error("SES could not take the email now: {0}")]
    Transient(String),
}

/// Sends `email`; returns the SES message id.
pub async fn send(client: &Client, email: &OutgoingEmail<'_>) -> Result<String, SendError> {
    let built = |e: aws_sdk_sesv2::error::BuildError| SendError::Refused(e.to_string());
    let utf8 = |data: &str| {
        Content::builder()
            .data(data)
            .charset("UTF-8")
            .build()
            .map_err(built)
    };
    let mut message = Message::builder().subject(utf8(email.subject)?).body(
        Body::builder()
            .html(utf8(email.html)?)
            .text(utf8(email.text)?)
            .build(),
    );
    for file in email.attachments {
        message = message.attachments(
            Attachment::builder()
                .file_name(&file.name)
                .content_type(&file.content_type)
                .content_disposition(AttachmentContentDisposition::Attachment)
                .raw_content(Blob::new(file.content.clone()))
                .build()
                .map_err(built)?,
        );
    }
    let request = client
        .send_email()
        .from_email_address(email.from)
        .destination(Destination::builder().to_addresses(email.to).build())
        .set_reply_to_addresses(email.reply_to.map(|address| vec![address.to_owned()]))
        .content(EmailContent::builder().simple(message.build()).build())
        .set_configuration_set_name(email.configuration_set.map(str::to_owned))
        .email_tags(
            MessageTag::builder()
                .name(NOTIFICATION_TAG)
                .value(email.notification)
                .build()
                .map_err(built)?,
        );
    match request.send().await {
        Ok(output) => Ok(output.message_id.unwrap_or_default()),
        Err(SdkError::ServiceError(failure)) => {
            let detail = DisplayErrorContext(failure.err()).to_string();
            match failure.err() {
                SendEmailError::BadRequestException(_)
                | SendEmailError::MessageRejected(_)
                | SendEmailError::MailFromDomainNotVerifiedException(_)
                | SendEmailError::NotFoundException(_) => Err(SendError::Refused(detail)),
                _ => Err(SendError::Transient(detail)),
            }
        }
        Err(other) => Err(SendError::Transient(
            DisplayErrorContext(&other).to_string(),
        )),
    }
}

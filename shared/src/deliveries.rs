//! What became of each sent email, as SES tells it (delivered, bounced, complained, rejected,
//! delayed): recorded on its notification, the suppression list it fills, and the delivery log.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use serde::Deserialize;

use crate::{
    Context, Error,
    adapters::ses::NOTIFICATION_TAG,
    authorization::{self, Denied, Operation, Principal},
    ids::{NotificationId, RegistrationId, SessionId},
    notifications::Suppression,
    outbox::{self, Notification, Status},
    store::{Change, Condition, Entry, StoreError, keys},
    values::Email,
};

/// The EventBridge `detail-type`s of the SES events recorded here (the rule in `template.yaml`
/// picks the same ones; "Email Sent" is left out: the worker records the send itself).
pub const DETAIL_TYPES: [&str; 6] = [
    "Email Delivered",
    "Email Bounced",
    "Email Complaint Received",
    "Email Rejected",
    "Email Rendering Failed",
    "Email Delivery Delayed",
];

/// The EventBridge `source` of SES events.
pub const SOURCE: &str = "aws.ses";

/// An SES event-publishing record: the `detail` of an EventBridge "Email …" event. Only the
/// fields recorded here are read; any other event type is [`SesEvent::Other`].
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "eventType")]
pub enum SesEvent {
    Delivery {
        mail: Mail,
        delivery: Delivery,
    },
    Bounce {
        mail: Mail,
        bounce: Bounce,
    },
    Complaint {
        mail: Mail,
        complaint: Complaint,
    },
    Reject {
        mail: Mail,
        reject: Reject,
    },
    #[serde(rename = "Rendering Failure")]
    RenderingFailure {
        mail: Mail,
        failure: RenderingFailure,
    },
    DeliveryDelay {
        mail: Mail,
        #[serde(rename = "deliveryDelay")]
        delivery_delay: DeliveryDelay,
    },
    /// Send, Open, Click, Subscription…: not recorded.
    #[serde(other)]
    Other,
}

/// The email an event is about.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Mail {
    pub message_id: String,
    #[serde(default)]
    pub destination: Vec<String>,
    /// The message's tags: ours ([`NOTIFICATION_TAG`]) and SES's own (`ses:…`).
    #[serde(default)]
    pub tags: BTreeMap<String, Vec<String>>,
}

impl Mail {
    /// The notification the email delivers, from its tag.
    pub fn notification(&self) -> Option<NotificationId> {
        self.tags
            .get(NOTIFICATION_TAG)?
            .first()
            .and_then(|id| id.parse().ok())
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    #[serde(default)]
    pub recipients: Vec<String>,
    #[serde(default)]
    pub smtp_response: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bounce {
    /// `Permanent`, `Transient` or `Undetermined`.
    pub bounce_type: String,
    #[serde(default)]
    pub bounce_sub_type: String,
    #[serde(default)]
    pub bounced_recipients: Vec<Recipient>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Complaint {
    #[serde(default)]
    pub complained_recipients: Vec<Recipient>,
    /// `abuse`, `not-spam`…, when the provider says.
    #[serde(default)]
    pub complaint_feedback_type: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Reject {
    #[serde(default)]
    pub reason: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RenderingFailure {
    #[serde(default)]
    pub error_message: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryDelay {
    #[serde(default)]
    pub delay_type: String,
    #[serde(default)]
    pub expiration_time: Option<String>,
    #[serde(default)]
    pub delayed_recipients: Vec<Recipient>,
}

/// A recipient an event names, with the receiving server's words.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Recipient {
    pub email_address: String,
    #[serde(default)]
    pub diagnostic_code: Option<String>,
}

/// What recording an event did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// Not ours: no notification tag, an unknown notification, or another message.
    Ignored(&'static str),
    /// The event concerned `notification`, which now stands at `status`; `changed` is false
    /// when it had been recorded already (a redelivered event) or a worse outcome outranks it
    /// (a bounce is never turned back into a delivery). `suppressed` are the addresses put on
    /// the suppression list by this event (none when they were already on it).
    Notification {
        notification: NotificationId,
        status: Status,
        changed: bool,
        suppressed: Vec<Email>,
    },
}

/// What an event asks of its notification: the status it moves to, from which statuses, and
/// the words kept in its `detail`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Move {
    to: Status,
    from: &'static [Status],
    detail: Option<String>,
    /// Put on the suppression list, with the reason.
    suppress: Vec<(String, String)>,
}

impl SesEvent {
    pub fn mail(&self) -> Option<&Mail> {
        match self {
            SesEvent::Delivery { mail, .. }
            | SesEvent::Bounce { mail, .. }
            | SesEvent::Complaint { mail, .. }
            | SesEvent::Reject { mail, .. }
            | SesEvent::RenderingFailure { mail, .. }
            | SesEvent::DeliveryDelay { mail, .. } => Some(mail),
            SesEvent::Other => None,
        }
    }

    fn wanted(&self) -> Option<Move> {
        const SENT: &[Status] = &[Status::Sent];
        // A bounce or a complaint may follow the delivery; nothing follows a bounce or a
        // complaint (both are final, and the address is suppressed).
        const SENT_OR_DELIVERED: &[Status] = &[Status::Sent, Status::Delivered];
        let moved = match self {
            SesEvent::Other => return None,
            SesEvent::Delivery { delivery, .. } => Move {
                to: Status::Delivered,
                from: SENT,
                detail: delivery.smtp_response.clone(),
                suppress: Vec::new(),
            },
            SesEvent::Bounce { bounce, .. } => {
                let diagnostic = bounce
                    .bounced_recipients
                    .iter()
                    .filter_map(|recipient| recipient.diagnostic_code.as_deref())
                    .collect::<Vec<_>>()
                    .join("; ");
                let words = if diagnostic.is_empty() {
                    format!("{} bounce ({})", bounce.bounce_type, bounce.bounce_sub_type)
                } else {
                    format!(
                        "{} bounce ({}): {diagnostic}",
                        bounce.bounce_type, bounce.bounce_sub_type
                    )
                };
                if bounce.bounce_type == "Permanent" {
                    Move {
                        to: Status::Bounced,
                        from: SENT_OR_DELIVERED,
                        suppress: bounce
                            .bounced_recipients
                            .iter()
                            .map(|recipient| {
                                (recipient.email_address.clone(), format!("bounced: {words}"))
                            })
                            .collect(),
                        detail: Some(words),
                    }
                } else {
                    // A transient (or undetermined) bounce: SES has given up on this email,
                    // but the address may take the next one.
                    Move {
                        to: Status::Sent,
                        from: SENT,
                        detail: Some(words),
                        suppress: Vec::new(),
                    }
                }
            }
            SesEvent::Complaint { complaint, .. } => {
                let words = match &complaint.complaint_feedback_type {
                    Some(feedback) => format!("marked as spam ({feedback})"),
                    None => "marked as spam".to_owned(),
                };
                Move {
                    to: Status::Complained,
                    from: SENT_OR_DELIVERED,
                    suppress: complaint
                        .complained_recipients
                        .iter()
                        .map(|recipient| {
                            (
                                recipient.email_address.clone(),
                                format!("complained: {words}"),
                            )
                        })
                        .collect(),
                    detail: Some(words),
                }
            }
            SesEvent::Reject { reject, .. } => Move {
                to: Status::Failed,
                from: SENT,
                detail: Some(format!("rejected by SES: {}", reject.reason)),
                suppress: Vec::new(),
            },
            SesEvent::RenderingFailure { failure, .. } => Move {
                to: Status::Failed,
                from: SENT,
                detail: Some(format!(
                    "SES could not render it: {}",
                    failure.error_message
                )),
                suppress: Vec::new(),
            },
            SesEvent::DeliveryDelay { delivery_delay, .. } => {
                let mut words = format!("delayed ({})", delivery_delay.delay_type);
                if let Some(code) = delivery_delay
                    .delayed_recipients
                    .iter()
                    .find_map(|recipient| recipient.diagnostic_code.as_deref())
                {
                    words.push_str(": ");
                    words.push_str(code);
                }
                if let Some(until) = &delivery_delay.expiration_time {
                    words.push_str(&format!("; SES keeps trying until {until}"));
                }
                Move {
                    to: Status::Sent,
                    from: SENT,
                    detail: Some(words),
                    suppress: Vec::new(),
                }
            }
        };
        Some(moved)
    }
}

/// Records one SES event on the notification its email delivers (found by the email's
/// notification tag, and only when the event's message id is the one the worker recorded):
/// moves its status with a conditional update, so a redelivered event changes nothing and a
/// bounce or complaint is never turned back into a delivery; a hard bounce or a complaint
/// puts each address it names on the suppression list (written first and only if absent, so a
/// retried event completes what a crashed one began).
#[tracing::instrument(skip(ctx, event))]
pub async fn record(ctx: &Context, event: &SesEvent) -> Result<Recorded, Error> {
    let (Some(mail), Some(wanted)) = (event.mail(), event.wanted()) else {
        return Ok(Recorded::Ignored("an event type we do not record"));
    };
    let Some(id) = mail.notification() else {
        return Ok(Recorded::Ignored("the email carries no notification tag"));
    };
    let Some(notification) = ctx
        .store
        .get::<Notification>(&keys::notification(&id))
        .await?
    else {
        return Ok(Recorded::Ignored("no such notification"));
    };
    match notification.provider_id.as_deref() {
        Some(sent) if sent == mail.message_id => {}
        // The worker sent it but has not recorded the send yet: the invocation fails, and
        // Lambda retries it (after a minute, then two) once the send is recorded.
        None if notification.status == Status::Sending => {
            return Err(Error::failed(
                "recording an SES event",
                "its notification's send is not recorded yet",
            ));
        }
        _ => return Ok(Recorded::Ignored("another message than the one recorded")),
    }
    let now = ctx.clock.now();
    let mut suppressed = Vec::new();
    for (address, reason) in &wanted.suppress {
        let Ok(email) = Email::parse(address) else {
            tracing::warn!(notification = %id, "an SES event names an address we cannot read");
            continue;
        };
        let suppression = Suppression {
            email: email.clone(),
            reason: reason.clone(),
            since: now,
        };
        if ctx
            .store
            .put_item_new(&Entry::new(keys::suppressed(&email)), &suppression)
            .await?
        {
            suppressed.push(email);
        }
    }
    let changed = apply(ctx, &id, &mail.message_id, &wanted).await?;
    let status = if changed {
        wanted.to
    } else {
        notification.status
    };
    tracing::info!(
        notification = %id,
        status = status.as_str(),
        changed,
        suppressed = suppressed.len(),
        "SES event recorded"
    );
    Ok(Recorded::Notification {
        notification: id,
        status,
        changed,
        suppressed,
    })
}

/// The conditional update of [`record`]; `false` when its condition did not hold (recorded
/// already, or outranked).
async fn apply(
    ctx: &Context,
    id: &NotificationId,
    message_id: &str,
    wanted: &Move,
) -> Result<bool, StoreError> {
    let now = ctx.clock.now();
    let from: Vec<String> = (0..wanted.from.len())
        .map(|i| format!(":from{i}"))
        .collect();
    let mut set = vec!["#status = :to", "updated_at = :now"];
    let mut condition = format!(
        "provider_id = :message AND #status IN ({})",
        from.join(", ")
    );
    if wanted.detail.is_some() {
        set.push("detail = :detail");
    }
    if wanted.from.contains(&wanted.to) {
        // Only the words change (a delay, a soft bounce): the same words again are no change.
        condition.push_str(" AND (attribute_not_exists(detail) OR detail <> :detail)");
    }
    let mut change = Change::new(format!("SET {}", set.join(", ")))
        .when(condition)
        .name("#status", "status")
        .value(":to", wanted.to.as_str())
        .value(":now", crate::store::Value::of(&now)?)
        .value(":message", message_id);
    for (placeholder, status) in from.iter().zip(wanted.from) {
        change = change.value(placeholder, status.as_str());
    }
    if let Some(detail) = &wanted.detail {
        change = change.value(":detail", detail.as_str());
    }
    match ctx.store.update_item(&keys::notification(id), change).await {
        Ok(()) => Ok(true),
        Err(StoreError::Conflict { .. }) => Ok(false),
        Err(error) => Err(error),
    }
}

/// The latest email to each registration of `session` that was meant to go out (skipped
/// ones, which no longer applied, are left out): one Query of GSI3. For the organizer's
/// registration rows, once the page's operation has authorized them.
pub async fn latest_of_session(
    ctx: &Context,
    session: &SessionId,
) -> Result<HashMap<RegistrationId, Notification>, Error> {
    let mut latest: HashMap<RegistrationId, Notification> = HashMap::new();
    for notification in outbox::of_session(ctx, session).await? {
        if matches!(notification.status, Status::Skipped) {
            continue;
        }
        let Some((_, registration)) = notification.about.registration() else {
            continue;
        };
        let newer = latest
            .get(registration)
            .is_none_or(|seen| seen.created_at <= notification.created_at);
        if newer {
            latest.insert(registration.clone(), notification);
        }
    }
    Ok(latest)
}

/// Why a delivery-log operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum DeliveriesError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error(transparent)]
    Internal(#[from] Error),
}

impl From<StoreError> for DeliveriesError {
    fn from(error: StoreError) -> Self {
        Self::Internal(error.into())
    }
}

/// How many notifications of a day one page of the delivery log reads.
pub const LOG_PAGE: usize = 100;

/// What the delivery log shows of a day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogFilter {
    pub status: Option<Status>,
    /// A [`Kind::name`](crate::outbox::Kind::name).
    pub kind: Option<String>,
    /// Part of the recipient's address.
    pub recipient: String,
}

impl LogFilter {
    fn keeps(&self, notification: &Notification) -> bool {
        let recipient = self.recipient.trim().to_lowercase();
        self.status
            .is_none_or(|status| notification.status == status)
            && self
                .kind
                .as_deref()
                .is_none_or(|kind| notification.about.name() == kind)
            && (recipient.is_empty() || notification.address().contains(&recipient))
    }
}

/// One page of the delivery log: the notifications created on `day` (UTC), newest first, that
/// `filter` keeps. The filter is applied in memory to the day's page of [`LOG_PAGE`] (one
/// Query of GSI2; the day's partition has no index by status, kind or address), so a page may
/// show fewer rows than it read; `next` goes on from where the read stopped. Superadmins only.
#[tracing::instrument(skip(ctx, principal))]
pub async fn log(
    ctx: &Context,
    principal: &Principal,
    day: Date,
    filter: &LogFilter,
    after: Option<&str>,
) -> Result<outbox::LogPage, DeliveriesError> {
    authorization::authorize(principal, Operation::ManageDeliveries)?;
    let mut page = outbox::of_day(ctx, day, LOG_PAGE, after).await?;
    page.notifications
        .retain(|notification| filter.keeps(notification));
    Ok(page)
}

/// Whether `email` is on the suppression list, and why. Superadmins only.
#[tracing::instrument(skip(ctx, principal))]
pub async fn suppression(
    ctx: &Context,
    principal: &Principal,
    email: &Email,
) -> Result<Option<Suppression>, DeliveriesError> {
    authorization::authorize(principal, Operation::ManageDeliveries)?;
    Ok(ctx.store.get(&keys::suppressed(email)).await?)
}

/// Takes `email` off the suppression list, so emails go to it again; `false` when it was not
/// on it. Superadmins only.
#[tracing::instrument(skip(ctx, principal))]
pub async fn lift_suppression(
    ctx: &Context,
    principal: &Principal,
    email: &Email,
) -> Result<bool, DeliveriesError> {
    let actor = authorization::authorize(principal, Operation::ManageDeliveries)?;
    let lifted = ctx
        .store
        .take::<Suppression>(
            &keys::suppressed(email),
            Condition::new("attribute_exists(PK)"),
        )
        .await?;
    if let Some(lifted) = &lifted {
        tracing::info!(by = %actor.user.id, was = %lifted.reason, "suppression lifted");
    }
    Ok(lifted.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(json: &str) -> SesEvent {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_hard_bounce_suppresses_and_a_soft_one_only_notes() {
        let hard = event(
            r#"{"eventType":"Bounce","mail":{"messageId":"m"},"bounce":{"bounceType":"Permanent",
            "bounceSubType":"General","bouncedRecipients":[{"emailAddress":"ana@example.org",
            "diagnosticCode":"smtp; 550 5.1.1 user unknown"}]}}"#,
        )
        .wanted()
        .unwrap();
        assert_eq!(hard.to, Status::Bounced);
        assert_eq!(
            hard.detail.as_deref(),
            Some("Permanent bounce (General): smtp; 550 5.1.1 user unknown")
        );
        assert_eq!(hard.suppress.len(), 1);
        assert!(!hard.from.contains(&Status::Complained));

        let soft = event(
            r#"{"eventType":"Bounce","mail":{"messageId":"m"},"bounce":{"bounceType":"Transient",
            "bounceSubType":"MailboxFull","bouncedRecipients":[]}}"#,
        )
        .wanted()
        .unwrap();
        assert_eq!(soft.to, Status::Sent);
        assert!(soft.suppress.is_empty());
    }

    #[test]
    fn a_delivery_never_follows_a_bounce_or_a_complaint() {
        let delivered = event(r#"{"eventType":"Delivery","mail":{"messageId":"m"},"delivery":{}}"#)
            .wanted()
            .unwrap();
        assert_eq!(delivered.from, &[Status::Sent]);
    }

    #[test]
    fn other_event_types_and_untagged_mail_are_not_ours() {
        let open = event(r#"{"eventType":"Open","mail":{"messageId":"m"},"open":{}}"#);
        assert!(open.wanted().is_none());
        let untagged = event(r#"{"eventType":"Delivery","mail":{"messageId":"m"},"delivery":{}}"#);
        assert!(untagged.mail().unwrap().notification().is_none());
    }
}

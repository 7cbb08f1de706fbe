//! The `ses-events` function: the EventBridge rule on the default bus hands it each SES event
//! ("Email Delivered", "Email Bounced"…), recorded on its notification by `jamie::deliveries`.

use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use jamie::{
    Context, Error,
    deliveries::{self, Recorded, SesEvent},
};

/// Records one SES event. An event that is not ours (another source or detail-type, no
/// notification tag, an unknown notification) is logged and ignored: failing would only have
/// Lambda retry it and then dead-letter it. A detail we cannot read is an error, so the event
/// waits in the dead-letter queue until the cause is fixed.
pub async fn handle(ctx: &Context, event: EventBridgeEvent) -> Result<Recorded, Error> {
    if event.source != deliveries::SOURCE
        || !deliveries::DETAIL_TYPES.contains(&event.detail_type.as_str())
    {
        tracing::info!(
            source = %event.source,
            detail_type = %event.detail_type,
            "an event we do not record"
        );
        return Ok(Recorded::Ignored("an event we do not record"));
    }
    let ses: SesEvent = serde_json::from_value(event.detail)
        .map_err(|error| Error::failed("reading an SES event's detail", error))?;
    let recorded = deliveries::record(ctx, &ses).await?;
    if let Recorded::Ignored(why) = recorded {
        tracing::info!(
            detail_type = %event.detail_type,
            id = event.id.as_deref().unwrap_or_default(),
            why,
            "SES event ignored"
        );
    }
    Ok(recorded)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every fixture (real SES event JSON in its EventBridge envelope) is one of the rule's
    /// detail-types and reads as the event its `eventType` names, with our tag.
    #[test]
    fn the_fixtures_read_as_the_events_they_are() {
        let fixtures = [
            (
                include_str!("../../../tests/fixtures/ses/delivered.json"),
                "Delivery",
            ),
            (
                include_str!("../../../tests/fixtures/ses/bounce-permanent.json"),
                "Bounce",
            ),
            (
                include_str!("../../../tests/fixtures/ses/bounce-transient.json"),
                "Bounce",
            ),
            (
                include_str!("../../../tests/fixtures/ses/complaint.json"),
                "Complaint",
            ),
            (
                include_str!("../../../tests/fixtures/ses/reject.json"),
                "Reject",
            ),
            (
                include_str!("../../../tests/fixtures/ses/rendering-failure.json"),
                "RenderingFailure",
            ),
            (
                include_str!("../../../tests/fixtures/ses/delivery-delay.json"),
                "DeliveryDelay",
            ),
        ];
        for (json, variant) in fixtures {
            let event: EventBridgeEvent = serde_json::from_str(json).unwrap();
            assert_eq!(event.source, deliveries::SOURCE);
            assert!(deliveries::DETAIL_TYPES.contains(&event.detail_type.as_str()));
            let ses: SesEvent = serde_json::from_value(event.detail).unwrap();
            assert!(
                format!("{ses:?}").starts_with(variant),
                "{variant}: {ses:?}"
            );
            assert!(ses.mail().and_then(|mail| mail.notification()).is_some());
        }
    }
}

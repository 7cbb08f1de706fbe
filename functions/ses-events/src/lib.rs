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

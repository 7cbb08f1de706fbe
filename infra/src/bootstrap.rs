//! Creates, in the emulator, every resource `template.yaml` creates in AWS — the table (same
//! definition), the notifications queue with its dead-letter queue, the photo bucket, the event
//! bus and the SES sender identity — and returns the [`Config`] that points at them.
//! Idempotent: `make dev` runs it at every start.

use jamie::{
    Config, Error,
    config::{BaseUrl, Secret},
    context::sdk_config,
    store::table,
};

/// The names of the local resources.
#[derive(Clone, Debug)]
pub struct Names {
    pub table: String,
    pub queue: String,
    pub bucket: String,
    pub event_bus: String,
    /// The SES configuration set every email is sent with: the dev mailbox and each test read
    /// back only the emails of theirs.
    pub configuration_set: String,
    /// How long a received queue message stays invisible (Lambda's setting in AWS is 6× the
    /// worker's timeout; tests use seconds, so a retried message comes back quickly).
    pub visibility_timeout_seconds: u32,
}

impl Names {
    /// The names `make dev` uses.
    pub fn dev() -> Self {
        Self {
            table: "jamie".to_owned(),
            queue: "jamie-notifications".to_owned(),
            bucket: "jamie-photos".to_owned(),
            event_bus: "jamie-local".to_owned(),
            configuration_set: "jamie-local".to_owned(),
            visibility_timeout_seconds: 60,
        }
    }

    /// Fresh names for one test, so tests never see each other's data.
    pub fn unique(prefix: &str) -> Self {
        let id = jamie::ids::SessionId::generate();
        let name = format!("{prefix}-{}", &id.as_str()[..16]);
        Self {
            table: name.clone(),
            queue: name.clone(),
            bucket: name.clone(),
            event_bus: name.clone(),
            configuration_set: name,
            visibility_timeout_seconds: 2,
        }
    }
}

/// The sender address used locally; SES v2 refuses to send until it is a verified identity.
pub const LOCAL_SENDER: &str = "jamie@jamie.localhost";

/// Creates what is missing and returns the configuration for it, with a fresh random session
/// secret and no superadmins (callers override both as they need).
pub async fn local(endpoint: &str, names: &Names, base_url: &str) -> Result<Config, Error> {
    let sdk = sdk_config(Some(endpoint)).await;

    table::create(&aws_sdk_dynamodb::Client::new(&sdk), &names.table).await?;

    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let visibility = names.visibility_timeout_seconds;
    let dlq_url = create_queue(&sqs, &format!("{}-dlq", names.queue), visibility, None).await?;
    let dlq_arn = sqs
        .get_queue_attributes()
        .queue_url(&dlq_url)
        .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
        .send()
        .await
        .map_err(|e| Error::aws("reading the dead-letter queue's ARN", e))?
        .attributes
        .and_then(|mut attributes| {
            attributes.remove(&aws_sdk_sqs::types::QueueAttributeName::QueueArn)
        })
        .unwrap_or_default();
    let redrive = format!(r#"{{"deadLetterTargetArn":"{dlq_arn}","maxReceiveCount":"5"}}"#);
    let queue_url = create_queue(&sqs, &names.queue, visibility, Some(redrive)).await?;

    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&sdk)
            .force_path_style(true)
            .build(),
    );
    if s3.head_bucket().bucket(&names.bucket).send().await.is_err() {
        let region = sdk.region().map(ToString::to_string).unwrap_or_default();
        s3.create_bucket()
            .bucket(&names.bucket)
            .create_bucket_configuration(
                aws_sdk_s3::types::CreateBucketConfiguration::builder()
                    .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::from(
                        region.as_str(),
                    ))
                    .build(),
            )
            .send()
            .await
            .map_err(|e| Error::aws("creating the photo bucket", e))?;
    }

    let events = aws_sdk_eventbridge::Client::new(&sdk);
    if events
        .describe_event_bus()
        .name(&names.event_bus)
        .send()
        .await
        .is_err()
    {
        events
            .create_event_bus()
            .name(&names.event_bus)
            .send()
            .await
            .map_err(|e| Error::aws("creating the event bus", e))?;
    }

    let ses = aws_sdk_sesv2::Client::new(&sdk);
    if ses
        .get_configuration_set()
        .configuration_set_name(&names.configuration_set)
        .send()
        .await
        .is_err()
    {
        ses.create_configuration_set()
            .configuration_set_name(&names.configuration_set)
            .send()
            .await
            .map_err(|e| Error::aws("creating the SES configuration set", e))?;
    }
    if ses
        .get_email_identity()
        .email_identity(LOCAL_SENDER)
        .send()
        .await
        .is_err()
    {
        ses.create_email_identity()
            .email_identity(LOCAL_SENDER)
            .send()
            .await
            .map_err(|e| Error::aws("creating the SES sender identity", e))?;
    }

    Ok(Config {
        table_name: names.table.clone(),
        notifications_queue_url: queue_url,
        photo_bucket: names.bucket.clone(),
        event_bus_name: names.event_bus.clone(),
        base_url: BaseUrl::parse(base_url).map_err(|reason| {
            jamie::config::ConfigError::Invalid {
                name: "BASE_URL",
                reason,
            }
        })?,
        email_from: format!("Jamie <{LOCAL_SENDER}>"),
        ses_configuration_set: Some(names.configuration_set.clone()),
        aws_endpoint_url: Some(endpoint.to_owned()),
        session_secret: Secret::new(jamie::ids::hex(&jamie::ids::random_bytes::<32>()))
            .map_err(|_| jamie::Error::Bug("a 32-byte random secret is long enough"))?,
        superadmin_emails: Vec::new(),
        // Places autocomplete locally only when a real key is given (see the README).
        google_maps_api_key: std::env::var("GOOGLE_MAPS_API_KEY")
            .ok()
            .filter(|key| !key.is_empty())
            .map(Secret::api_key),
        places_api_url: std::env::var("PLACES_API_URL")
            .unwrap_or_else(|_| "https://places.googleapis.com".to_owned()),
        race_deadline: Config::RACE_DEADLINE,
        limits: jamie::config::Limits::from_env()?,
    })
}

async fn create_queue(
    sqs: &aws_sdk_sqs::Client,
    name: &str,
    visibility_timeout_seconds: u32,
    redrive: Option<String>,
) -> Result<String, Error> {
    let mut request = sqs.create_queue().queue_name(name).attributes(
        aws_sdk_sqs::types::QueueAttributeName::VisibilityTimeout,
        visibility_timeout_seconds.to_string(),
    );
    if let Some(redrive) = redrive {
        request = request.attributes(
            aws_sdk_sqs::types::QueueAttributeName::RedrivePolicy,
            redrive,
        );
    }
    let output = request
        .send()
        .await
        .map_err(|e| Error::aws("creating a queue", e))?;
    Ok(output.queue_url.unwrap_or_default())
}

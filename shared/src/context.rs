//! The per-process context: configuration, the AWS clients (built once, reused by every
//! request) and the clock. Handlers receive it; domain operations take it first.

use std::{sync::Arc, time::Duration};

use aws_config::{BehaviorVersion, Region, SdkConfig, timeout::TimeoutConfig};
use aws_sdk_dynamodb::config::Credentials;

use crate::{Clock, Config, Error, store::Store, store::retry::Retry, tokens::SigningKeys};

/// Region used against the local emulator when none is configured.
const LOCAL_REGION: &str = "eu-west-1";

/// Everything a request needs besides its input.
#[derive(Clone, Debug)]
pub struct Context {
    pub config: Arc<Config>,
    pub store: Store,
    pub queue: aws_sdk_sqs::Client,
    pub email: aws_sdk_sesv2::Client,
    pub events: aws_sdk_eventbridge::Client,
    pub photos: aws_sdk_s3::Client,
    pub clock: Clock,
    /// The keys that sign sign-in cookies and invites, derived once from `SESSION_SECRET`.
    pub signing: SigningKeys,
    /// The client for third-party HTTPS APIs (Places; later Telegram).
    pub http: crate::http::HttpClient,
    /// The AWS configuration the clients were built from: its credentials sign presigned
    /// photo uploads.
    pub aws: SdkConfig,
}

impl Context {
    /// The attempts of an operation that may lose races (a booking, a session change): retried
    /// after each lost race until [`Config::race_deadline`], then the operation answers busy.
    pub fn race_retry(&self) -> Retry {
        Retry::within(self.config.race_deadline)
    }

    /// Reads [`Config`] from the environment and builds the clients; fails naming any missing
    /// variable.
    pub async fn from_env() -> Result<Self, Error> {
        let config = Config::from_env()?;
        Ok(Self::new(config, Clock::system()).await)
    }

    pub async fn new(config: Config, clock: Clock) -> Self {
        let sdk = sdk_config(config.aws_endpoint_url.as_deref()).await;
        let s3_config = aws_sdk_s3::config::Builder::from(&sdk)
            // The emulator serves buckets by path, not by virtual host.
            .force_path_style(config.aws_endpoint_url.is_some())
            .build();
        Self {
            store: Store::new(
                aws_sdk_dynamodb::Client::new(&sdk),
                config.table_name.clone(),
            ),
            queue: aws_sdk_sqs::Client::new(&sdk),
            email: aws_sdk_sesv2::Client::new(&sdk),
            events: aws_sdk_eventbridge::Client::new(&sdk),
            photos: aws_sdk_s3::Client::from_conf(s3_config),
            signing: SigningKeys::new(&config.session_secret),
            http: crate::http::HttpClient::new(),
            aws: sdk,
            config: Arc::new(config),
            clock,
        }
    }
}

/// The shared SDK configuration. With an endpoint (the local emulator) it also supplies a
/// region and placeholder credentials when the environment has none, so `make dev` and the
/// tests need no AWS account.
pub async fn sdk_config(endpoint: Option<&str>) -> SdkConfig {
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(3))
        .operation_timeout(Duration::from_secs(60))
        .build();
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).timeout_config(timeouts);
    if let Some(endpoint) = endpoint {
        let region = ["AWS_REGION", "AWS_DEFAULT_REGION"]
            .into_iter()
            .find_map(|name| std::env::var(name).ok())
            .unwrap_or_else(|| LOCAL_REGION.to_owned());
        loader = loader.endpoint_url(endpoint).region(Region::new(region));
        if std::env::var_os("AWS_ACCESS_KEY_ID").is_none() {
            loader = loader.credentials_provider(Credentials::new(
                "local",
                "local",
                None,
                None,
                "jamie-local",
            ));
        }
    }
    loader.load().await
}

//! Typed configuration, read once from the environment at start.
//! A function that lacks a setting fails before serving anything, naming every missing variable.

use std::fmt;

/// Everything a Jamie function needs to know about its surroundings.
#[derive(Clone, Debug)]
pub struct Config {
    /// `TABLE_NAME`: the single DynamoDB table.
    pub table_name: String,
    /// `NOTIFICATIONS_QUEUE_URL`: the SQS queue the notification worker consumes.
    pub notifications_queue_url: String,
    /// `PHOTO_BUCKET`: the S3 bucket for series photos.
    pub photo_bucket: String,
    /// `EVENT_BUS_NAME`: the EventBridge bus domain events go to (default `default`).
    pub event_bus_name: String,
    /// `BASE_URL`: the public address of the app, used in links sent by email and Telegram.
    pub base_url: BaseUrl,
    /// `EMAIL_FROM`: the sender of every email (an SES-verified identity).
    pub email_from: String,
    /// `SES_CONFIGURATION_SET`: optional SES configuration set for delivery events.
    pub ses_configuration_set: Option<String>,
    /// `AWS_ENDPOINT_URL`: set locally and in tests to send every AWS call to the emulator.
    pub aws_endpoint_url: Option<String>,
    /// `SESSION_SECRET`: the HS256 key for sign-in cookies and invites, at least 32 bytes (the
    /// variable keeps the name it is deployed with).
    pub session_secret: Secret,
    /// `SUPERADMIN_EMAILS`: comma-separated addresses made superadmin when they sign in.
    pub superadmin_emails: Vec<String>,
    /// `GOOGLE_MAPS_API_KEY`: optional; when set, the series form offers Places autocomplete
    /// and picked places are resolved through the Places API (New).
    pub google_maps_api_key: Option<Secret>,
    /// `PLACES_API_URL`: the Places API's address (default `https://places.googleapis.com`;
    /// a local stand-in in tests).
    pub places_api_url: String,
    /// `RACE_DEADLINE_MS`: how long an operation that keeps losing races (a booking when many
    /// book at once) tries before it answers "busy" (default 6000, inside the Lambda's 10 s).
    pub race_deadline: std::time::Duration,
    /// The limits on public writes (each from its `LIMIT_…` variable, see [`Limits`]).
    pub limits: Limits,
}

/// How often a stranger (or an organizer) may write, counted in the transaction of the write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// `LIMIT_REGISTRATIONS_PER_CLIENT_SESSION_HOUR`: public registrations one client address
    /// may send for one session in a clock hour (default 5: a family on one phone passes).
    pub registrations_per_client_session_hour: i64,
    /// `LIMIT_REGISTRATIONS_PER_CLIENT_HOUR`: public registrations one client address may send
    /// in a clock hour, all sessions together (default 20).
    pub registrations_per_client_hour: i64,
    /// `LIMIT_REGISTRATIONS_PER_EMAIL_DAY`: public registrations of one email address in a UTC
    /// day, all sessions together (default 5).
    pub registrations_per_email_day: i64,
    /// `LIMIT_MANUAL_ENTRIES_PER_ORGANIZER_HOUR`: people one organizer may enter by hand in a
    /// clock hour (default 60).
    pub manual_entries_per_organizer_hour: i64,
    /// `LIMIT_PASSWORD_FAILURES_PER_CLIENT_HOUR`: wrong passwords one client address may try in
    /// a clock hour, all addresses together (default 30).
    pub password_failures_per_client_hour: i64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            registrations_per_client_session_hour: 5,
            registrations_per_client_hour: 20,
            registrations_per_email_day: 5,
            manual_entries_per_organizer_hour: 60,
            password_failures_per_client_hour: 30,
        }
    }
}

impl Limits {
    /// The process environment's limits (the local stack reads them so too).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// The defaults, each replaced by its variable when `get` has one (a positive whole number).
    fn from_lookup(get: impl Fn(&'static str) -> Option<String>) -> Result<Self, ConfigError> {
        let read = |name: &'static str, default: i64| match get(name) {
            None => Ok(default),
            Some(raw) => raw
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|limit| *limit > 0)
                .ok_or(ConfigError::Invalid {
                    name,
                    reason: "must be a whole number above 0".to_owned(),
                }),
        };
        let default = Self::default();
        Ok(Self {
            registrations_per_client_session_hour: read(
                "LIMIT_REGISTRATIONS_PER_CLIENT_SESSION_HOUR",
                default.registrations_per_client_session_hour,
            )?,
            registrations_per_client_hour: read(
                "LIMIT_REGISTRATIONS_PER_CLIENT_HOUR",
                default.registrations_per_client_hour,
            )?,
            registrations_per_email_day: read(
                "LIMIT_REGISTRATIONS_PER_EMAIL_DAY",
                default.registrations_per_email_day,
            )?,
            manual_entries_per_organizer_hour: read(
                "LIMIT_MANUAL_ENTRIES_PER_ORGANIZER_HOUR",
                default.manual_entries_per_organizer_hour,
            )?,
            password_failures_per_client_hour: read(
                "LIMIT_PASSWORD_FAILURES_PER_CLIENT_HOUR",
                default.password_failures_per_client_hour,
            )?,
        })
    }
}

/// A secret value that never shows in logs or `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// The shortest secret accepted, in bytes.
    pub const MIN_BYTES: usize = 32;

    pub fn new(value: impl Into<String>) -> Result<Self, String> {
        let value = value.into();
        if value.len() < Self::MIN_BYTES {
            return Err(format!("must be at least {} bytes long", Self::MIN_BYTES));
        }
        Ok(Self(value))
    }

    /// A third-party API key: secret, but of whatever length its issuer chose.
    pub fn api_key(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// An absolute `http(s)://` address without a trailing slash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let trimmed = raw.trim().trim_end_matches('/');
        let rest = trimmed
            .strip_prefix("https://")
            .or_else(|| trimmed.strip_prefix("http://"))
            .ok_or_else(|| "must start with http:// or https://".to_owned())?;
        if rest.is_empty() || rest.contains(char::is_whitespace) {
            return Err("must name a host".to_owned());
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when the app is served over plain http (local development), where browsers refuse
    /// `Secure` cookies.
    pub fn is_plain_http(&self) -> bool {
        self.0.starts_with("http://")
    }

    /// The host (and port) the app is served from, e.g. `jamie.example`.
    pub fn host(&self) -> &str {
        let rest = self.without_scheme();
        rest.split('/').next().unwrap_or(rest)
    }

    /// The `webcal://` address of an app path: what calendars subscribe to.
    pub fn webcal(&self, path: &str) -> String {
        format!("webcal://{}{path}", self.without_scheme())
    }

    fn without_scheme(&self) -> &str {
        self.0
            .strip_prefix("https://")
            .or_else(|| self.0.strip_prefix("http://"))
            .unwrap_or(&self.0)
    }

    /// The absolute address of an app path such as `/cancel/abc`.
    pub fn join(&self, path: &str) -> String {
        format!("{}{}", self.0, path)
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What is wrong with the environment, naming the variables.
#[derive(thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("missing configuration: set {}", .0.join(", "))]
    Missing(Vec<&'static str>),
    #[error("invalid configuration: {name} {reason}")]
    Invalid { name: &'static str, reason: String },
}

/// The readable message, also for `Debug`: a function's `main` that fails at start prints its
/// error with `{:?}`, and the operator should read which variable to set.
impl fmt::Debug for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Config {
    /// How long a lost race is retried unless `RACE_DEADLINE_MS` says otherwise.
    pub const RACE_DEADLINE: std::time::Duration = std::time::Duration::from_secs(6);

    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests need not touch the process environment.
    /// Empty values count as missing.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut missing = Vec::new();
        let get = |name: &'static str| lookup(name).filter(|value| !value.trim().is_empty());
        let mut required = |name: &'static str| {
            let value = get(name);
            if value.is_none() {
                missing.push(name);
            }
            value.unwrap_or_default()
        };
        let table_name = required("TABLE_NAME");
        let notifications_queue_url = required("NOTIFICATIONS_QUEUE_URL");
        let photo_bucket = required("PHOTO_BUCKET");
        let base_url = required("BASE_URL");
        let email_from = required("EMAIL_FROM");
        let session_secret = required("SESSION_SECRET");
        if !missing.is_empty() {
            return Err(ConfigError::Missing(missing));
        }
        let base_url = BaseUrl::parse(&base_url).map_err(|reason| ConfigError::Invalid {
            name: "BASE_URL",
            reason,
        })?;
        if !email_from.contains('@') {
            return Err(ConfigError::Invalid {
                name: "EMAIL_FROM",
                reason: "must be an email address".to_owned(),
            });
        }
        let session_secret =
            Secret::new(session_secret).map_err(|reason| ConfigError::Invalid {
                name: "SESSION_SECRET",
                reason,
            })?;
        let superadmin_emails = get("SUPERADMIN_EMAILS")
            .unwrap_or_default()
            .split(',')
            .map(|email| email.trim().to_lowercase())
            .filter(|email| !email.is_empty())
            .collect();
        Ok(Self {
            table_name,
            notifications_queue_url,
            photo_bucket,
            event_bus_name: get("EVENT_BUS_NAME").unwrap_or_else(|| "default".to_owned()),
            base_url,
            email_from,
            ses_configuration_set: get("SES_CONFIGURATION_SET"),
            aws_endpoint_url: get("AWS_ENDPOINT_URL"),
            session_secret,
            superadmin_emails,
            google_maps_api_key: get("GOOGLE_MAPS_API_KEY").map(Secret::api_key),
            places_api_url: get("PLACES_API_URL")
                .unwrap_or_else(|| "https://places.googleapis.com".to_owned()),
            race_deadline: match get("RACE_DEADLINE_MS") {
                None => Self::RACE_DEADLINE,
                Some(raw) => raw
                    .trim()
                    .parse()
                    .map(std::time::Duration::from_millis)
                    .map_err(|_| ConfigError::Invalid {
                        name: "RACE_DEADLINE_MS",
                        reason: "must be a number of milliseconds".to_owned(),
                    })?,
            },
            limits: Limits::from_lookup(get)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    const COMPLETE: &[(&str, &str)] = &[
        ("TABLE_NAME", "jamie"),
        (
            "NOTIFICATIONS_QUEUE_URL",
            "http://127.0.0.1:4566/000000000000/notifications",
        ),
        ("PHOTO_BUCKET", "photos"),
        ("BASE_URL", "https://jamie.example.org/"),
        ("EMAIL_FROM", "Jamie <jamie@example.org>"),
        ("SESSION_SECRET", "0123456789abcdef0123456789abcdef"),
        ("SUPERADMIN_EMAILS", " Root@Example.org, ,ops@example.org"),
    ];

    #[test]
    fn a_complete_environment_parses_with_defaults() {
        let config = Config::from_lookup(lookup(COMPLETE)).unwrap();
        assert_eq!(config.table_name, "jamie");
        assert_eq!(config.base_url.as_str(), "https://jamie.example.org");
        assert_eq!(
            config.base_url.join("/s/x"),
            "https://jamie.example.org/s/x"
        );
        assert!(!config.base_url.is_plain_http());
        assert_eq!(config.event_bus_name, "default");
        assert_eq!(config.aws_endpoint_url, None);
        assert_eq!(
            config.superadmin_emails,
            ["root@example.org", "ops@example.org"]
        );
        assert_eq!(format!("{:?}", config.session_secret), "Secret(..)");
        assert_eq!(config.limits, Limits::default());
    }

    #[test]
    fn a_limit_is_read_and_a_bad_one_refused() {
        let mut pairs = COMPLETE.to_vec();
        pairs.push(("LIMIT_REGISTRATIONS_PER_EMAIL_DAY", "9"));
        let config = Config::from_lookup(lookup(&pairs)).unwrap();
        assert_eq!(config.limits.registrations_per_email_day, 9);
        assert_eq!(config.limits.registrations_per_client_hour, 20);
        pairs.push(("LIMIT_REGISTRATIONS_PER_CLIENT_HOUR", "0"));
        let error = Config::from_lookup(lookup(&pairs)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid configuration: LIMIT_REGISTRATIONS_PER_CLIENT_HOUR must be a whole number above 0"
        );
    }

    #[test]
    fn a_short_session_secret_is_refused() {
        let mut pairs = COMPLETE.to_vec();
        pairs[5] = ("SESSION_SECRET", "too-short");
        let error = Config::from_lookup(lookup(&pairs)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid configuration: SESSION_SECRET must be at least 32 bytes long"
        );
    }

    #[test]
    fn every_missing_variable_is_named() {
        let error = Config::from_lookup(lookup(&[("TABLE_NAME", "jamie"), ("PHOTO_BUCKET", " ")]))
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "missing configuration: set NOTIFICATIONS_QUEUE_URL, PHOTO_BUCKET, BASE_URL, EMAIL_FROM, SESSION_SECRET"
        );
    }

    #[test]
    fn a_malformed_base_url_is_refused() {
        let mut pairs = COMPLETE.to_vec();
        pairs[3] = ("BASE_URL", "jamie.example.org");
        let error = Config::from_lookup(lookup(&pairs)).unwrap_err();
        assert_eq!(
            error,
            ConfigError::Invalid {
                name: "BASE_URL",
                reason: "must start with http:// or https://".to_owned()
            }
        );
    }
}

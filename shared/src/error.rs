//! The domain's error type: what an operation can fail with, for the web layer to map to a page.

use crate::{config::ConfigError, store::StoreError};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An invariant of our own broke (a bug); the words say which.
    #[error("{0}")]
    Bug(&'static str),
    /// Work of our own failed (hashing, signing, decoding a stored item or a photo); `doing`
    /// says what, the source why.
    #[error("{doing}")]
    Failed {
        doing: &'static str,
        #[source]
        source: BoxError,
    },
    /// A call to another AWS service (SQS, SES, EventBridge, S3) failed; `doing` says which.
    #[error("{doing}: {source}")]
    Aws {
        doing: &'static str,
        #[source]
        source: BoxError,
    },
}

impl Error {
    /// Wraps a failure of our own work with what we were doing.
    pub fn failed(doing: &'static str, source: impl Into<BoxError>) -> Self {
        Self::Failed {
            doing,
            source: source.into(),
        }
    }

    /// Wraps an AWS SDK error with what we were doing when it happened.
    pub fn aws(
        doing: &'static str,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Self::Aws {
            doing,
            source: Box::new(source),
        }
    }
}

//! Clients of third-party APIs, at the bottom of the domain's layers: S3 presigning, the
//! Places API and SES. They import nothing of the domain above `http`, `config` and `values`.

pub mod places;
pub mod s3;
pub mod ses;

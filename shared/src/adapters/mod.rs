//! Clients of third-party APIs, at the bottom of the domain's layers: S3 presigning and the
//! Places API. They import nothing of the domain above `http`, `config` and `values`.

pub mod places;
pub mod s3;

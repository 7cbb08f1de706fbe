//! Jams: series and their organizers, sessions, co-organizer invites, the recurrence generator,
//! the dashboard's reads, and the photo and place of a series.

pub mod dashboard;
pub mod invites;
pub mod photos;
pub mod places;
pub mod recurrence;
pub mod series;
pub mod sessions;

/// The items at `keys`, in their order (`None` where there is none), read in BatchGetItems
/// of up to 100 keys: one read per hundred items, however many there are.
pub(crate) async fn get_many<T: serde::de::DeserializeOwned>(
    ctx: &crate::Context,
    keys: &[crate::store::keys::Key],
) -> Result<Vec<Option<T>>, crate::store::StoreError> {
    let mut found = Vec::with_capacity(keys.len());
    for chunk in keys.chunks(100) {
        for item in ctx.store.get_many(chunk).await? {
            found.push(
                item.map(serde_dynamo::from_item)
                    .transpose()
                    .map_err(crate::store::StoreError::from)?,
            );
        }
    }
    Ok(found)
}

/// Percent-encodes a URL query value (everything but the unreserved characters).
pub(crate) fn url_encode(value: &str) -> String {
    const RESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(value, RESERVED).to_string()
}

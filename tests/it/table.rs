//! The table the bootstrap creates in the emulator is the one the store and template.yaml define.

use jamie::store::table::{self, INDEXES, PRIMARY, TTL_ATTRIBUTE};
use jamie_tests::spawn_app;

#[tokio::test]
async fn the_bootstrap_creates_the_defined_table() {
    let app = spawn_app().await;
    let client = app.ctx.store.client();
    let name = app.ctx.store.table_name();
    let described = client
        .describe_table()
        .table_name(name)
        .send()
        .await
        .unwrap();
    let table_description = described.table.unwrap();

    let keys: Vec<(String, String)> = table_description
        .key_schema()
        .iter()
        .map(|k| {
            (
                k.attribute_name().to_owned(),
                k.key_type().as_str().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        keys,
        [
            (PRIMARY.hash.to_owned(), "HASH".to_owned()),
            (PRIMARY.range.to_owned(), "RANGE".to_owned())
        ]
    );
    let mut indexes: Vec<String> = table_description
        .global_secondary_indexes()
        .iter()
        .map(|gsi| {
            let keys: Vec<&str> = gsi
                .key_schema()
                .iter()
                .map(|k| k.attribute_name())
                .collect();
            format!(
                "{}:{}",
                gsi.index_name().unwrap_or_default(),
                keys.join(",")
            )
        })
        .collect();
    indexes.sort();
    let expected: Vec<String> = INDEXES
        .iter()
        .map(|index| format!("{}:{},{}", index.name, index.keys.hash, index.keys.range))
        .collect();
    assert_eq!(indexes, expected);
    assert_eq!(
        table_description
            .billing_mode_summary()
            .and_then(|b| b.billing_mode())
            .map(|m| m.as_str()),
        Some(table::BILLING_MODE)
    );
    assert_eq!(
        table_description.deletion_protection_enabled(),
        Some(table::DELETION_PROTECTION)
    );

    let ttl = client
        .describe_time_to_live()
        .table_name(name)
        .send()
        .await
        .unwrap();
    let ttl = ttl.time_to_live_description.unwrap();
    assert_eq!(ttl.attribute_name(), Some(TTL_ATTRIBUTE));
    assert_eq!(
        ttl.time_to_live_status().map(|s| s.as_str()),
        Some("ENABLED")
    );

    let backups = client
        .describe_continuous_backups()
        .table_name(name)
        .send()
        .await
        .unwrap();
    let pitr = backups
        .continuous_backups_description
        .and_then(|d| d.point_in_time_recovery_description)
        .and_then(|p| p.point_in_time_recovery_status)
        .map(|s| s.as_str().to_owned());
    assert_eq!(pitr.as_deref(), Some("ENABLED"));

    // Creating it again is a no-op, as `make dev` does at every start.
    table::create(client, name).await.unwrap();
}

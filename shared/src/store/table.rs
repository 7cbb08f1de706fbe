//! The table's definition — keys, indexes, TTL, billing, recovery, protection — and its creation
//! for `make dev` and the tests. `template.yaml` declares the same table for AWS; a test checks
//! that the two agree.

use aws_sdk_dynamodb::{
    Client,
    types::{
        AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType,
        PointInTimeRecoverySpecification, Projection, ProjectionType, ScalarAttributeType,
        SseSpecification, StreamSpecification, StreamViewType, TimeToLiveSpecification,
    },
};

use super::{StoreError, error::classify};

/// The partition and sort key attributes of the table or of an index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyPair {
    pub hash: &'static str,
    pub range: &'static str,
}

/// A global secondary index (every one projects all attributes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Index {
    pub name: &'static str,
    pub keys: KeyPair,
}

/// The table's key schema.
pub const PRIMARY: KeyPair = KeyPair {
    hash: "PK",
    range: "SK",
};

/// The global secondary indexes.
pub const INDEXES: [Index; 3] = [
    Index {
        name: "GSI1",
        keys: KeyPair {
            hash: "GSI1PK",
            range: "GSI1SK",
        },
    },
    Index {
        name: "GSI2",
        keys: KeyPair {
            hash: "GSI2PK",
            range: "GSI2SK",
        },
    },
    Index {
        name: "GSI3",
        keys: KeyPair {
            hash: "GSI3PK",
            range: "GSI3SK",
        },
    },
];

/// The table's stream carries each written item's new image: the outbox relay (an EventBridge
/// Pipe in AWS, the dev server and the tests locally) hands new outbox items to the queue.
pub const STREAM_VIEW: &str = "NEW_IMAGE";

/// The TTL attribute (epoch seconds). TTL only cleans up, late: code checks expiry on read.
pub const TTL_ATTRIBUTE: &str = "expires_at";
/// On-demand capacity.
pub const BILLING_MODE: &str = "PAY_PER_REQUEST";
pub const POINT_IN_TIME_RECOVERY: bool = true;
pub const DELETION_PROTECTION: bool = true;
pub const SERVER_SIDE_ENCRYPTION: bool = true;

/// Every key attribute, in declaration order (all strings).
pub fn key_attributes() -> Vec<&'static str> {
    std::iter::once(PRIMARY)
        .chain(INDEXES.iter().map(|index| index.keys))
        .flat_map(|keys| [keys.hash, keys.range])
        .collect()
}

fn schema(keys: KeyPair) -> Result<Vec<KeySchemaElement>, StoreError> {
    [(keys.hash, KeyType::Hash), (keys.range, KeyType::Range)]
        .into_iter()
        .map(|(name, kind)| {
            KeySchemaElement::builder()
                .attribute_name(name)
                .key_type(kind)
                .build()
                .map_err(|e| StoreError::Other(Box::new(e)))
        })
        .collect()
}

/// Creates the table `name` as defined above, unless it exists. Waits until it is usable.
pub async fn create(client: &Client, name: &str) -> Result<(), StoreError> {
    let built = |e: aws_sdk_dynamodb::error::BuildError| StoreError::Other(Box::new(e));
    if client
        .describe_table()
        .table_name(name)
        .send()
        .await
        .is_ok()
    {
        return Ok(());
    }
    let mut request = client
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::from(BILLING_MODE))
        .set_key_schema(Some(schema(PRIMARY)?))
        .deletion_protection_enabled(DELETION_PROTECTION)
        .stream_specification(
            StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(StreamViewType::from(STREAM_VIEW))
                .build()
                .map_err(built)?,
        )
        .sse_specification(
            SseSpecification::builder()
                .enabled(SERVER_SIDE_ENCRYPTION)
                .build(),
        );
    for attribute in key_attributes() {
        request = request.attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name(attribute)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .map_err(built)?,
        );
    }
    for index in INDEXES {
        request = request.global_secondary_indexes(
            GlobalSecondaryIndex::builder()
                .index_name(index.name)
                .set_key_schema(Some(schema(index.keys)?))
                .projection(
                    Projection::builder()
                        .projection_type(ProjectionType::All)
                        .build(),
                )
                .build()
                .map_err(built)?,
        );
    }
    match request.send().await.map_err(classify) {
        Ok(_) => {}
        // Another process created it between our check and our create.
        Err(StoreError::Other(error)) if error.to_string().contains("ResourceInUse") => {
            return Ok(());
        }
        Err(error) => return Err(error),
    }
    client
        .update_time_to_live()
        .table_name(name)
        .time_to_live_specification(
            TimeToLiveSpecification::builder()
                .attribute_name(TTL_ATTRIBUTE)
                .enabled(true)
                .build()
                .map_err(built)?,
        )
        .send()
        .await
        .map_err(classify)?;
    client
        .update_continuous_backups()
        .table_name(name)
        .point_in_time_recovery_specification(
            PointInTimeRecoverySpecification::builder()
                .point_in_time_recovery_enabled(POINT_IN_TIME_RECOVERY)
                .build()
                .map_err(built)?,
        )
        .send()
        .await
        .map_err(classify)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_yaml::Value;

    use super::*;

    /// `Resources.Table.Properties` of the SAM template.
    fn template_table() -> Value {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../template.yaml");
        let text = std::fs::read_to_string(path).expect("reading template.yaml");
        let template: Value = serde_yaml::from_str(&text).expect("template.yaml is YAML");
        template["Resources"]["Table"]["Properties"].clone()
    }

    fn text(value: &Value) -> &str {
        value
            .as_str()
            .unwrap_or_else(|| panic!("expected a string, found {value:?}"))
    }

    fn key_schema(value: &Value) -> KeyPair {
        let elements = value.as_sequence().expect("a KeySchema list");
        let find = |kind: &str| {
            let element = elements
                .iter()
                .find(|e| text(&e["KeyType"]) == kind)
                .unwrap_or_else(|| panic!("no {kind} key in {value:?}"));
            text(&element["AttributeName"]).to_owned()
        };
        assert_eq!(elements.len(), 2);
        KeyPair {
            hash: find("HASH").leak(),
            range: find("RANGE").leak(),
        }
    }

    #[test]
    fn the_sam_template_declares_the_same_table() {
        let table = template_table();
        let declared: Vec<(&str, &str)> = table["AttributeDefinitions"]
            .as_sequence()
            .expect("AttributeDefinitions")
            .iter()
            .map(|a| (text(&a["AttributeName"]), text(&a["AttributeType"])))
            .collect();
        let expected: Vec<(&str, &str)> = key_attributes().into_iter().map(|a| (a, "S")).collect();
        assert_eq!(declared, expected);

        assert_eq!(key_schema(&table["KeySchema"]), PRIMARY);
        let indexes = table["GlobalSecondaryIndexes"].as_sequence().expect("GSIs");
        assert_eq!(indexes.len(), INDEXES.len());
        for (declared, expected) in indexes.iter().zip(INDEXES) {
            assert_eq!(text(&declared["IndexName"]), expected.name);
            assert_eq!(key_schema(&declared["KeySchema"]), expected.keys);
            assert_eq!(text(&declared["Projection"]["ProjectionType"]), "ALL");
        }

        assert_eq!(text(&table["BillingMode"]), BILLING_MODE);
        assert_eq!(
            text(&table["StreamSpecification"]["StreamViewType"]),
            STREAM_VIEW
        );
        assert_eq!(
            text(&table["TimeToLiveSpecification"]["AttributeName"]),
            TTL_ATTRIBUTE
        );
        assert_eq!(
            table["TimeToLiveSpecification"]["Enabled"].as_bool(),
            Some(true)
        );
        assert_eq!(
            table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"].as_bool(),
            Some(POINT_IN_TIME_RECOVERY)
        );
        assert_eq!(
            table["DeletionProtectionEnabled"].as_bool(),
            Some(DELETION_PROTECTION)
        );
        assert_eq!(
            table["SSESpecification"]["SSEEnabled"].as_bool(),
            Some(SERVER_SIDE_ENCRYPTION)
        );
    }
}

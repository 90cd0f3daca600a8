//! JSON Schemas (draft-07) of rubric and answer-sheet files, generated from the
//! serde model so they cannot drift from what the loader accepts. Editors that read
//! a `#:schema` line (Taplo, Even Better TOML) complete and check files with them.

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};

use crate::input::sheet::Sheet;
use crate::rubric::Rubric;

fn generate<T: JsonSchema>() -> Schema {
    SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<T>()
}

fn pretty(schema: &Schema) -> String {
    serde_json::to_string_pretty(schema).unwrap_or_default() + "\n"
}

/// The schema of rubric files, as pretty JSON ending in a newline.
pub fn rubric() -> String {
    pretty(&generate::<Rubric>())
}

/// The schema of answer sheets (TOML or JSON), as pretty JSON ending in a newline.
pub fn sheet() -> String {
    pretty(&generate::<Sheet>())
}

/// The rubric schema as a value, for validators.
pub fn rubric_value() -> serde_json::Value {
    generate::<Rubric>().to_value()
}

/// The sheet schema as a value, for validators.
pub fn sheet_value() -> serde_json::Value {
    generate::<Sheet>().to_value()
}

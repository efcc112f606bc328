//! Frameworks in and out of cib, in the formats other tools speak: 1EdTech CASE
//! packages (state systems, LMSs, OpenSALT) and CSV tables (spreadsheets, Moodle).
//!
//! Both directions live together because each format's mapping is one table read
//! both ways; a change to one side that the other does not mirror would break the
//! round trip the tests hold it to (export, import, export gives the same bytes).

pub mod case;
pub mod csv;
mod yaml;

pub(crate) use yaml::inline as yaml_scalar;

use serde_json::{Map, Value};

use crate::model::{CompetencyFramework, Framework};

/// The CASE package of framework `id` as the file `cib export case` and
/// `cib build` write: pretty JSON ending in a line break.
pub fn case_file(
    c: &crate::model::Curriculum,
    id: &crate::model::FrameworkId,
    base_uri: Option<&str>,
) -> Option<Vec<u8>> {
    let package = case::export(c, id, base_uri)?;
    let mut text = serde_json::to_string_pretty(&package).ok()?;
    text.push('\n');
    Some(text.into_bytes())
}

/// An external framework as the value its YAML file holds (for `cib import`).
pub fn framework_value(f: &Framework) -> Map<String, Value> {
    yaml::framework(f)
}

/// One of our competency frameworks as the value its YAML file holds.
pub fn competency_framework_value(f: &CompetencyFramework) -> Map<String, Value> {
    yaml::competency_framework(f)
}

/// The YAML text of a framework value, with the modeline naming `schema`
/// (a path relative to where the file will live).
pub fn yaml_file(value: &Map<String, Value>, schema: &str) -> String {
    yaml::document(value, schema)
}

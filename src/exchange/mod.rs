//! Frameworks in and out of cib, in the formats other tools speak: 1EdTech CASE
//! packages (state systems, LMSs, OpenSALT) and CSV tables (spreadsheets, Moodle).
//!
//! Both directions live together because each format's mapping is one table read
//! both ways; a change to one side that the other does not mirror would break the
//! round trip the tests hold it to (export, import, export gives the same bytes).

pub mod case;
pub mod cc;
pub mod csv;
pub mod outcomes;
mod yaml;

pub(crate) use yaml::inline as yaml_scalar;

use serde_json::{Map, Value};

use crate::diag::{Code, Diagnostic};
use crate::model::{CompetencyFramework, Curriculum, Framework, FrameworkId};

/// Findings for an imported competency framework aligned to frameworks that
/// `known` (the curriculum's) lacks: one per missing framework, at its first
/// alignment, with how many alignments point there.
pub fn missing_frameworks(imported: &Curriculum, known: &[FrameworkId]) -> Vec<Diagnostic> {
    let mut missing: Vec<(&FrameworkId, &crate::diag::Span, usize)> = Vec::new();
    for a in imported.competencies().flat_map(|k| &k.alignments) {
        let id = &a.target.value.framework;
        if known.contains(id) || imported.framework(id).is_some() {
            continue;
        }
        match missing.iter_mut().find(|(m, _, _)| *m == id) {
            Some((_, _, count)) => *count += 1,
            None => missing.push((id, &a.target.span, 1)),
        }
    }
    missing
        .into_iter()
        .map(|(id, span, count)| {
            Diagnostic::new(
                Code::MissingFramework,
                span.clone(),
                format!(
                    "{count} alignment{} point{} to framework `{id}`, which this curriculum does not have",
                    if count == 1 { "" } else { "s" },
                    if count == 1 { "s" } else { "" },
                ),
            )
            .with_label("no such framework under frameworks/")
            .with_hint(format!(
                "import `{id}` too (`cib import case` of its package), or write frameworks/{id}.yaml; until then `cib check` reports these alignments"
            ))
        })
        .collect()
}

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

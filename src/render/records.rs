//! Competency records of one competency framework (docs/records.md): a
//! record of one student's attainment to print and keep, and a class roster
//! grid, as data for `records.typ`.

use serde_json::{Value, json};

use crate::model::{CompetencyFramework, Curriculum};

/// How many students a roster page has columns for.
pub const ROSTER_COLUMNS: usize = 12;

/// The data of `f`'s records: its competencies in teaching order, grouped by
/// area, each with the assessments that evidence it.
pub(super) fn data(c: &Curriculum, f: &CompetencyFramework) -> Value {
    let evidence = c.evidence();
    let mut areas: Vec<(String, Vec<Value>)> = Vec::new();
    for k in &f.competencies {
        let area = k.area.clone().unwrap_or_default();
        let assessments: Vec<&str> = evidence
            .get(k.id.value.as_str())
            .into_iter()
            .flatten()
            .map(|e| e.assessment.id.value.as_str())
            .collect();
        let row = json!({
            "id": k.id.value.as_str(),
            "title": k.title,
            "hands_on": k.hands_on,
            "evidence": assessments,
        });
        match areas.last_mut() {
            Some((name, rows)) if *name == area => rows.push(row),
            _ => areas.push((area, vec![row])),
        }
    }
    let levels: Vec<Value> = match c.records_scale() {
        Some(scale) => scale
            .levels
            .iter()
            .map(|l| json!({"label": l.label, "description": l.description}))
            .collect(),
        None => vec![json!({"label": "Attained", "description": null})],
    };
    json!({
        "title": f.title,
        "id": f.id.value.as_str(),
        "version": f.version,
        "scale": c.records_scale().map(|s| s.title.as_str()),
        "levels": levels,
        "areas": areas
            .into_iter()
            .map(|(area, rows)| json!({"area": area, "competencies": rows}))
            .collect::<Vec<_>>(),
        "students": ROSTER_COLUMNS,
    })
}

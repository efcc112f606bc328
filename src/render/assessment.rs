//! The two sheets of an assessment: the student's task sheet and the
//! instructor's score sheet (docs/assessments.md), as data for
//! `assessment.typ`.
//!
//! Both come from one function, and the instructor's fields (setup, scoring
//! notes, model answers) are read only when the sheet is the score sheet: a
//! task sheet's data never holds them, so no template mistake can print them.

use std::path::Path;

use serde_json::{Value, json};

use super::markdown;
use crate::model::{Assessment, Curriculum};

/// Which sheet of an assessment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sheet {
    /// For the student: task, prints, rubric, inspection sheet to fill in.
    Task,
    /// For the instructor: the rubric to score, notes and model answers.
    Score,
}

impl Sheet {
    /// The sheet's name in file names: `<id>.task-sheet.pdf`.
    pub fn as_str(self) -> &'static str {
        match self {
            Sheet::Task => "task-sheet",
            Sheet::Score => "score-sheet",
        }
    }

    /// The sheet's name as printed.
    pub fn label(self) -> &'static str {
        match self {
            Sheet::Task => "Task sheet",
            Sheet::Score => "Score sheet",
        }
    }

    /// The sheet's title, as its heading, PDF title, bookmark and entry in a
    /// bundle's contents: both sheets of an assessment stand in an
    /// instructor bundle, and each must be told apart.
    pub fn title(self, a: &Assessment) -> String {
        format!("{} — {}", self.label(), a.title)
    }
}

/// The data one sheet of `a` shows.
pub(super) fn data(root: &Path, c: &Curriculum, a: &Assessment, sheet: Sheet) -> Value {
    let dir = markdown::image_dir(root, &a.folder);
    let md = |text: &str| markdown::blocks(text, &dir);
    let levels = c.rubric_levels(&a.rubric).unwrap_or_default();
    let demonstrates: Vec<Value> = a
        .demonstrates
        .iter()
        .map(|id| {
            let title = c.competency(id.value.as_str()).map(|k| k.title.as_str());
            json!({"id": id.value.as_str(), "title": title.unwrap_or("")})
        })
        .collect();
    let program = a
        .demonstrates
        .first()
        .and_then(|id| c.competency(id.value.as_str()))
        .and_then(|k| c.competency_framework(&k.framework))
        .map(|f| f.title.clone())
        .unwrap_or_default();
    let score = sheet == Sheet::Score;
    let instructor = &a.instructor;
    let criteria: Vec<Value> = a
        .rubric
        .criteria
        .iter()
        .map(|k| {
            let note = score
                .then(|| {
                    instructor
                        .scoring
                        .iter()
                        .find(|(id, _)| id.value == k.id.value)
                })
                .flatten()
                .map(|(_, note)| md(note))
                .unwrap_or_else(|| json!([]));
            json!({
                "id": k.id.value,
                "title": k.title,
                "competency": k.competency.value.as_str(),
                "critical": k.critical,
                "weight": k.weight,
                "descriptors": levels
                    .iter()
                    .map(|l| md(k.descriptor(&l.id).unwrap_or("")))
                    .collect::<Vec<_>>(),
                "note": note,
            })
        })
        .collect();
    let inspection: Vec<Value> = a
        .rubric
        .criteria
        .iter()
        .flat_map(|k| &k.measured)
        .map(|m| {
            let limits = m.limits().ok();
            let side = |f: fn(&crate::model::Limits) -> &Option<String>| {
                limits.as_ref().and_then(|l| f(l).clone())
            };
            json!({
                "feature": m.feature,
                "nominal": m.nominal.as_ref().map(|n| n.value.as_str()),
                "tolerance": m.tolerance.as_ref().map(|t| t.value.as_str()),
                "lower": side(|l| &l.lower),
                "upper": side(|l| &l.upper),
                "unit": m.unit,
                "instrument": m.instrument,
            })
        })
        .collect();
    let level_label = |id: &str| {
        levels
            .iter()
            .find(|l| l.id == id)
            .map_or(id.to_owned(), |l| l.label.clone())
    };
    let passing = &a.rubric.passing;
    let mut machines: Vec<&str> = Vec::new();
    for name in a.schedule.iter().filter_map(|s| s.machine.as_deref()) {
        if !machines.contains(&name) {
            machines.push(name);
        }
    }
    let optional = |show: bool, text: &Option<String>| match (show, text) {
        (true, Some(text)) => md(text),
        _ => json!([]),
    };
    json!({
        "sheet": sheet.label(),
        "score": score,
        "title": sheet.title(a),
        "kind": a.kind.label(),
        "program": program,
        "duration": a.duration_minutes,
        "machine_minutes": a.machine_minutes,
        "machines": machines,
        "demonstrates": demonstrates,
        "materials": a.materials.iter().map(|m| md(m)).collect::<Vec<_>>(),
        "safety": a.safety.iter().map(|s| md(s)).collect::<Vec<_>>(),
        "signoff": a.signoff.iter().map(|s| md(s)).collect::<Vec<_>>(),
        "schedule": a.schedule.iter().map(|s| json!({
            "step": md(&s.text),
            "minutes": s.minutes,
            "machine": s.machine,
        })).collect::<Vec<_>>(),
        "task": if score { json!([]) } else { md(&a.body) },
        "prints": a.prints.iter().map(|p| json!({
            "t": "image",
            "src": format!("{dir}/{}", p.src.value),
            "alt": p.alt.trim(),
            "title": p.title,
        })).collect::<Vec<_>>(),
        "levels": levels.iter().map(|l| json!({
            "label": l.label,
            "points": l.points,
            "description": l.description,
        })).collect::<Vec<_>>(),
        "criteria": criteria,
        "passing": {
            "level": level_label(&passing.level.value),
            "points": passing.points.as_ref().map(|p| p.value),
            "text": passing.text.as_deref().map(&md),
        },
        "inspection": inspection,
        "setup": optional(score, &instructor.setup),
        "notes": optional(score, &instructor.notes),
        "model_answers": optional(score, &instructor.model_answers),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_sheet_holds_no_instructor_material() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let checked = crate::check(root).unwrap();
        let c = &checked.curriculum;
        let a = c
            .assessments
            .iter()
            .find(|a| a.instructor.model_answers.is_some() && !a.instructor.scoring.is_empty())
            .expect("an assessment with model answers and scoring notes");
        let task = data(root, c, a, Sheet::Task).to_string();
        let score = data(root, c, a, Sheet::Score).to_string();
        let words = |text: &str| markdown::blocks(text, "/").to_string();
        let secrets = [
            &a.instructor.setup,
            &a.instructor.notes,
            &a.instructor.model_answers,
        ]
        .into_iter()
        .flatten()
        .map(|t| words(t))
        .chain(a.instructor.scoring.iter().map(|(_, note)| words(note)));
        for secret in secrets {
            let inner = secret.trim_start_matches('[').trim_end_matches(']');
            assert!(score.contains(inner), "the score sheet lacks {inner}");
            assert!(!task.contains(inner), "the task sheet holds {inner}");
        }
    }
}

//! An assessment's front matter into the typed [`Assessment`].

use serde_json::Value;

use super::{at, folder, keyed, raw, root, scale_levels, spanned};
use crate::load::Document;
use crate::model::*;

pub(super) fn resolve(doc: &Document, raw: raw::Assessment, text: &str, path: &str) -> Assessment {
    let kind = raw.kind.0.unwrap_or(AssessmentKind::Project);
    let instructor = raw.instructor.unwrap_or_default();
    let body = doc.body.clone().unwrap_or_default();
    Assessment {
        id: spanned(doc, "/id", AssessmentId::new(raw.id)),
        file: doc.file,
        title: raw.title,
        kind,
        evidence: raw.evidence.0.unwrap_or(kind.default_evidence()),
        demonstrates: raw
            .demonstrates
            .into_iter()
            .enumerate()
            .map(|(j, id)| spanned(doc, &format!("/demonstrates/{j}"), CompetencyId::new(id)))
            .collect(),
        duration_minutes: raw.duration.0.unwrap_or(0),
        duration: at(doc, "/duration"),
        machine_minutes: raw.machine_time.0.unwrap_or(0),
        machine_time: raw.machine_time.0.map(|_| at(doc, "/machine_time")),
        schedule: raw
            .schedule
            .into_iter()
            .map(|s| ScheduleStep {
                text: s.step,
                minutes: s.minutes.0.unwrap_or(0),
                machine: s.machine,
            })
            .collect(),
        prerequisites: raw
            .prerequisites
            .into_iter()
            .enumerate()
            .map(|(j, id)| spanned(doc, &format!("/prerequisites/{j}"), LessonId::new(id)))
            .collect(),
        materials: raw.materials,
        safety: raw.safety,
        signoff: raw.signoff,
        prints: raw
            .prints
            .into_iter()
            .enumerate()
            .map(|(i, p)| Print {
                src: spanned(doc, &format!("/prints/{i}/src"), p.src),
                alt: p.alt,
                title: p.title,
            })
            .collect(),
        rubric: rubric(doc, raw.rubric, text),
        instructor: AssessmentInstructor {
            setup: instructor.setup,
            notes: instructor.notes,
            scoring: instructor
                .scoring
                .into_iter()
                .map(|(id, note)| {
                    let span = keyed(doc, "/instructor/scoring", &id);
                    (Spanned { value: id, span }, note)
                })
                .collect(),
            model_answers: instructor.model_answers,
        },
        folder: folder(path),
        root: root(doc, path),
        body: text.get(body.clone()).unwrap_or_default().to_owned(),
        body_offset: body.start,
    }
}

fn rubric(doc: &Document, raw: raw::Rubric, text: &str) -> Rubric {
    let scale = match (raw.scale, raw.levels) {
        (Some(id), Some(_)) => RubricScale::Both(spanned(doc, "/rubric/scale", id)),
        (Some(id), None) => RubricScale::Named(spanned(doc, "/rubric/scale", id)),
        (None, Some(levels)) => RubricScale::Own(scale_levels(levels)),
        (None, None) => RubricScale::Missing,
    };
    let criteria = raw
        .criteria
        .into_iter()
        .enumerate()
        .map(|(i, k)| {
            let base = format!("/rubric/criteria/{i}");
            Criterion {
                id: spanned(doc, &format!("{base}/id"), k.id),
                title: k.title,
                competency: spanned(
                    doc,
                    &format!("{base}/competency"),
                    CompetencyId::new(k.competency),
                ),
                criterion: k
                    .criterion
                    .0
                    .map(|n| spanned(doc, &format!("{base}/criterion"), n)),
                critical: k.critical.0.unwrap_or(false),
                weight: k.weight.0.unwrap_or(1.0),
                descriptors: k
                    .levels
                    .into_iter()
                    .map(|(level, descriptor)| {
                        let span = keyed(doc, &format!("{base}/levels"), &level);
                        (Spanned { value: level, span }, descriptor)
                    })
                    .collect(),
                descriptors_span: at(doc, &format!("{base}/levels")),
                measured: k
                    .measured
                    .into_iter()
                    .enumerate()
                    .map(|(j, m)| {
                        let row = format!("{base}/measured/{j}");
                        let literal = |key: &str, value: Option<Value>| {
                            let pointer = format!("{row}/{key}");
                            value.map(|v| {
                                spanned(doc, &pointer, as_written(doc, &pointer, &v, text))
                            })
                        };
                        Measured {
                            feature: m.feature,
                            nominal: literal("nominal", m.nominal),
                            tolerance: literal("tolerance", m.tolerance),
                            min: literal("min", m.min),
                            max: literal("max", m.max),
                            unit: m.unit,
                            instrument: m.instrument,
                            span: at(doc, &row),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    Rubric {
        scale,
        passing: Passing {
            level: spanned(doc, "/rubric/passing/level", raw.passing.level),
            points: raw
                .passing
                .points
                .0
                .map(|p| spanned(doc, "/rubric/passing/points", p)),
            text: raw.passing.text,
        },
        criteria,
        span: at(doc, "/rubric"),
    }
}

/// A size as the author wrote it: text as it is, and a YAML number as its
/// source text, so `0.750` keeps the decimals that say how precise it is.
fn as_written(doc: &Document, pointer: &str, value: &Value, text: &str) -> String {
    match value {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => {
            let source = text.get(doc.spans.span(pointer)).unwrap_or("").trim();
            let same = source.parse::<f64>().ok() == n.as_f64();
            if same {
                source.to_owned()
            } else {
                n.to_string()
            }
        }
        other => other.to_string(),
    }
}

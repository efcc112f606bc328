//! C011: a rubric's descriptors, levels and passing standard fit its scale.

use std::collections::BTreeSet;

use crate::diag::{Code, Diagnostic, Span};
use crate::model::{Curriculum, RubricScale, ScaleLevel};

use super::Index;

fn finding(span: &Span, message: String) -> Diagnostic {
    Diagnostic::new(Code::RubricLevels, span.clone(), message)
}

pub fn check(c: &Curriculum, _: &Index, out: &mut Vec<Diagnostic>) {
    if let Some(settings) = &c.settings {
        for scale in &settings.scales {
            repeated(&scale.levels, &scale.id.span, &scale.id.value, out);
        }
    }
    for a in &c.assessments {
        let rubric = &a.rubric;
        match &rubric.scale {
            RubricScale::Missing => {
                out.push(
                    finding(&rubric.span, format!("the rubric of `{}` names no scale", a.id.value))
                        .with_label("no levels")
                        .with_hint("add `scale:` with the id of a scale in curriculum.yaml, or `levels:` of the rubric's own"),
                );
                continue;
            }
            RubricScale::Both(id) => out.push(
                finding(
                    &id.span,
                    "the rubric names a scale and gives levels of its own".into(),
                )
                .with_label("this scale counts")
                .with_hint("keep either `scale:` or `levels:`"),
            ),
            RubricScale::Own(levels) => repeated(levels, &rubric.span, "of the rubric", out),
            RubricScale::Named(_) => {}
        }
        // A scale that does not exist is R002's finding.
        let Some(levels) = c.rubric_levels(rubric) else {
            continue;
        };
        let ids: Vec<&str> = levels.iter().map(|l| l.id.as_str()).collect();
        for k in &rubric.criteria {
            let missing: Vec<&str> = ids
                .iter()
                .copied()
                .filter(|id| k.descriptor(id).is_none_or(|d| d.trim().is_empty()))
                .collect();
            if !missing.is_empty() {
                out.push(
                    finding(
                        &k.descriptors_span,
                        format!(
                            "criterion `{}` has no descriptor for {} {}",
                            k.id.value,
                            if missing.len() == 1 {
                                "level"
                            } else {
                                "levels"
                            },
                            quoted(&missing)
                        ),
                    )
                    .with_label(format!("missing {}", quoted(&missing)))
                    .with_hint("write what the work looks like at every level of the scale"),
                );
            }
            for (level, _) in &k.descriptors {
                if !ids.contains(&level.value.as_str()) {
                    out.push(
                        finding(
                            &level.span,
                            format!("`{}` is not a level of the rubric's scale", level.value),
                        )
                        .with_label("unknown level")
                        .with_suggestion(&level.value, ids.iter().copied())
                        .with_hint(format!("the levels are {}", quoted(&ids))),
                    );
                }
            }
        }
        let passing = &rubric.passing;
        if !ids.contains(&passing.level.value.as_str()) {
            out.push(
                finding(
                    &passing.level.span,
                    format!(
                        "the passing level `{}` is not a level of the rubric's scale",
                        passing.level.value
                    ),
                )
                .with_label("unknown level")
                .with_suggestion(&passing.level.value, ids.iter().copied())
                .with_hint(format!("the levels are {}", quoted(&ids))),
            );
        }
        if let Some(points) = &passing.points {
            points_reachable(levels, rubric, points, out);
        }
    }
}

/// The passing points need points on every level and must not exceed what the
/// rubric can give.
fn points_reachable(
    levels: &[ScaleLevel],
    rubric: &crate::model::Rubric,
    points: &crate::model::Spanned<f64>,
    out: &mut Vec<Diagnostic>,
) {
    let unscored: Vec<&str> = levels
        .iter()
        .filter(|l| l.points.is_none())
        .map(|l| l.id.as_str())
        .collect();
    if !unscored.is_empty() {
        out.push(
            finding(
                &points.span,
                format!(
                    "the passing standard counts points, but {} {} no points",
                    quoted(&unscored),
                    if unscored.len() == 1 { "has" } else { "have" }
                ),
            )
            .with_label("points")
            .with_hint("give every level `points:`, or pass by level alone"),
        );
        return;
    }
    let best = levels
        .iter()
        .filter_map(|l| l.points)
        .fold(0.0_f64, f64::max);
    let most: f64 = rubric.criteria.iter().map(|k| k.weight * best).sum();
    if points.value > most + 1e-9 {
        out.push(
            finding(
                &points.span,
                format!(
                    "the passing standard asks for {} points, but the rubric gives at most {}",
                    points.value, most
                ),
            )
            .with_label("unreachable")
            .with_hint("lower the passing points, or add criteria or weight"),
        );
    }
}

fn repeated(levels: &[ScaleLevel], span: &Span, name: &str, out: &mut Vec<Diagnostic>) {
    let mut seen = BTreeSet::new();
    for level in levels {
        if !seen.insert(level.id.as_str()) {
            out.push(
                finding(
                    span,
                    format!("the scale {name} has the level `{}` twice", level.id),
                )
                .with_label("repeated level")
                .with_hint("give every level its own id"),
            );
        }
    }
}

fn quoted(ids: &[&str]) -> String {
    ids.iter()
        .map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

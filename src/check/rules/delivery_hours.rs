//! C005: a competency framework that `delivers` an external framework must meet its
//! delivery requirements (OSHA outreach hours per topic, per group, in total).

use std::collections::BTreeMap;

use crate::diag::{Code, Diagnostic, Span};
use crate::model::{CompetencyFramework, Curriculum, Framework};

use super::Index;

pub fn check(c: &Curriculum, index: &Index, out: &mut Vec<Diagnostic>) {
    for course in &c.competency_frameworks {
        let Some(delivers) = &course.delivers else {
            continue;
        };
        // An unknown framework is R002's finding.
        let Some(framework) = index.frameworks.get(delivers.value.as_str()) else {
            continue;
        };
        let hours = hours_per_item(course, framework);
        let mut fail = |message: String, related: Option<(&Span, String)>| {
            let mut d = Diagnostic::new(Code::DeliveryHours, delivers.span.clone(), message)
                .with_label(format!("delivers `{}`", framework.id.value))
                .with_hint(
                    "raise the hours of the competencies aligned to it, or add a competency for it",
                );
            if let Some((span, text)) = related {
                d = d.with_related(span.clone(), text);
            }
            out.push(d);
        };
        for item in &framework.items {
            if let (Some(required), Some(true)) = (item.hours, item.required) {
                let got = hours.get(item.code.value.as_str()).copied().unwrap_or(0.0);
                if got + 1e-9 < required {
                    fail(
                        format!(
                            "`{}` ({}) gets {} h; `{}` requires at least {} h",
                            item.code.value,
                            item.title,
                            fmt(got),
                            framework.id.value,
                            fmt(required)
                        ),
                        Some((&item.code.span, "required hours set here".to_owned())),
                    );
                }
            }
        }
        let Some(requirements) = &framework.requirements else {
            continue;
        };
        for group in &requirements.groups {
            let taught: Vec<(&str, f64)> = framework
                .items
                .iter()
                .filter(|i| i.kind.as_deref() == Some(group.kind.as_str()))
                .filter_map(|i| {
                    hours
                        .get(i.code.value.as_str())
                        .map(|h| (i.code.value.as_str(), *h))
                })
                .filter(|(_, h)| *h > 0.0)
                .collect();
            if let Some(min) = group.min_topic_hours {
                for (code, got) in &taught {
                    if *got + 1e-9 < min {
                        fail(
                            format!(
                                "{} topic `{code}` gets {} h; each {} topic taught needs at least {} h",
                                group.kind,
                                fmt(*got),
                                group.kind,
                                fmt(min)
                            ),
                            None,
                        );
                    }
                }
            }
            if let Some(min) = group.min_topics
                && (taught.len() as u32) < min
            {
                fail(
                    format!(
                        "{} {} topic{} taught; `{}` requires at least {min}",
                        taught.len(),
                        group.kind,
                        if taught.len() == 1 { " is" } else { "s are" },
                        framework.id.value
                    ),
                    None,
                );
            }
            let total: f64 = taught.iter().map(|(_, h)| h).sum();
            if let Some(min) = group.min_hours
                && total + 1e-9 < min
            {
                fail(
                    format!(
                        "{} topics get {} h in all; `{}` requires at least {} h",
                        group.kind,
                        fmt(total),
                        framework.id.value,
                        fmt(min)
                    ),
                    None,
                );
            }
        }
        if let Some(min) = requirements.total_hours {
            let total: f64 = course.competencies.iter().map(|k| k.hours).sum();
            if total + 1e-9 < min {
                fail(
                    format!(
                        "the course totals {} h; `{}` requires at least {} h",
                        fmt(total),
                        framework.id.value,
                        fmt(min)
                    ),
                    None,
                );
            }
        }
    }
}

/// Each competency's hours, split evenly over the items of `framework` it aligns to.
fn hours_per_item<'f>(
    course: &CompetencyFramework,
    framework: &'f Framework,
) -> BTreeMap<&'f str, f64> {
    let mut hours = BTreeMap::new();
    for competency in &course.competencies {
        let targets: Vec<&str> = competency
            .alignments
            .iter()
            .filter(|a| a.target.value.framework == framework.id.value)
            .filter_map(|a| {
                framework
                    .items
                    .iter()
                    .find(|i| i.code.value == a.target.value.code)
                    .map(|i| i.code.value.as_str())
            })
            .collect();
        for code in &targets {
            *hours.entry(*code).or_insert(0.0) += competency.hours / targets.len() as f64;
        }
    }
    hours
}

fn fmt(hours: f64) -> String {
    let rounded = (hours * 100.0).round() / 100.0;
    rounded.to_string()
}

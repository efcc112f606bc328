//! The delivery records of a regulated course, as data for `delivery.typ`:
//! the topic outline with minutes, a sign-in sheet per session and the class
//! record, from the framework's stated requirements (docs/delivery-records.md).

use serde_json::{Value, json};

use crate::analyze::delivery::Delivery;
use crate::model::Curriculum;

/// Sign-in lines when the curriculum states no class size: a full page.
const DEFAULT_LINES: u32 = 24;
/// Lines past the class size, for a visitor or a student who joins.
const SPARE_LINES: u32 = 4;

/// Minutes as a person writes them: whole when whole, else to one decimal.
fn minutes(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

pub(super) fn data(c: &Curriculum, d: &Delivery<'_>) -> Value {
    let f = d.framework;
    let requirements = f.requirements.as_ref();
    let class = c
        .settings
        .as_ref()
        .and_then(|s| s.shop.as_ref())
        .map_or(DEFAULT_LINES, |shop| shop.students + SPARE_LINES);
    let lines = d.records.max_students.map_or(class, |most| class.min(most));
    // The sessions of a lesson, by number from 1.
    let numbers_of = |id: &str| -> Vec<usize> {
        d.sessions
            .iter()
            .enumerate()
            .filter(|(_, s)| s.lesson.id.value.as_str() == id)
            .map(|(i, _)| i + 1)
            .collect()
    };
    let title_of = |code: &str| -> String {
        f.items
            .iter()
            .find(|i| i.code.value == code)
            .map_or_else(|| code.to_owned(), |i| i.title.clone())
    };
    let group_of = |kind: Option<&str>| {
        requirements.and_then(|r| r.groups.iter().find(|g| Some(g.kind.as_str()) == kind))
    };
    let groups: Vec<Value> = requirements
        .map(|r| r.groups.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|g| {
            let taught: Vec<f64> = d
                .topics
                .iter()
                .filter(|t| t.item.kind.as_deref() == Some(g.kind.as_str()) && t.minutes > 0.0)
                .map(|t| t.minutes)
                .collect();
            let mut rule = Vec::new();
            if let Some(n) = g.min_topics {
                rule.push(format!("at least {n} topics"));
            }
            if let Some(h) = g.min_hours {
                rule.push(format!("at least {} min in all", minutes(h * 60.0)));
            }
            if let Some(h) = g.min_topic_hours {
                rule.push(format!(
                    "at least {} min for each topic taught",
                    minutes(h * 60.0)
                ));
            }
            json!({
                "kind": g.kind,
                "rule": rule.join(", "),
                "topics": taught.len(),
                "minutes": minutes(taught.iter().sum()),
            })
        })
        .collect();
    let settings = c.settings.as_ref();
    json!({
        "curriculum": settings.map(|s| format!("{}, version {}", s.publisher, s.version)),
        "also_keep": d.records.also_keep,
        "groups": groups,
        "framework": {
            "id": f.id.value.as_str(),
            "title": f.title,
            "publisher": f.publisher,
            "version": f.version,
        },
        "course": d.course.title,
        "who_may_teach": d.records.who_may_teach,
        "keep_years": d.records.keep_years,
        "max_students": d.records.max_students,
        "completion": d.records.completion,
        "completion_days": d.records.completion_days,
        "max_hours_per_day": requirements.and_then(|r| r.max_hours_per_day),
        "total_hours": requirements.and_then(|r| r.total_hours),
        "min_days": d.min_days(),
        "minutes": minutes(d.minutes()),
        "lines": lines,
        "topics": d.topics.iter().map(|t| json!({
            "code": t.item.code.value.as_str(),
            "title": t.item.title,
            "kind": t.item.kind,
            "required": match (t.item.hours, group_of(t.item.kind.as_deref()).and_then(|g| g.min_topic_hours)) {
                (Some(h), _) => Some(minutes(h * 60.0)),
                (None, Some(h)) => Some(format!("≥ {} if taught", minutes(h * 60.0))),
                (None, None) => None,
            },
            "minutes": minutes(t.minutes),
            "taught": t.minutes > 0.0,
            "sessions": t.lessons.iter().flat_map(|l| numbers_of(l.id.value.as_str())).collect::<Vec<_>>(),
            "exception": t.exception.map(|e| json!({"status": e.status.label()})),
        })).collect::<Vec<_>>(),
        "sessions": d.sessions.iter().enumerate().map(|(i, s)| json!({
            "number": i + 1,
            "title": s.lesson.title,
            "minutes": minutes(s.minutes),
            "topics": s.topics.iter().map(|(code, m)| json!({
                "code": code,
                "title": title_of(code),
                "minutes": minutes(*m),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

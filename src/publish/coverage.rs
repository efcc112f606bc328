//! The coverage reports as files: JSON for tools, CSV for spreadsheets.
//!
//! Both print the numbers of [`crate::analyze::coverage`] and compute nothing
//! of their own; one CSV row per JSON item, in the same order, with the same
//! rounding (hours to two decimals). The JSON shape is documented in
//! docs/coverage-json.md and versioned by `coverage_version`.

use serde_json::{Value, json};

use crate::analyze::coverage::{Coverage, FrameworkCoverage, Status, Tally, ThresholdResult};
use crate::model::Curriculum;

/// The rules behind the numbers, printed with every report.
pub const RULES: &str = "A leaf item is assessed when a lesson assesses a competency aligned to it, \
taught when a lesson teaches one, aligned when a competency is aligned to it but no lesson teaches \
it yet, and a gap otherwise. A parent item has the weakest status of its leaves, raised to what \
competencies aligned to the parent itself reach. Hours: a lesson's minutes are split equally among \
the competencies it teaches, and a competency's among the items of the framework it is aligned to; \
a parent adds up its own and its children's hours. Percentages count leaf items, provisional \
items included; provisional items are also counted apart.";

/// Minutes as hours to two decimals (`+ 0.0` turns an empty sum's `-0.0` into 0).
fn hours(minutes: f64) -> f64 {
    (minutes / 60.0 * 100.0).round() / 100.0 + 0.0
}

fn tally(t: &Tally) -> Value {
    let mut counts = serde_json::Map::new();
    counts.insert("total".into(), t.total().into());
    for status in Status::ALL {
        counts.insert(status.as_str().into(), t.count(status).into());
    }
    let percent: serde_json::Map<String, Value> =
        [Status::Aligned, Status::Taught, Status::Assessed]
            .into_iter()
            .map(|s| {
                let p = (t.percent_at_least(s) * 10.0).round() / 10.0;
                (s.as_str().to_owned(), p.into())
            })
            .collect();
    counts.insert("percent_at_least".into(), Value::Object(percent));
    Value::Object(counts)
}

fn framework_json(f: &FrameworkCoverage<'_>) -> Value {
    let fw = f.framework;
    let required = fw
        .requirements
        .as_ref()
        .and_then(|r| r.total_hours)
        .or(fw.hours);
    json!({
        "id": fw.id.value.as_str(),
        "title": fw.title,
        "publisher": fw.publisher,
        "version": fw.version,
        "leaves": tally(&f.leaves()),
        "provisional_leaves": tally(&f.provisional),
        "planned_hours": hours(f.minutes),
        "required_hours": required,
        "items": f.items.iter().map(|i| {
            json!({
                "code": i.item.code.value,
                "title": i.item.title,
                "parent": i.item.parent.map(|p| fw.items[p].code.value.as_str()),
                "depth": i.item.depth,
                "leaf": i.leaf,
                "verification": match i.item.status {
                    crate::model::Status::Verified => "verified",
                    crate::model::Status::Provisional => "provisional",
                },
                "status": i.status.as_str(),
                "planned_hours": hours(i.minutes),
                "required_hours": i.item.hours,
                "competencies": i.competencies.iter().map(|(k, relation)| json!({
                    "id": k.id.value.as_str(),
                    "relation": relation.as_str(),
                })).collect::<Vec<_>>(),
                "teaching": i.teaching.iter().map(|l| l.id.value.as_str()).collect::<Vec<_>>(),
                "assessing": i.assessing.iter().map(|l| l.id.value.as_str()).collect::<Vec<_>>(),
                "leaves": tally(&i.leaves()),
            })
        }).collect::<Vec<_>>(),
    })
}

fn threshold_json(t: &ThresholdResult<'_>) -> Value {
    json!({
        "framework": t.threshold.framework.value.as_str(),
        "item": t.threshold.item.as_ref().map(|i| i.value.as_str()),
        "status": match t.threshold.status {
            crate::model::CoverageStatus::Aligned => "aligned",
            crate::model::CoverageStatus::Taught => "taught",
            crate::model::CoverageStatus::Assessed => "assessed",
        },
        "min_percent": t.threshold.min_percent,
        "percent": (t.percent * 10.0).round() / 10.0,
        "items": t.items,
        "met": t.met,
    })
}

/// `coverage.json`.
pub fn json(c: &Curriculum, coverage: &Coverage<'_>, thresholds: &[ThresholdResult<'_>]) -> Value {
    let settings = c.settings.as_ref();
    json!({
        "coverage_version": 1,
        "generator": format!("cib {}", env!("CARGO_PKG_VERSION")),
        "curriculum": {
            "title": settings.map(|s| s.title.as_str()),
            "version": settings.map(|s| s.version.as_str()),
            "date": settings.map(|s| s.date.as_str()),
        },
        "rules": RULES,
        "frameworks": coverage.frameworks.iter().map(framework_json).collect::<Vec<_>>(),
        "thresholds": thresholds.iter().map(threshold_json).collect::<Vec<_>>(),
    })
}

const HTML: &str = include_str!("coverage.html");

/// `coverage.html`: one self-contained page (styles and script inline) with the
/// numbers of `report` (the JSON value), a search and a status filter, every
/// item linked to its competencies and lessons, and the reverse view.
pub fn html(c: &Curriculum, report: &Value) -> String {
    let share = |leaves: &Value, status: &str| {
        let total = leaves["total"].as_u64().unwrap_or(0);
        let count = leaves[status].as_u64().unwrap_or(0);
        if total == 0 {
            "0 %".to_owned()
        } else {
            format!("{:.0} %", count as f64 * 100.0 / total as f64)
        }
    };
    let frameworks: Vec<Value> = report["frameworks"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            let mut f = f.clone();
            let shares: serde_json::Map<String, Value> = Status::ALL
                .iter()
                .map(|s| {
                    (
                        s.as_str().to_owned(),
                        share(&f["leaves"], s.as_str()).into(),
                    )
                })
                .collect();
            f["share"] = Value::Object(shares);
            for item in f["items"].as_array_mut().into_iter().flatten() {
                let search = [
                    text(&item["code"]),
                    text(&item["title"]),
                    item["competencies"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|k| text(&k["id"]))
                        .collect::<Vec<_>>()
                        .join(" "),
                    text(&item["teaching"]),
                    text(&item["status"]),
                ]
                .join(" ")
                .to_lowercase();
                item["search"] = search.into();
                item["anchor"] = anchor(&text(&item["code"])).into();
            }
            f
        })
        .collect();
    let minutes = crate::analyze::coverage::competency_minutes(c);
    let competencies: Vec<Value> = c
        .competencies()
        .map(|k| {
            let id = k.id.value.as_str();
            json!({
                "id": id,
                "title": k.title,
                "hours": hours(minutes.get(id).copied().unwrap_or(0.0)),
                "targets": k.alignments.iter().map(|a| json!({
                    "framework": a.target.value.framework.as_str(),
                    "code": a.target.value.code,
                    "anchor": anchor(&a.target.value.code),
                    "relation": a.relation.as_str(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let lessons: Vec<Value> = c
        .lessons
        .iter()
        .map(|l| {
            json!({
                "id": l.id.value.as_str(),
                "title": l.title,
                "minutes": l.duration_minutes,
                "teaches": l.teaches.iter().map(|t| t.value.as_str()).collect::<Vec<_>>(),
                "assesses": l.assesses.iter().map(|t| t.value.as_str()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let context = json!({
        "lang": c.settings.as_ref().map(|s| s.language.as_str()).unwrap_or("en"),
        "report": report,
        "frameworks": frameworks,
        "competencies": competencies,
        "lessons": lessons,
    });
    super::render_html("coverage.html", HTML, &context)
}

/// An item code as an HTML id fragment: letters, digits and `-` only, with
/// every other character as `_` and its code point, so distinct codes stay
/// distinct.
fn anchor(code: &str) -> String {
    code.chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || ch == '-' {
                ch.to_string()
            } else {
                format!("_{:x}", u32::from(ch))
            }
        })
        .collect()
}

/// The report files, by path in the output folder.
pub fn files(
    c: &Curriculum,
    coverage: &Coverage<'_>,
    thresholds: &[ThresholdResult<'_>],
) -> Vec<(String, Vec<u8>)> {
    let json = json(c, coverage, thresholds);
    let csv = csv(&json);
    let html = html(c, &json);
    let mut json_bytes = serde_json::to_vec_pretty(&json).expect("JSON values serialize");
    json_bytes.push(b'\n');
    vec![
        ("reports/coverage.json".into(), json_bytes),
        ("reports/coverage.csv".into(), csv.into_bytes()),
        ("reports/coverage.html".into(), html.into_bytes()),
    ]
}

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 14] = [
    "framework",
    "code",
    "title",
    "parent",
    "depth",
    "leaf",
    "verification",
    "status",
    "planned_hours",
    "required_hours",
    "competencies",
    "relations",
    "teaching_lessons",
    "assessing_lessons",
];

/// `coverage.csv`: a UTF-8 byte-order mark (so Excel reads UTF-8), a header
/// row, then one row per item of every framework, fields quoted as RFC 4180
/// says. Text starting with `=`, `+`, `-` or `@` gets a leading `'` so that a
/// spreadsheet shows it rather than running it as a formula.
pub fn csv(json: &Value) -> String {
    let mut out = String::from("\u{feff}");
    push_row(&mut out, CSV_COLUMNS.iter().map(|c| (*c).to_owned()));
    for f in json["frameworks"].as_array().into_iter().flatten() {
        for item in f["items"].as_array().into_iter().flatten() {
            let list = |key: &str, field: Option<&str>| {
                item[key]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|v| match field {
                        Some(name) => text(&v[name]),
                        None => text(v),
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            push_row(
                &mut out,
                [
                    text(&f["id"]),
                    text(&item["code"]),
                    text(&item["title"]),
                    text(&item["parent"]),
                    text(&item["depth"]),
                    text(&item["leaf"]),
                    text(&item["verification"]),
                    text(&item["status"]),
                    text(&item["planned_hours"]),
                    text(&item["required_hours"]),
                    list("competencies", Some("id")),
                    list("competencies", Some("relation")),
                    list("teaching", None),
                    list("assessing", None),
                ]
                .into_iter(),
            );
        }
    }
    out
}

fn text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn push_row(out: &mut String, fields: impl Iterator<Item = String>) {
    let fields: Vec<String> = fields.map(|f| field(&f)).collect();
    out.push_str(&fields.join(","));
    out.push_str("\r\n");
}

fn field(value: &str) -> String {
    let guarded = match value.chars().next() {
        Some('=' | '+' | '-' | '@') if value.parse::<f64>().is_err() => format!("'{value}"),
        _ => value.to_owned(),
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_keep_codes_apart() {
        assert_eq!(anchor("1.A.01a"), "1_2eA_2e01a");
        assert_ne!(anchor("A.1"), anchor("A-1"));
        assert_ne!(anchor("A 1"), anchor("A_1"));
    }

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(field("-1.5"), "-1.5");
    }
}

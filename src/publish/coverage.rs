//! The coverage reports as files: JSON for tools, CSV for spreadsheets.
//!
//! Both print the numbers of [`crate::analyze::coverage`] and compute nothing
//! of their own; one CSV row per JSON item, in the same order, with the same
//! rounding (hours to two decimals). The JSON shape is documented in
//! docs/coverage-json.md and versioned by `coverage_version`.

use serde_json::{Value, json};

use super::push_row;
use crate::analyze::coverage::{
    Coverage, FrameworkCoverage, ItemCoverage, Reached, Status, Tally, ThresholdResult,
};
use crate::load::Provenance;
use crate::model::{
    AssociationEnd, Audience, CoverageStatus, Curriculum, Exception, ItemRef, Relation,
};

/// The version of coverage.json's shape (docs/coverage-json.md): 2 added
/// `demonstrated` and every item's `assessments`; 3 added exceptions (status
/// `excepted`), evidence weight by relation, hour requirements, hours
/// thresholds and provenance. Baselines of every earlier version compare:
/// statuses, items and alignments kept their meaning.
pub const VERSION: u64 = 3;

/// The rules behind the numbers, printed with every report.
pub const RULES: &str = "A competency covers an item it is the same as, a part of, or contains \
whole; one only related to an item is listed but covers nothing and adds no hours. A leaf item is demonstrated \
when a performance assessment's rubric has a criterion tied to a competency covering it, \
assessed when a lesson or a written assessment assesses one, taught when a lesson teaches one, \
aligned when a competency covers it but no lesson teaches it yet, and a gap otherwise. A parent \
item has the weakest status of its leaves, raised only by competencies that are the same as the \
whole parent or contain it. An exception in curriculum.yaml takes an item and everything below it out of the \
counts, with its reason: it is neither a gap nor covered. Hours: a lesson's minutes are split \
equally among the competencies it teaches, and a competency's among the items of the framework \
it covers; a parent adds up its own and its children's hours. Percentages count leaf items that \
are not excepted, provisional items included; provisional items are also counted apart.";

/// Minutes as hours to one decimal, as every report prints them (`+ 0.0`
/// turns an empty sum's `-0.0` into 0).
fn hours(minutes: f64) -> f64 {
    round1(minutes / 60.0)
}

fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0 + 0.0
}

fn tally(t: &Tally) -> Value {
    let mut counts = serde_json::Map::new();
    counts.insert("total".into(), t.total().into());
    for status in Status::ALL {
        counts.insert(status.as_str().into(), t.count(status).into());
    }
    // Percentages to one decimal, by status name.
    let percents = |statuses: &[Status], of: &dyn Fn(Status) -> f64| -> Value {
        let map: serde_json::Map<String, Value> = statuses
            .iter()
            .map(|&s| (s.as_str().to_owned(), round1(of(s)).into()))
            .collect();
        Value::Object(map)
    };
    counts.insert(
        "percent_at_least".into(),
        percents(&Status::ALL[1..], &|s| t.percent_at_least(s)),
    );
    counts.insert("percent".into(), percents(&Status::ALL, &|s| t.percent(s)));
    Value::Object(counts)
}

fn exception_json(e: &Exception) -> Value {
    json!({
        "status": e.status.as_str(),
        "label": e.status.label(),
        "reason": e.reason.as_deref().map(str::trim),
        "approved_by": e.approved_by,
        "approved_on": e.approved_on,
        "from": e.item.value,
    })
}

/// An item's status as the reports print it: `excepted` when an exception
/// takes it out of the counts.
fn status(i: &ItemCoverage<'_>) -> &'static str {
    if i.is_excepted() {
        "excepted"
    } else {
        i.status.as_str()
    }
}

fn item_json(c: &Curriculum, fw: &crate::model::Framework, i: &ItemCoverage<'_>) -> Value {
    let percent = i
        .item
        .hours
        .filter(|h| *h > 0.0)
        .map(|h| round1(i.minutes / 60.0 * 100.0 / h));
    let lesson_titles: serde_json::Map<String, Value> = i
        .teaching
        .iter()
        .chain(&i.assessing)
        .map(|l| (l.id.value.to_string(), l.title.clone().into()))
        .collect();
    let mut item = json!({
        "code": i.item.code.value,
        "title": i.item.title,
        "parent": i.item.parent.map(|p| fw.items[p].code.value.as_str()),
        "depth": i.item.depth,
        "leaf": i.leaf,
        "verification": i.item.status.as_str(),
        "our_code": i.item.our_code,
        "status": status(i),
        "exception": i.exception.map(exception_json),
        "planned_hours": hours(i.minutes),
        "required_hours": i.item.hours,
        "hours_percent": percent,
        "hours_met": i.hours_met(),
        "competencies": i.competencies.iter().map(|(k, relation)| json!({
            "id": k.id.value.as_str(),
            "title": k.title,
            "relation": relation.as_str(),
            "words": relation.words(),
            "covers": relation.covers(),
            "deferred": k.deferred.as_ref().map(|d| json!({"reason": d.reason, "until": d.until})),
        })).collect::<Vec<_>>(),
        "related": i.related.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "related_titles": i.related.iter().map(|r| {
            let title = c
                .framework(&r.framework)
                .and_then(|f| f.items.iter().find(|x| x.code.value == r.code))
                .map(|x| x.title.as_str())
                .unwrap_or("");
            let framework = c.framework(&r.framework).map(|f| f.title.as_str()).unwrap_or("");
            format!("{framework}: {} {title}", r.code)
        }).collect::<Vec<_>>(),
        "teaching": i.teaching.iter().map(|l| l.id.value.as_str()).collect::<Vec<_>>(),
        "assessing": i.assessing.iter().map(|l| l.id.value.as_str()).collect::<Vec<_>>(),
        "lesson_titles": lesson_titles,
        "assessments": i.evidence.iter().map(|e| json!({
            "id": e.assessment.id.value.as_str(),
            "title": e.assessment.title,
            "kind": e.assessment.kind.as_str(),
            "evidence": e.assessment.evidence.as_str(),
            "criteria": e.criteria,
            "criteria_titles": e.criteria.iter().map(|id| {
                e.assessment.rubric.criteria.iter().find(|k| k.id.value == *id).map_or(*id, |k| k.title.as_str())
            }).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "leaves": tally(&i.leaves()),
    });
    // Only an item that has them carries its CASE identity and associations,
    // so a report of hand-written frameworks reads as before.
    if let Some(case) = &i.item.case {
        item["case_identifier"] = case.identifier.clone().into();
    }
    if !i.item.associations.is_empty() {
        let links: Vec<Value> = i
            .item
            .associations
            .iter()
            .map(|a| match &a.to {
                AssociationEnd::Item(code) => {
                    json!({"type": a.kind, "to": code.value, "anchor": anchor(&code.value)})
                }
                AssociationEnd::Node {
                    identifier,
                    uri,
                    title,
                } => json!({"type": a.kind, "node": {"identifier": identifier, "uri": uri, "title": title}}),
            })
            .collect();
        item["associations"] = links.into();
    }
    item
}

fn framework_json(c: &Curriculum, f: &FrameworkCoverage<'_>) -> Value {
    let fw = f.framework;
    json!({
        "id": fw.id.value.as_str(),
        "title": fw.title,
        "publisher": fw.publisher,
        "version": fw.version,
        "leaves": tally(&f.leaves()),
        "provisional_leaves": tally(&f.provisional),
        "ours": f.ours,
        "caveat": caveat(f.leaves().total(), f.provisional.total()),
        "excepted": f.excepted,
        "planned_hours": hours(f.minutes),
        "required_hours": fw.required_hours(),
        "hours_percent": fw.required_hours().filter(|r| *r > 0.0).map(|r| round1(f.minutes / 60.0 * 100.0 / r)),
        "hours_met": f.hours_met(),
        "hours": f.hours.iter().map(|h| json!({
            "requirement": h.requirement,
            "planned": if h.topics { h.planned } else { round1(h.planned) },
            "required": h.required,
            "unit": if h.topics { "topics" } else { "hours" },
            "percent": (!h.topics && h.required > 0.0).then(|| round1(h.planned * 100.0 / h.required)),
            "short": (!h.met()).then(|| round1(h.required - h.planned)),
            "met": h.met(),
        })).collect::<Vec<_>>(),
        "items": f.items.iter().map(|i| item_json(c, fw, i)).collect::<Vec<_>>(),
    })
}

/// What a share of these items is not, when some are unconfirmed (our own
/// breakdown of an owner's topic among them): every report that prints such
/// a share prints this with it. Codes of ours on the owner's own items do not
/// change what a share means.
fn caveat(items: usize, provisional: usize) -> Option<String> {
    (provisional > 0).then(|| {
        format!(
            "{provisional} of the {items} items counted are provisional, not confirmed in the owner's document: a share of them is a share of this curriculum's own list, not yet of the official framework"
        )
    })
}

/// A percentage as the reports print it: no decimals when it is whole.
fn num(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

fn threshold_json(c: &Curriculum, t: &ThresholdResult<'_>) -> Value {
    let framework = c.framework(&t.threshold.framework.value);
    let item = t.threshold.item.as_ref().map(|i| i.value.as_str());
    let found = item.and_then(|code| framework?.items.iter().find(|i| i.code.value == code));
    let mut value = json!({
        "framework": t.threshold.framework.value.as_str(),
        "framework_title": framework.map(|f| f.title.as_str()),
        "item": item,
        "item_title": found.map(|i| i.title.as_str()),
        "item_marks": found.map(|i| i.marks().join(", ")),
        "met": t.met,
    });
    match t.reached {
        Reached::Coverage {
            status,
            min_percent,
            percent,
            items,
            provisional,
        } => {
            value["kind"] = "coverage".into();
            value["status"] = status.as_str().into();
            value["min_percent"] = min_percent.into();
            value["percent"] = round1(percent).into();
            value["items"] = items.into();
            // A status counts with every stronger one: say so, as the badge
            // of the same name means exactly that status.
            let reach = match status {
                CoverageStatus::Demonstrated => "demonstrated".to_owned(),
                other => format!("{} or better", other.as_str()),
            };
            let mut text = format!(
                "at least {} % of {items} leaf items {reach}: {} % reached",
                num(min_percent),
                num(round1(percent))
            );
            if let Some(caveat) = caveat(items, provisional) {
                text = format!("{text} ({caveat})");
            }
            value["text"] = text.into();
        }
        Reached::Hours { min_hours, planned } => {
            value["kind"] = "hours".into();
            value["min_hours"] = min_hours.into();
            value["planned_hours"] = round1(planned).into();
            let short = min_hours - planned;
            value["text"] = if t.met {
                format!("at least {min_hours:.1} h planned: {planned:.1} h planned")
            } else {
                format!(
                    "at least {min_hours:.1} h planned: {planned:.1} h planned, {short:.1} h short"
                )
            }
            .into();
        }
    }
    value
}

/// Every leaf gap and every exception, framework by framework, for the table
/// the HTML and PDF open with.
fn gaps_and_exceptions(coverage: &Coverage<'_>) -> (Vec<Value>, Vec<Value>) {
    let mut gaps = Vec::new();
    let mut exceptions = Vec::new();
    for f in &coverage.frameworks {
        let fw = f.framework;
        for i in &f.items {
            if i.leaf && !i.is_excepted() && i.status == Status::Gap {
                gaps.push(json!({
                    "framework": fw.id.value.as_str(),
                    "framework_title": fw.title,
                    "code": i.item.code.value,
                    "title": i.item.title,
                    "verification": i.item.status.as_str(),
                    "our_code": i.item.our_code,
                    "related": i.competencies.iter()
                        .filter(|(_, r)| *r == Relation::IsRelatedTo)
                        .map(|(k, _)| k.title.as_str())
                        .collect::<Vec<_>>(),
                }));
            }
            if let Some(e) = i.exception
                && e.item.value == i.item.code.value
            {
                let mut value = exception_json(e);
                value["framework"] = fw.id.value.as_str().into();
                value["framework_title"] = fw.title.as_str().into();
                value["code"] = i.item.code.value.as_str().into();
                value["title"] = i.item.title.as_str().into();
                value["verification"] = i.item.status.as_str().into();
                value["our_code"] = i.item.our_code.into();
                value["leaves"] = i.excepted.into();
                exceptions.push(value);
            }
        }
    }
    (gaps, exceptions)
}

/// `coverage.json`.
pub fn json(
    c: &Curriculum,
    coverage: &Coverage<'_>,
    thresholds: &[ThresholdResult<'_>],
    provenance: &Provenance,
) -> Value {
    let settings = c.settings.as_ref();
    let (gaps, exceptions) = gaps_and_exceptions(coverage);
    let relations: Vec<Value> = Relation::ALL
        .iter()
        .map(|r| json!({"relation": r.as_str(), "words": r.words(), "covers": r.covers()}))
        .collect();
    json!({
        "coverage_version": VERSION,
        "generator": format!("cib {}", env!("CARGO_PKG_VERSION")),
        "curriculum": {
            "title": settings.map(|s| s.title.as_str()),
            "version": settings.map(|s| s.version.as_str()),
            "date": settings.map(|s| s.date.as_str()),
            "publisher": settings.map(|s| s.publisher.as_str()),
            "school": settings.and_then(|s| s.school.as_deref()),
            "cip": settings.and_then(|s| s.cip.as_deref()),
        },
        "source": {
            "commit": provenance.commit,
            "checksum": format!("sha256:{}", provenance.checksum),
            "files": provenance.files,
        },
        "rules": RULES,
        "relations": relations,
        "gaps": gaps,
        "exceptions": exceptions,
        "frameworks": coverage.frameworks.iter().map(|f| framework_json(c, f)).collect::<Vec<_>>(),
        "thresholds": thresholds.iter().map(|t| threshold_json(c, t)).collect::<Vec<_>>(),
    })
}

const HTML: &str = include_str!("coverage.html");

/// `coverage.html`: one self-contained page (styles and script inline) with the
/// numbers of `report` (the JSON value), a search and a status filter, every
/// item linked to its competencies and lessons, and the reverse view.
pub fn html(c: &Curriculum, report: &Value) -> String {
    let share = |leaves: &Value, status: &str| {
        format!("{:.0} %", leaves["percent"][status].as_f64().unwrap_or(0.0))
    };
    let anchored = |list: &Value| -> Vec<Value> {
        let mut list = list.as_array().cloned().unwrap_or_default();
        for entry in &mut list {
            entry["anchor"] = anchor(&text(&entry["code"])).into();
        }
        list
    };
    let gaps = anchored(&report["gaps"]);
    let exceptions = anchored(&report["exceptions"]);
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
            f["hours_text"] = hours_text(&f["planned_hours"], &f["required_hours"]).into();
            for h in f["hours"].as_array_mut().into_iter().flatten() {
                let topics = h["unit"] == "topics";
                let amount = |v: &Value| {
                    let n = v.as_f64().unwrap_or(0.0);
                    if topics {
                        format!("{n:.0} topics")
                    } else {
                        format!("{n:.1} h")
                    }
                };
                let (planned, required) = (amount(&h["planned"]), amount(&h["required"]));
                h["planned_text"] = planned.into();
                h["required_text"] = required.into();
                h["percent_text"] = match h["percent"].as_f64() {
                    Some(p) => format!("{p:.0} %"),
                    None => "—".to_owned(),
                }
                .into();
            }
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
                    item["assessments"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|a| text(&a["id"]))
                        .collect::<Vec<_>>()
                        .join(" "),
                    text(&item["status"]),
                ]
                .join(" ")
                .to_lowercase();
                item["search"] = search.into();
                item["hours_text"] =
                    hours_text(&item["planned_hours"], &item["required_hours"]).into();
                item["anchor"] = anchor(&text(&item["code"])).into();
                let titles = item["related_titles"].as_array().cloned().unwrap_or_default();
                let links: Vec<Value> = item["related"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .zip(titles)
                    .map(|(r, title)| {
                        let r = text(r);
                        let (framework, code) = r.split_once(':').unwrap_or((&r, ""));
                        let marks = ItemRef::parse(&r)
                            .and_then(|target| c.item(&target).map(|i| i.marks().join(", ")))
                            .unwrap_or_default();
                        json!({"framework": framework, "anchor": anchor(code), "text": text(&title), "marks": marks})
                    })
                    .collect();
                item["related_links"] = links.into();
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
                    "words": a.relation.words(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let pdf =
        |l: &crate::model::Lesson, audience| format!("../{}", super::lesson_path(l, audience));
    let lessons: Vec<Value> = c
        .lessons
        .iter()
        .map(|l| {
            json!({
                "id": l.id.value.as_str(),
                "title": l.title,
                "instructor_pdf": pdf(l, Audience::Instructor),
                "student_pdf": pdf(l, Audience::Student),
                "minutes": l.duration_minutes,
                "teaches": l.teaches.iter().map(|t| t.value.as_str()).collect::<Vec<_>>(),
                "assesses": l.assesses.iter().map(|t| t.value.as_str()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let assessments: Vec<Value> = c
        .assessments
        .iter()
        .map(|a| {
            json!({
                "id": a.id.value.as_str(),
                "title": a.title,
                "kind": a.kind.label(),
                "evidence": a.evidence.as_str(),
                "minutes": a.duration_minutes,
                "machine_minutes": a.machine_minutes,
                "demonstrates": a.demonstrates.iter().map(|d| d.value.as_str()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let changes: Vec<Value> = report["baseline"]["changes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|change| {
            let removed = change["kind"] == "item-removed";
            json!({
                "text": describe(change),
                "framework": change["framework"],
                "anchor": if removed { Value::Null } else { anchor(&text(&change["code"])).into() },
            })
        })
        .collect();
    // What is not met, in words, for the top of the page.
    let mut not_met: Vec<String> = Vec::new();
    for f in report["frameworks"].as_array().into_iter().flatten() {
        for h in f["hours"].as_array().into_iter().flatten() {
            if h["met"] == false {
                not_met.push(format!(
                    "{}: {}, {} planned of {} required, {} short",
                    text(&f["title"]),
                    text(&h["requirement"]),
                    text(&h["planned"]),
                    text(&h["required"]),
                    text(&h["short"]),
                ));
            }
        }
    }
    for t in report["thresholds"].as_array().into_iter().flatten() {
        if t["met"] == false {
            not_met.push(format!(
                "Threshold {}: {}",
                text(&t["framework_title"]),
                text(&t["text"])
            ));
        }
    }
    let lesson_index: serde_json::Map<String, Value> = lessons
        .iter()
        .map(|l| (text(&l["id"]), l.clone()))
        .collect();
    let context = json!({
        "gaps": gaps,
        "approved": exceptions.iter().filter(|e| !e["approved_by"].is_null() || !e["approved_on"].is_null()).count(),
        "exceptions": exceptions,
        "not_met": not_met,
        "lesson_index": lesson_index,
        "changes": changes,
        "lang": c.settings.as_ref().map(|s| s.language.as_str()).unwrap_or("en"),
        "report": report,
        "frameworks": frameworks,
        "competencies": competencies,
        "lessons": lessons,
        "assessments": assessments,
    });
    super::render_html("coverage.html", HTML, &context)
}

/// Planned against required hours as the HTML prints them: "1.4 / 2 h
/// (70 %, not met)", or "1.4 h" when nothing is required.
fn hours_text(planned: &Value, required: &Value) -> String {
    let planned_hours = planned.as_f64().unwrap_or(0.0);
    match required.as_f64() {
        None => format!("{} h", text(planned)),
        Some(r) if r > 0.0 => {
            let met = crate::analyze::coverage::reaches(planned_hours, r);
            format!(
                "{} / {} h ({:.0} %, {})",
                text(planned),
                text(required),
                planned_hours * 100.0 / r,
                if met { "met" } else { "not met" }
            )
        }
        Some(_) => format!("{} / 0 h", text(planned)),
    }
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

/// The report as a JSON value ([`json`]), with a `baseline` section saying what
/// changed (see [`compare`]) when an earlier coverage.json value is given.
/// Every format is written from this one value.
pub fn report(
    c: &Curriculum,
    coverage: &Coverage<'_>,
    thresholds: &[ThresholdResult<'_>],
    provenance: &Provenance,
    baseline: Option<&Value>,
) -> Value {
    let mut report = json(c, coverage, thresholds, provenance);
    if let Some(old) = baseline {
        let changes = compare(old, &report);
        report["baseline"] = json!({
            "curriculum": old["curriculum"],
            "changes": changes,
        });
    }
    report
}

/// The report files, by path in the output folder.
pub fn files(c: &Curriculum, report: &Value) -> Vec<(String, Vec<u8>)> {
    let csv = csv(report);
    let html = html(c, report);
    let mut json_bytes = serde_json::to_vec_pretty(report).expect("JSON values serialize");
    json_bytes.push(b'\n');
    vec![
        ("reports/coverage.json".into(), json_bytes),
        ("reports/coverage.csv".into(), csv.into_bytes()),
        ("reports/coverage.html".into(), html.into_bytes()),
    ]
}

/// What changed between two coverage reports (`old`, `new`: coverage.json
/// values), framework by framework in the new report's order, then
/// frameworks only the old one has. Each change is an object with
/// `framework`, `code` and `kind`: `item-added`, `item-removed`, `status`
/// (with `from` and `to`), `alignment-added` or `alignment-removed` (with
/// `competency` and `relation`).
pub fn compare(old: &Value, new: &Value) -> Vec<Value> {
    let frameworks = |report: &Value| -> Vec<Value> {
        report["frameworks"].as_array().cloned().unwrap_or_default()
    };
    let (old_fws, new_fws) = (frameworks(old), frameworks(new));
    let mut ids: Vec<String> = new_fws.iter().map(|f| text(&f["id"])).collect();
    ids.extend(
        old_fws
            .iter()
            .map(|f| text(&f["id"]))
            .filter(|id| !new_fws.iter().any(|f| text(&f["id"]) == *id)),
    );
    let items = |fws: &[Value], id: &str| -> Vec<Value> {
        fws.iter()
            .find(|f| text(&f["id"]) == id)
            .and_then(|f| f["items"].as_array().cloned())
            .unwrap_or_default()
    };
    let alignments = |item: &Value| -> Vec<(String, String)> {
        item["competencies"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|k| (text(&k["id"]), text(&k["relation"])))
            .collect()
    };
    let mut changes = Vec::new();
    for id in &ids {
        let (before, after) = (items(&old_fws, id), items(&new_fws, id));
        let change =
            |code: &Value, kind: &str| json!({"framework": id, "code": code, "kind": kind});
        for item in &after {
            let Some(prior) = before.iter().find(|b| b["code"] == item["code"]) else {
                changes.push(change(&item["code"], "item-added"));
                continue;
            };
            if prior["status"] != item["status"] {
                let mut c = change(&item["code"], "status");
                c["from"] = prior["status"].clone();
                c["to"] = item["status"].clone();
                changes.push(c);
            }
            let (was, is) = (alignments(prior), alignments(item));
            for (kind, list, other) in [
                ("alignment-added", &is, &was),
                ("alignment-removed", &was, &is),
            ] {
                for (competency, relation) in list.iter().filter(|a| !other.contains(a)) {
                    let mut c = change(&item["code"], kind);
                    c["competency"] = competency.as_str().into();
                    c["relation"] = relation.as_str().into();
                    changes.push(c);
                }
            }
        }
        for item in before
            .iter()
            .filter(|b| !after.iter().any(|a| a["code"] == b["code"]))
        {
            changes.push(change(&item["code"], "item-removed"));
        }
    }
    changes
}

/// A Markdown summary for a CI job's step summary (`$GITHUB_STEP_SUMMARY`):
/// frameworks, thresholds, every gap and every change. GitHub shows only a few
/// annotations per step, so this carries the full lists. `under` lists the
/// frameworks below `--fail-under`.
pub fn markdown(report: &Value, fail_under: Option<f64>, under: &[(&str, f64)]) -> String {
    let mut out = format!(
        "## Coverage — {}, version {}\n\n",
        text(&report["curriculum"]["title"]),
        text(&report["curriculum"]["version"])
    );
    out.push_str("| Framework | Items | Demonstrated | Assessed | Taught | Aligned only | Gap | Excepted | Hours planned / required |\n");
    out.push_str("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    let frameworks = report["frameworks"].as_array().cloned().unwrap_or_default();
    for f in &frameworks {
        let leaves = &f["leaves"];
        let total = leaves["total"].as_u64().unwrap_or(0);
        let cell = |s: &str| {
            let n = leaves[s].as_u64().unwrap_or(0);
            let pct = leaves["percent"][s].as_f64().unwrap_or(0.0);
            format!("{n} ({pct:.0} %)")
        };
        out.push_str(&format!(
            "| {} | {total} | {} | {} | {} | {} | {} | {} | {} |\n",
            md(&text(&f["title"])),
            cell("demonstrated"),
            cell("assessed"),
            cell("taught"),
            cell("aligned"),
            cell("gap"),
            text(&f["excepted"]),
            match f["required_hours"] {
                Value::Null => format!("{} h / —", text(&f["planned_hours"])),
                _ => hours_text(&f["planned_hours"], &f["required_hours"]),
            }
        ));
    }
    let caveats: Vec<String> = frameworks
        .iter()
        .filter(|f| f["caveat"].is_string())
        .map(|f| {
            format!(
                "- {}: {}\n",
                md(&text(&f["title"])),
                md(&text(&f["caveat"]))
            )
        })
        .collect();
    if !caveats.is_empty() {
        out.push('\n');
        out.push_str(&caveats.concat());
    }
    let thresholds = report["thresholds"].as_array().cloned().unwrap_or_default();
    if !thresholds.is_empty() || fail_under.is_some() {
        out.push_str("\n### Thresholds\n\n| Scope | Requirement and result | Result |\n| --- | --- | --- |\n");
        let verdict = |met: bool| if met { "✅ met" } else { "❌ **not met**" };
        for t in &thresholds {
            let scope = match text(&t["item"]).as_str() {
                "" => text(&t["framework"]),
                item => format!("{} {item}", text(&t["framework"])),
            };
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                md(&scope),
                md(&text(&t["text"])),
                verdict(t["met"] == true)
            ));
        }
        if let Some(min) = fail_under {
            for f in &frameworks {
                let id = text(&f["id"]);
                let below = under.iter().any(|(u, _)| *u == id);
                out.push_str(&format!(
                    "| {} | `--fail-under`: at least {min} % taught: {} % reached | {} |\n",
                    md(&id),
                    text(&f["leaves"]["percent_at_least"]["taught"]),
                    verdict(!below)
                ));
            }
        }
    }
    let unmet_hours: Vec<String> = frameworks
        .iter()
        .flat_map(|f| {
            let title = text(&f["title"]);
            f["hours"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter(|h| h["met"] == false)
                .map(move |h| {
                    format!(
                        "- {}: {} — {} of {} {} planned, {} short: not met\n",
                        md(&title),
                        md(&text(&h["requirement"])),
                        text(&h["planned"]),
                        text(&h["required"]),
                        text(&h["unit"]),
                        text(&h["short"])
                    )
                })
        })
        .collect();
    if !unmet_hours.is_empty() {
        out.push_str(&format!("\n### Hours not met ({})\n\n", unmet_hours.len()));
        out.extend(unmet_hours);
    }
    let gaps: Vec<String> = report["gaps"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|g| {
            format!(
                "- `{}:{}` {}\n",
                text(&g["framework"]),
                text(&g["code"]),
                md(&text(&g["title"]))
            )
        })
        .collect();
    out.push_str(&format!("\n### Gaps ({})\n\n", gaps.len()));
    if gaps.is_empty() {
        out.push_str("Every leaf item is covered or excepted.\n");
    }
    out.extend(gaps);
    let exceptions: Vec<String> = report["exceptions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            format!(
                "- `{}:{}` {} — {}: {}\n",
                text(&e["framework"]),
                text(&e["code"]),
                md(&text(&e["title"])),
                text(&e["label"]),
                md(&text(&e["reason"]))
            )
        })
        .collect();
    if !exceptions.is_empty() {
        out.push_str(&format!("\n### Exceptions ({})\n\n", exceptions.len()));
        out.extend(exceptions);
    }
    if let Some(changes) = report["baseline"]["changes"].as_array() {
        out.push_str(&format!(
            "\n### Changes since version {} ({})\n\n",
            text(&report["baseline"]["curriculum"]["version"]),
            changes.len()
        ));
        if changes.is_empty() {
            out.push_str("No item, status or alignment changed.\n");
        }
        for change in changes {
            out.push_str(&format!("- {}\n", md(&describe(change))));
        }
    }
    out
}

/// Text placed in Markdown: characters that would start formatting, a table
/// cell or a link are escaped.
pub(crate) fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_[]<>|#".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Every baseline change of a report in words (none without a baseline).
pub fn described_changes(report: &Value) -> Vec<String> {
    report["baseline"]["changes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(describe)
        .collect()
}

/// One change in words, for the terminal, the CSV and the HTML report.
pub fn describe(change: &Value) -> String {
    let what = match change["kind"].as_str().unwrap_or("") {
        "item-added" => "new item".to_owned(),
        "item-removed" => "item removed".to_owned(),
        "status" => format!("{} → {}", text(&change["from"]), text(&change["to"])),
        "alignment-added" => format!(
            "now aligned: {} ({})",
            text(&change["competency"]),
            relation_words(&text(&change["relation"]))
        ),
        "alignment-removed" => format!(
            "no longer aligned: {} ({})",
            text(&change["competency"]),
            relation_words(&text(&change["relation"]))
        ),
        other => other.to_owned(),
    };
    format!(
        "{}:{} {what}",
        text(&change["framework"]),
        text(&change["code"])
    )
}

/// A relation as coverage.json names it (CASE's name), in plain words.
fn relation_words(name: &str) -> String {
    Relation::ALL
        .into_iter()
        .find(|r| r.as_str() == name)
        .map_or_else(|| name.to_owned(), |r| r.words().to_owned())
}

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 23] = [
    "framework",
    "code",
    "title",
    "parent",
    "depth",
    "leaf",
    "verification",
    "our_code",
    "status",
    "exception",
    "exception_reason",
    "planned_hours",
    "required_hours",
    "hours_met",
    "competencies",
    "relations",
    "related_items",
    "teaching_lessons",
    "assessing_lessons",
    "assessments",
    "assessment_criteria",
    "baseline_status",
    "changes",
];

/// `coverage.csv`: a UTF-8 byte-order mark (so Excel reads UTF-8), a header
/// row, then one row per item of every framework, fields quoted as RFC 4180
/// says. Text starting with `=`, `+`, `-` or `@` gets a leading `'` so that a
/// spreadsheet shows it rather than running it as a formula.
pub fn csv(json: &Value) -> String {
    let mut out = String::from("\u{feff}");
    push_row(&mut out, CSV_COLUMNS.iter().map(|c| (*c).to_owned()));
    let changes: &[Value] = json["baseline"]["changes"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let has_baseline = json.get("baseline").is_some();
    for f in json["frameworks"].as_array().into_iter().flatten() {
        for item in f["items"].as_array().into_iter().flatten() {
            let mine: Vec<&Value> = changes
                .iter()
                .filter(|c| c["framework"] == f["id"] && c["code"] == item["code"])
                .collect();
            let baseline_status = if !has_baseline {
                String::new()
            } else if mine.iter().any(|c| c["kind"] == "item-added") {
                "new".to_owned()
            } else {
                mine.iter()
                    .find(|c| c["kind"] == "status")
                    .map(|c| text(&c["from"]))
                    .unwrap_or_else(|| text(&item["status"]))
            };
            let described: Vec<String> = mine
                .iter()
                .map(|c| {
                    let full = describe(c);
                    full.split_once(' ')
                        .map(|(_, what)| what.to_owned())
                        .unwrap_or(full)
                })
                .collect();
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
                    text(&item["our_code"]),
                    text(&item["status"]),
                    text(&item["exception"]["label"]),
                    text(&item["exception"]["reason"]),
                    text(&item["planned_hours"]),
                    text(&item["required_hours"]),
                    text(&item["hours_met"]),
                    list("competencies", Some("id")),
                    list("competencies", Some("words")),
                    list("related", None),
                    list("teaching", None),
                    list("assessing", None),
                    evidence(item, false),
                    evidence(item, true),
                    baseline_status,
                    described.join("; "),
                ]
                .into_iter(),
            );
        }
    }
    out
}

/// An item's assessments for the CSV: their ids and evidence (`id
/// (performance)`), or every criterion as `assessment:criterion`.
fn evidence(item: &Value, criteria: bool) -> String {
    let assessments = item["assessments"].as_array().into_iter().flatten();
    let cells: Vec<String> = if criteria {
        assessments
            .flat_map(|a| {
                let id = text(&a["id"]);
                a["criteria"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(move |k| format!("{id}:{}", text(k)))
            })
            .collect()
    } else {
        assessments
            .map(|a| format!("{} ({})", text(&a["id"]), text(&a["evidence"])))
            .collect()
    };
    cells.join("; ")
}

fn text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compare_finds_removed_items_and_added_alignments() {
        let old = serde_json::json!({"frameworks": [{"id": "f", "items": [
            {"code": "1", "status": "taught", "competencies": []},
            {"code": "2", "status": "gap", "competencies": []},
        ]}, {"id": "gone", "items": [{"code": "x", "status": "gap"}]}]});
        let new = serde_json::json!({"frameworks": [{"id": "f", "items": [
            {"code": "1", "status": "taught", "competencies": [{"id": "K", "relation": "isPartOf"}]},
        ]}]});
        let changes = compare(&old, &new);
        let described: Vec<String> = changes.iter().map(describe).collect();
        assert_eq!(
            described,
            [
                "f:1 now aligned: K (part of)",
                "f:2 item removed",
                "gone:x item removed"
            ]
        );
        assert!(compare(&new, &new).is_empty());
    }

    #[test]
    fn markdown_text_cannot_format_or_break_tables() {
        assert_eq!(md("a|b *c* <d>"), "a\\|b \\*c\\* \\<d\\>");
    }

    #[test]
    fn anchors_keep_codes_apart() {
        assert_eq!(anchor("1.A.01a"), "1_2eA_2e01a");
        assert_ne!(anchor("A.1"), anchor("A-1"));
        assert_ne!(anchor("A 1"), anchor("A_1"));
    }
}

//! Stage: the catalog page instructors download bundles from.
//!
//! One self-contained HTML file (styles and script inline, no fonts or scripts
//! from elsewhere) that works from `file://` as well as from any web server.
//! Without JavaScript every bundle is listed; with it, a search box and filters
//! narrow the list. The page carries no build time, so the same curriculum gives
//! the same bytes.

pub mod coverage;
pub mod records;
pub mod web;

use minijinja::Environment;
use serde_json::{Value, json};

use crate::model::{Assessment, Bundle, CompetencyFramework, Curriculum, Lesson};
use crate::render::Sheet;

const TEMPLATE: &str = include_str!("site.html");

/// A file the catalog links to, by its path relative to the catalog page.
#[derive(Clone)]
pub struct FileInfo {
    pub href: String,
    pub size: usize,
    pub sha256: String,
}

/// A framework and the files the build exported it as.
pub struct FrameworkFiles<'a> {
    pub id: &'a crate::model::FrameworkId,
    pub case: FileInfo,
    pub csv: FileInfo,
    /// Moodle's competency-framework CSV, in an instructors' site.
    pub moodle: Option<FileInfo>,
}

/// A bundle and the files the build made for it.
pub struct BundleFiles<'a> {
    pub bundle: &'a Bundle,
    pub lessons: Vec<&'a Lesson>,
    pub zip: FileInfo,
    /// The bundle's LMS course, for a student bundle in an instructors' site.
    pub cartridge: Option<FileInfo>,
    pub pdf: FileInfo,
    pub pages: usize,
    /// One per lesson, in the order of `lessons`.
    pub lesson_pdfs: Vec<FileInfo>,
    /// The assessments' sheets the bundle holds, in bundle order.
    pub sheets: Vec<(&'a Assessment, Sheet, FileInfo)>,
}

/// A competency framework's records: the PDF to print and the gradebook CSV.
pub struct RecordFiles<'a> {
    pub framework: &'a CompetencyFramework,
    pub pdf: FileInfo,
    pub csv: FileInfo,
}

/// Renders `index.html`, with a coverage summary that links to the reports.
pub fn site(
    c: &Curriculum,
    bundles: &[BundleFiles<'_>],
    frameworks: &[FrameworkFiles<'_>],
    canvas_outcomes: Option<&FileInfo>,
    records: &[RecordFiles<'_>],
    coverage: &crate::analyze::coverage::Coverage<'_>,
    students_only: bool,
) -> String {
    use crate::analyze::coverage::Status;
    let coverage_rows: Vec<Value> = coverage
        .frameworks
        .iter()
        .map(|f| {
            let leaves = f.leaves();
            json!({
                "title": f.framework.title,
                "items": leaves.total(),
                "taught": format!("{:.0} %", leaves.percent_at_least(Status::Taught)),
                "assessed": format!("{:.0} %", leaves.percent_at_least(Status::Assessed)),
                "demonstrated": format!("{:.0} %", leaves.percent_at_least(Status::Demonstrated)),
                "gaps": leaves.count(Status::Gap),
                "excepted": f.excepted,
                "provisional": f.provisional.total(),
                "ours": f.ours,
            })
        })
        .collect();
    let settings = c.settings.as_ref();
    let field = |f: fn(&crate::model::Settings) -> &str| settings.map(f).unwrap_or("");
    let mut programs: Vec<(String, String, Vec<Value>)> = Vec::new();
    for files in bundles {
        let (id, name) = program(c, files.bundle);
        let entry = bundle_data(c, files, &id);
        match programs.iter_mut().find(|(p, _, _)| *p == id) {
            Some((_, _, list)) => list.push(entry),
            None => programs.push((id, name, vec![entry])),
        }
    }
    let mut lesson_ids: Vec<&str> = bundles
        .iter()
        .flat_map(|b| b.lessons.iter().map(|l| l.id.value.as_str()))
        .collect();
    lesson_ids.sort_unstable();
    lesson_ids.dedup();
    let minutes: u32 = c
        .lessons
        .iter()
        .filter(|l| lesson_ids.binary_search(&l.id.value.as_str()).is_ok())
        .map(|l| l.duration_minutes)
        .sum();
    let context = json!({
        "lang": field(|s| &s.language),
        "cib_version": env!("CARGO_PKG_VERSION"),
        "students_only": students_only,
        "title": field(|s| &s.title),
        "publisher": field(|s| &s.publisher),
        "version": field(|s| &s.version),
        "date": field(|s| &s.date),
        "license": field(|s| &s.license),
        "description": settings.and_then(|s| s.description.as_deref()).unwrap_or("").trim(),
        "bundles": bundles.iter().map(|b| b.bundle.id.value.as_str()).collect::<Vec<_>>(),
        "lesson_count": lesson_ids.len(),
        "hours": crate::render::hours_label(minutes),
        "coverage": coverage_rows,
        "frameworks": frameworks.iter().map(|f| framework_data(c, f)).collect::<Vec<_>>(),
        "canvas_outcomes": canvas_outcomes.map(file_data),
        "records": records.iter().map(|r| json!({
            "id": r.framework.id.value.as_str(),
            "title": r.framework.title,
            "competencies": r.framework.competencies.len(),
            "pdf": file_data(&r.pdf),
            "csv": file_data(&r.csv),
        })).collect::<Vec<_>>(),
        "programs": programs.into_iter().map(|(id, name, bundles)| json!({
            "id": id, "name": name, "bundles": bundles,
        })).collect::<Vec<_>>(),
    });
    render_html("site.html", TEMPLATE, &context)
}

/// Where a lesson's PDF for an audience lies in the output folder; the
/// reports and the catalog link it.
pub fn lesson_path(lesson: &crate::model::Lesson, audience: crate::model::Audience) -> String {
    format!("lessons/{}.{}.pdf", lesson.id.value, audience.as_str())
}

/// Where an assessment sheet's web page lies in the output folder.
pub fn assessment_web_path(a: &Assessment, sheet: Sheet) -> String {
    format!("site/assessments/{}.{}.html", a.id.value, sheet.as_str())
}

/// Where a lesson's web page for an audience lies in the output folder, in
/// the catalog's folder so that the catalog and its pages move together.
pub fn web_path(lesson: &crate::model::Lesson, audience: crate::model::Audience) -> String {
    format!(
        "site/lessons/{}.{}.html",
        lesson.id.value,
        audience.as_str()
    )
}

/// Renders one of our embedded HTML templates with `context`, escaping every
/// value. The templates and their data are both ours, so a failure is a bug.
pub(crate) fn render_html(name: &str, template: &str, context: &Value) -> String {
    let mut env = Environment::new();
    env.set_formatter(|out, _state, value| {
        let text = value.to_string();
        let text = if value.is_safe() {
            text
        } else {
            escape_html(&text)
        };
        out.write_str(&text).map_err(minijinja::Error::from)
    });
    env.add_template(name, template)
        .unwrap_or_else(|e| panic!("the embedded template {name} does not parse: {e}"));
    env.get_template(name)
        .and_then(|t| t.render(minijinja::value::Serde(context)))
        .unwrap_or_else(|e| panic!("the embedded template {name} does not render: {e}"))
}

/// The heading a bundle is listed under: the group its author names, its
/// competency frameworks, or the frameworks a bundle chosen by alignment is
/// aligned to (which need not be exams).
fn program(c: &Curriculum, bundle: &Bundle) -> (String, String) {
    if let Some(group) = &bundle.group {
        let id = crate::model::slug(group).unwrap_or_default();
        return (format!("group-{id}"), group.clone());
    }
    if bundle.frameworks.is_empty() {
        if bundle.aligned_to.is_empty() {
            return ("selected".into(), "Selected lessons".into());
        }
        let mut ids: Vec<&str> = bundle
            .aligned_to
            .iter()
            .map(|a| a.value.framework.as_str())
            .collect();
        ids.dedup();
        let names: Vec<&str> = ids
            .iter()
            .map(|id| {
                c.frameworks
                    .iter()
                    .find(|f| f.id.value.as_str() == *id)
                    .map_or(*id, |f| f.title.as_str())
            })
            .collect();
        return (
            format!("aligned-{}", ids.join("+")),
            format!("Lessons aligned to {}", names.join(" and ")),
        );
    }
    let ids: Vec<&str> = bundle.frameworks.iter().map(|f| f.value.as_str()).collect();
    let names: Vec<&str> = bundle
        .frameworks
        .iter()
        .map(|f| {
            c.competency_framework(&f.value)
                .map_or(f.value.as_str(), |k| k.title.as_str())
        })
        .collect();
    (ids.join("+"), names.join(" and "))
}

fn bundle_data(c: &Curriculum, files: &BundleFiles<'_>, program_id: &str) -> Value {
    let bundle = files.bundle;
    // In the scale's order, lowest first.
    let scale = c.settings.as_ref().map(|s| s.competency_levels.as_slice());
    let mut levels: Vec<&str> = files
        .lessons
        .iter()
        .flat_map(|l| crate::analyze::taught(c, l))
        .map(|k| k.level.value.as_str())
        .collect();
    levels.sort_by_key(|l| scale.and_then(|s| s.iter().position(|x| x == l)));
    levels.dedup();
    let minutes: u32 = files.lessons.iter().map(|l| l.duration_minutes).sum();
    let lessons: Vec<Value> = files
        .lessons
        .iter()
        .zip(&files.lesson_pdfs)
        .map(|(lesson, pdf)| {
            let competencies: Vec<Value> = crate::analyze::taught(c, lesson)
                .iter()
                .map(|k| {
                    json!({
                        "id": k.id.value.as_str(),
                        "title": k.title,
                        "codes": k.alignments.iter().map(|a| {
                            let marks = c.item(&a.target.value).map(|i| i.marks().join(", ")).unwrap_or_default();
                            if marks.is_empty() {
                                a.target.value.to_string()
                            } else {
                                format!("{} ({marks})", a.target.value)
                            }
                        }).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let search = format!("{} {} {}", lesson.title, lesson.id.value, competencies
                .iter()
                .map(|k| format!("{} {} {}", k["id"], k["title"], k["codes"]))
                .collect::<Vec<_>>()
                .join(" "))
            .to_lowercase();
            json!({
                "id": lesson.id.value.as_str(),
                "title": lesson.title,
                "minutes": lesson.duration_minutes,
                "competencies": competencies,
                "pdf": file_data(pdf),
                "web": web_path(lesson, bundle.audience).trim_start_matches("site/"),
                "search": search,
            })
        })
        .collect();
    let search = format!(
        "{} {} {} {}",
        bundle.title,
        bundle.id.value,
        bundle.description.as_deref().unwrap_or(""),
        program_id
    )
    .to_lowercase();
    json!({
        "id": bundle.id.value.as_str(),
        "title": bundle.title,
        "description": bundle.description.as_deref().unwrap_or("").trim(),
        "audience": bundle.audience.as_str(),
        "audience_label": match bundle.audience {
            crate::model::Audience::Instructor => "Instructors",
            crate::model::Audience::Student => "Students",
        },
        "levels": levels.join(", "),
        "hours": crate::render::hours_label(minutes),
        "pages": files.pages,
        "zip": file_data(&files.zip),
        "cartridge": files.cartridge.as_ref().map(file_data),
        "pdf": file_data(&files.pdf),
        "lessons": lessons,
        "assessments": assessments_data(files),
        "who_may_teach": crate::analyze::delivery::regulated_course(c, bundle)
            .map(|(_, framework, records)| json!({
                "framework": framework.title,
                "text": records.who_may_teach.trim(),
            })),
        "search": search,
    })
}

/// A bundle's assessments, each with the links to its sheets.
fn assessments_data(files: &BundleFiles<'_>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for (a, sheet, info) in &files.sheets {
        if out
            .last()
            .is_none_or(|last| last["id"] != a.id.value.as_str())
        {
            let search = format!(
                "{} {} {} {}",
                a.title,
                a.id.value,
                a.kind.label(),
                a.demonstrates
                    .iter()
                    .map(|d| d.value.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            )
            .to_lowercase();
            out.push(json!({
                "id": a.id.value.as_str(),
                "title": a.title,
                "kind": a.kind.label(),
                "minutes": a.duration_minutes,
                "machine_minutes": a.machine_minutes,
                "demonstrates": a.demonstrates.iter().map(|d| d.value.as_str()).collect::<Vec<_>>(),
                "sheets": [],
                "search": search,
            }));
        }
        if let Some(Value::Array(list)) = out.last_mut().and_then(|last| last.get_mut("sheets")) {
            list.push(json!({
                "label": sheet.label(),
                "pdf": file_data(info),
                "web": assessment_web_path(a, *sheet).trim_start_matches("site/"),
            }));
        }
    }
    out
}

/// One CSV row: fields quoted as RFC 4180 says, ended by CRLF. Text starting
/// with `=`, `+`, `-` or `@` gets a leading `'` so that a spreadsheet shows
/// it rather than running it as a formula.
pub(crate) fn push_row(out: &mut String, fields: impl Iterator<Item = String>) {
    let fields: Vec<String> = fields.map(|f| field(&f)).collect();
    out.push_str(&fields.join(","));
    out.push_str("\r\n");
}

fn field(value: &str) -> String {
    let guarded = crate::defuse_csv_cell(value);
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded.into_owned()
    }
}

fn framework_data(c: &Curriculum, files: &FrameworkFiles<'_>) -> Value {
    let (title, owner, version) = match c.framework(files.id) {
        Some(f) => (f.title.as_str(), f.publisher.as_str(), f.version.as_str()),
        None => {
            let f = c.competency_framework(files.id);
            (
                f.map_or("", |f| f.title.as_str()),
                "ours",
                f.map_or("", |f| f.version.as_str()),
            )
        }
    };
    json!({
        "id": files.id.as_str(),
        "title": title,
        "owner": owner,
        "version": version,
        "case": file_data(&files.case),
        "csv": file_data(&files.csv),
        "moodle": files.moodle.as_ref().map(file_data),
    })
}

/// Escapes what would end text or an attribute value. (minijinja's own HTML
/// escaping also turns every `/` into `&#x2f;`, which makes links unreadable
/// in the page source without making them any safer.)
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn file_data(file: &FileInfo) -> Value {
    json!({"href": file.href, "size": size_label(file.size), "sha256": file.sha256})
}

/// Sizes as people read them: `812 KB`, `3.4 MB` (decimal units, as browsers show).
fn size_label(bytes: usize) -> String {
    let bytes = bytes as f64;
    if bytes < 1_000.0 {
        format!("{bytes} bytes")
    } else if bytes < 1_000_000.0 {
        format!("{:.0} KB", bytes / 1_000.0)
    } else {
        format!("{:.1} MB", bytes / 1_000_000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cannot_become_markup() {
        assert_eq!(
            escape_html(r#"<script>"x" & 'y'</script> a/b"#),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt; a/b"
        );
    }

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(field("-1.5"), "-1.5");
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(size_label(512), "512 bytes");
        assert_eq!(size_label(812_400), "812 KB");
        assert_eq!(size_label(3_420_000), "3.4 MB");
    }
}

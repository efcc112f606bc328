//! Frameworks as LMS outcomes: Canvas's outcomes CSV and Moodle's
//! competency-framework CSV, keyed on the identifiers `cib export case`
//! writes, so that an alignment made in the LMS names the same standard as
//! the CASE package does.
//!
//! The two formats are read by their importers, not by people: Canvas
//! matches columns by name and needs every group before the rows that name
//! it; Moodle matches columns by position and builds one framework per file,
//! so each framework gets its own Moodle file. Cells are never prefixed
//! against spreadsheet formulas, as the other CSVs are: neither importer
//! would strip the prefix.

use crate::exchange::case;
use crate::model::{Curriculum, FrameworkId, Scale};

/// The LMS whose outcome format to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lms {
    Canvas,
    Moodle,
}

/// Canvas's columns (`doc/api/outcomes_csv.md` in canvas-lms). `ratings`
/// comes last; the rating pairs run on in the unnamed columns after it.
/// `mastery_points` is left out: Canvas versions before it refuse the column.
pub const CANVAS_COLUMNS: [&str; 10] = [
    "vendor_guid",
    "object_type",
    "title",
    "description",
    "display_name",
    "calculation_method",
    "calculation_int",
    "workflow_state",
    "parent_guids",
    "ratings",
];

/// Moodle's columns, in the order its importer reads them
/// (`admin/tool/lpimportcsv/tests/fixtures/example.csv` in moodle).
pub const MOODLE_COLUMNS: [&str; 14] = [
    "Parent id number",
    "Id number",
    "Shortname",
    "Description",
    "Description format",
    "Scale values",
    "Scale configuration",
    "Rule type (optional)",
    "Rule outcome (optional)",
    "Rule config (optional)",
    "Cross referenced competency id numbers",
    "Exported id (optional)",
    "Is framework",
    "Taxonomy",
];

/// Moodle's `FORMAT_PLAIN`: our descriptions are plain text.
const PLAIN: &str = "2";
/// Moodle cuts id numbers and short names to this many characters.
const MOODLE_SHORT: usize = 100;

/// One node of a framework as an LMS sees it: an item or a competency.
struct Node {
    id: String,
    parent: Option<String>,
    code: String,
    title: String,
    description: String,
    /// Whether other nodes sit under it (Canvas makes it a group).
    has_children: bool,
}

/// A framework's nodes in file order, parents before children.
fn nodes(c: &Curriculum, id: &FrameworkId) -> Option<(String, String, Vec<Node>)> {
    let framework_id = case::framework_identifier(c, id);
    if let Some(f) = c.framework(id) {
        let ids: Vec<String> = f
            .items
            .iter()
            .map(|i| {
                case::external_item_identifier(
                    c,
                    &crate::model::ItemRef {
                        framework: id.clone(),
                        code: i.code.value.clone(),
                    },
                )
            })
            .collect();
        let nodes = f
            .items
            .iter()
            .enumerate()
            .map(|(n, i)| {
                let marks = i.marks();
                let mut description = i
                    .description
                    .as_deref()
                    .unwrap_or(&i.title)
                    .trim()
                    .to_owned();
                if !marks.is_empty() {
                    description = format!("{description} ({})", marks.join(", "));
                }
                Node {
                    id: ids[n].clone(),
                    parent: i.parent.map(|p| ids[p].clone()),
                    code: i.code.value.clone(),
                    title: i.title.clone(),
                    description,
                    has_children: f.items.iter().any(|other| other.parent == Some(n)),
                }
            })
            .collect();
        return Some((framework_id, f.title.clone(), nodes));
    }
    let f = c.competency_framework(id)?;
    let nodes = f
        .competencies
        .iter()
        .map(|k| Node {
            id: case::competency_identifier(id, k),
            parent: None,
            code: k.id.value.as_str().to_owned(),
            title: k.title.clone(),
            description: k.statement.value.trim().to_owned(),
            has_children: false,
        })
        .collect();
    Some((framework_id, f.title.clone(), nodes))
}

fn description(c: &Curriculum, id: &FrameworkId) -> String {
    c.framework(id)
        .and_then(|f| f.description.clone())
        .or_else(|| {
            c.competency_framework(id)
                .and_then(|f| f.description.clone())
        })
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// Canvas's outcomes CSV for `frameworks`: a group per framework, a group
/// per item with items under it, an outcome per other item or competency.
/// Ratings are the records scale's levels, highest first.
pub fn canvas(c: &Curriculum, frameworks: &[&FrameworkId]) -> Option<String> {
    let ratings: Vec<String> = c
        .records_scale()
        .map(|scale| {
            let mut levels: Vec<(f64, &str)> = scale
                .levels
                .iter()
                .filter_map(|l| Some((l.points?, l.label.as_str())))
                .collect();
            levels.sort_by(|a, b| b.0.total_cmp(&a.0));
            levels
                .into_iter()
                .flat_map(|(points, label)| [number(points), label.to_owned()])
                .collect()
        })
        .unwrap_or_default();
    let width = CANVAS_COLUMNS.len() - 1 + ratings.len().max(1);
    let mut header: Vec<String> = CANVAS_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    header.resize(width, String::new());
    let mut rows = vec![header];
    for id in frameworks {
        let Some((framework_id, title, nodes)) = nodes(c, id) else {
            continue;
        };
        let mut group = vec![
            framework_id.clone(),
            "group".into(),
            title,
            description(c, id),
            String::new(),
            String::new(),
            String::new(),
            "active".into(),
            String::new(),
        ];
        group.resize(width, String::new());
        rows.push(group);
        // Groups first, so that every parent a row names is a row before it.
        let (groups, outcomes): (Vec<&Node>, Vec<&Node>) =
            nodes.iter().partition(|n| n.has_children);
        for n in groups.iter().chain(&outcomes) {
            let outcome = !n.has_children;
            let mut cells = vec![
                n.id.clone(),
                if outcome { "outcome" } else { "group" }.into(),
                format!("{} {}", n.code, n.title),
                n.description.clone(),
                if outcome {
                    n.code.clone()
                } else {
                    String::new()
                },
                if outcome {
                    "highest".into()
                } else {
                    String::new()
                },
                String::new(),
                "active".into(),
                n.parent.clone().unwrap_or_else(|| framework_id.clone()),
            ];
            if outcome {
                cells.extend(ratings.iter().cloned());
            }
            cells.resize(width, String::new());
            rows.push(cells);
        }
    }
    write(&rows)
}

/// Moodle's competency-framework CSV for one framework, rated on the
/// records scale.
pub fn moodle(c: &Curriculum, id: &FrameworkId) -> Option<String> {
    let (framework_id, title, nodes) = nodes(c, id)?;
    let (values, configuration) = moodle_scale(c);
    let depth = c
        .framework(id)
        .and_then(|f| f.items.iter().map(|i| i.depth).max())
        .unwrap_or(0);
    let taxonomy = vec!["competency"; depth + 1].join(",");
    let mut rows = vec![MOODLE_COLUMNS.map(str::to_owned).to_vec()];
    rows.push(vec![
        String::new(),
        framework_id,
        short(&title),
        description(c, id),
        PLAIN.into(),
        values,
        configuration,
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        "1".into(),
        taxonomy,
    ]);
    for n in &nodes {
        rows.push(vec![
            n.parent.clone().unwrap_or_default(),
            n.id.clone(),
            short(&format!("{} {}", n.code, n.title)),
            n.description.clone(),
            PLAIN.into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]);
    }
    write(&rows)
}

/// The records scale as Moodle wants it: the labels lowest first, and the
/// configuration that makes the lowest the default and marks the proficient
/// levels: the level the curriculum's rubrics on this scale most often pass
/// at, and those above it; without such rubrics, the upper half.
fn moodle_scale(c: &Curriculum) -> (String, String) {
    let Some(scale) = c.records_scale() else {
        return (
            "Not yet attained,Attained".into(),
            r#"[{"scaleid":"1"},{"id":1,"scaledefault":1,"proficient":0},{"id":2,"scaledefault":0,"proficient":1}]"#.into(),
        );
    };
    let mut levels: Vec<&crate::model::ScaleLevel> = scale.levels.iter().collect();
    levels.sort_by(|a, b| a.points.unwrap_or(0.0).total_cmp(&b.points.unwrap_or(0.0)));
    let first_proficient = passing_level(c, scale)
        .and_then(|p| levels.iter().position(|l| l.id == p))
        .unwrap_or(levels.len() / 2);
    let values: Vec<String> = levels.iter().map(|l| l.label.replace(',', " ")).collect();
    let mut configuration = vec![r#"{"scaleid":"1"}"#.to_owned()];
    for (n, _) in levels.iter().enumerate() {
        configuration.push(format!(
            r#"{{"id":{},"scaledefault":{},"proficient":{}}}"#,
            n + 1,
            u8::from(n == 0),
            u8::from(n >= first_proficient)
        ));
    }
    (values.join(","), format!("[{}]", configuration.join(",")))
}

/// The level that rubrics on `scale` most often set as passing; the lower
/// one on a tie.
fn passing_level<'c>(c: &'c Curriculum, scale: &Scale) -> Option<&'c str> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for a in &c.assessments {
        let named = match &a.rubric.scale {
            crate::model::RubricScale::Named(id) | crate::model::RubricScale::Both(id) => id,
            _ => continue,
        };
        if named.value != scale.id.value {
            continue;
        }
        let level = a.rubric.passing.level.value.as_str();
        match counts.iter_mut().find(|(l, _)| *l == level) {
            Some((_, n)) => *n += 1,
            None => counts.push((level, 1)),
        }
    }
    let points = |id: &str| {
        scale
            .levels
            .iter()
            .find(|l| l.id == id)
            .and_then(|l| l.points)
            .unwrap_or(0.0)
    };
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(points(b.0).total_cmp(&points(a.0))))
        .map(|(level, _)| level)
}

fn short(text: &str) -> String {
    text.chars().take(MOODLE_SHORT).collect()
}

fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        value.to_string()
    }
}

/// The rows as CSV: UTF-8 without a byte-order mark (older Canvas reads one
/// into the first column's name), CRLF line ends, fields quoted only when
/// they must be.
fn write(rows: &[Vec<String>]) -> Option<String> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for r in rows {
        writer.write_record(r).ok()?;
    }
    String::from_utf8(writer.into_inner().ok()?).ok()
}

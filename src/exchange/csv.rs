//! CSV framework tables, the layout docs/csv.md describes: a header row, one
//! `framework` row, then one row per competency (our frameworks) or item
//! (external ones, each naming its parent's code). A curriculum office edits
//! them in a spreadsheet; `cib import csv` reads them back.
//!
//! A table is read into the same value a YAML framework file gives, with every
//! node's place in the table, so the framework schema and the resolver report
//! problems at the row and cell the user wrote.

use std::collections::HashMap;
use std::ops::Range;

use serde_json::{Map, Value, json};

use crate::diag::{Code, Diagnostic, FileId, Span};
use crate::load::{Kind, SpanIndex};
use crate::model::{Curriculum, FrameworkId};

/// The columns of a table of our competencies.
const COMPETENCY_COLUMNS: &[&str] = &[
    "type",
    "id",
    "title",
    "statement",
    "area",
    "level",
    "hours",
    "criteria",
    "prerequisites",
    "alignments",
    "version",
    "license",
    "delivers",
    "case",
    "associations",
];

/// The columns of a table of an external framework's items.
const ITEM_COLUMNS: &[&str] = &[
    "type",
    "code",
    "parent",
    "title",
    "description",
    "kind",
    "hours",
    "skill_level",
    "required",
    "status",
    "source",
    "verify_against",
    "our_code",
    "publisher",
    "version",
    "url",
    "requirements",
    "case",
    "associations",
];

/// The table of one framework, or `None` when the curriculum has no framework
/// `id`. It starts with a UTF-8 byte-order mark, which spreadsheet programs need
/// to read UTF-8; cib reads tables with or without one.
pub fn export(c: &Curriculum, id: &FrameworkId) -> Option<String> {
    let (columns, rows) = if let Some(f) = c.framework(id) {
        let mut rows = vec![row(&[
            ("type", "framework".into()),
            ("code", f.id.value.to_string()),
            ("title", f.title.clone()),
            ("description", opt(&f.description)),
            ("hours", f.hours.map(number).unwrap_or_default()),
            ("source", opt(&f.source)),
            ("publisher", f.publisher.clone()),
            ("version", f.version.clone()),
            ("url", opt(&f.url)),
            (
                "requirements",
                f.requirements
                    .as_ref()
                    .map(|r| super::yaml::requirements(r).to_string())
                    .unwrap_or_default(),
            ),
            ("case", case_cell(f.case.as_ref())),
        ])];
        for i in &f.items {
            rows.push(row(&[
                ("type", "item".into()),
                ("code", i.code.value.clone()),
                (
                    "parent",
                    i.parent
                        .map(|p| f.items[p].code.value.clone())
                        .unwrap_or_default(),
                ),
                ("title", i.title.clone()),
                ("description", opt(&i.description)),
                ("kind", opt(&i.kind)),
                ("hours", i.hours.map(number).unwrap_or_default()),
                ("skill_level", opt(&i.skill_level)),
                (
                    "required",
                    i.required.map(|r| r.to_string()).unwrap_or_default(),
                ),
                ("status", i.status.as_str().into()),
                ("source", opt(&i.source)),
                ("verify_against", opt(&i.verify_against)),
                ("our_code", if i.our_code { "true" } else { "" }.into()),
                ("case", case_cell(i.case.as_ref())),
                ("associations", associations_cell(&i.associations)),
            ]));
        }
        (ITEM_COLUMNS, rows)
    } else {
        let f = c.competency_framework(id)?;
        let mut rows = vec![row(&[
            ("type", "framework".into()),
            ("id", f.id.value.to_string()),
            ("title", f.title.clone()),
            ("statement", opt(&f.description)),
            ("version", f.version.clone()),
            ("license", f.license.clone()),
            (
                "delivers",
                f.delivers
                    .as_ref()
                    .map(|d| d.value.to_string())
                    .unwrap_or_default(),
            ),
            ("case", case_cell(f.case.as_ref())),
        ])];
        for k in &f.competencies {
            let criteria: Vec<&str> = k.criteria.iter().map(|c| c.trim()).collect();
            let prerequisites: Vec<&str> =
                k.prerequisites.iter().map(|p| p.value.as_str()).collect();
            let alignments: Vec<String> = k
                .alignments
                .iter()
                .map(|a| {
                    let mut line = format!("{} {}", a.relation.as_str(), a.target.value);
                    if let Some(note) = &a.note {
                        line.push(' ');
                        line.push_str(&crate::collapse_whitespace(note));
                    }
                    line
                })
                .collect();
            rows.push(row(&[
                ("type", "competency".into()),
                ("id", k.id.value.to_string()),
                ("title", k.title.clone()),
                ("statement", k.statement.value.clone()),
                ("area", opt(&k.area)),
                ("level", k.level.value.as_str().into()),
                ("hours", number(k.hours)),
                ("criteria", criteria.join("\n")),
                ("prerequisites", prerequisites.join(", ")),
                ("alignments", alignments.join("\n")),
                ("case", case_cell(k.case.as_ref())),
                ("associations", associations_cell(&k.associations)),
            ]));
        }
        (COMPETENCY_COLUMNS, rows)
    };
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let header = columns.iter().copied();
    writer.write_record(header).ok()?;
    for r in rows {
        let cells = columns.iter().map(|c| {
            crate::defuse_csv_cell(r.get(*c).map(|s| s.trim()).unwrap_or("")).into_owned()
        });
        writer.write_record(cells).ok()?;
    }
    String::from_utf8(writer.into_inner().ok()?).ok()
}

fn row(cells: &[(&'static str, String)]) -> HashMap<&'static str, String> {
    cells.iter().cloned().collect()
}

/// A CASE identity as the JSON object the `case` column holds; empty without one.
fn case_cell(identity: Option<&crate::model::CaseIdentity>) -> String {
    identity
        .map(|c| super::yaml::case_value(c).to_string())
        .unwrap_or_default()
}

/// Associations as the JSON array the `associations` column holds; empty without.
fn associations_cell(list: &[crate::model::Association]) -> String {
    if list.is_empty() {
        String::new()
    } else {
        super::yaml::associations(list).to_string()
    }
}

fn opt(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

/// A number as people write it: `4`, `2.5`.
fn number(n: f64) -> String {
    format!("{n}")
}

/// A table read into a framework document's value and spans, or the findings
/// that keep it from being one.
pub(crate) struct Read {
    pub kind: Kind,
    pub value: Value,
    pub spans: SpanIndex,
}

/// Reads the table in `text` (file `file`) into a framework value.
pub(crate) fn read(file: FileId, text: &str) -> Result<Read, Vec<Diagnostic>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => records.push(r),
            Err(error) => {
                let at = error.position().map_or(0, |p| p.byte() as usize);
                return Err(vec![table_error(
                    file,
                    at..at,
                    format!("the table cannot be read: {error}"),
                    "save the sheet again as CSV (UTF-8, comma-separated)",
                )]);
            }
        }
    }
    let Some(header) = records.first() else {
        return Err(vec![table_error(
            file,
            0..0,
            "the table is empty".into(),
            "start with a header row; `cib export csv` writes a table to start from",
        )]);
    };
    let header_start = header.position().map_or(0, |p| p.byte() as usize);
    let header_cells = cells(text, header_start);
    let names: Vec<&str> = header.iter().map(str::trim).collect();
    let (kind, columns) = if names.contains(&"statement") || names.contains(&"id") {
        (Kind::CompetencyFramework, COMPETENCY_COLUMNS)
    } else if names.contains(&"code") {
        (Kind::Framework, ITEM_COLUMNS)
    } else {
        return Err(vec![table_error(
            file,
            header_cells.first().cloned().unwrap_or(0..0),
            "the header row names neither an `id` column (a table of competencies) nor a `code` column (a table of framework items)".into(),
            "keep the header row `cib export csv` writes",
        )]);
    };
    let mut problems = Vec::new();
    for (n, name) in names.iter().enumerate() {
        let place = header_cells.get(n).cloned().unwrap_or(0..0);
        if !columns.contains(name) {
            let mut d = table_error(
                file,
                place,
                format!("`{name}` is not a column of this table"),
                "remove the column, or rename it to one cib reads (see docs/csv.md)",
            );
            if let Some(s) = crate::diag::suggest(name, columns.iter().copied()) {
                d = d.with_hint(format!("did you mean `{s}`?"));
            }
            problems.push(d);
        } else if names[..n].contains(name) {
            problems.push(table_error(
                file,
                place,
                format!("the column `{name}` appears twice"),
                "keep one of them",
            ));
        }
    }
    if names.first() != Some(&"type") {
        problems.push(table_error(
            file,
            header_cells.first().cloned().unwrap_or(0..0),
            "the first column must be `type`".into(),
            "keep the header row `cib export csv` writes",
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let names: Vec<&'static str> = names
        .iter()
        .filter_map(|n| columns.iter().copied().find(|c| c == n))
        .collect();
    let mut table = Table {
        file,
        text,
        places: HashMap::new(),
        problems: Vec::new(),
    };
    let body: Vec<Row> = records[1..]
        .iter()
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .map(|r| {
            let ranges = cells(text, r.position().map_or(0, |p| p.byte() as usize));
            let start = ranges.first().map_or(0, |c| c.start);
            let end = ranges.last().map_or(start, |c| c.end);
            let mut values = HashMap::new();
            let mut places = HashMap::new();
            for (n, name) in names.iter().enumerate() {
                let cell = crate::restore_csv_cell(r.get(n).unwrap_or("").trim());
                if !cell.is_empty() {
                    values.insert(*name, cell.to_owned());
                }
                places.insert(*name, ranges.get(n).cloned().unwrap_or(start..end));
            }
            Row {
                values,
                places,
                whole: start..end,
            }
        })
        .collect();
    let value = match kind {
        Kind::CompetencyFramework => table.competencies(&body),
        _ => table.items(&body),
    };
    if !table.problems.is_empty() {
        return Err(table.problems);
    }
    let places = table.places;
    let spans = SpanIndex::mapped(&value, 0..text.len(), &|p| places.get(p).cloned());
    Ok(Read { kind, value, spans })
}

fn table_error(file: FileId, range: Range<usize>, message: String, hint: &str) -> Diagnostic {
    Diagnostic::new(Code::CsvTable, Span::new(file, range), message).with_hint(hint)
}

/// The byte range of every cell of the record starting at `start`, quotes
/// included. The csv reader places a record after the first byte of the line
/// end before it, so line-end bytes are skipped first.
fn cells(text: &str, start: usize) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut ranges = Vec::new();
    let mut at = start;
    while matches!(bytes.get(at), Some(b'\r' | b'\n')) {
        at += 1;
    }
    loop {
        let begin = at;
        if bytes.get(at) == Some(&b'"') {
            at += 1;
            while at < bytes.len() {
                if bytes[at] == b'"' {
                    if bytes.get(at + 1) == Some(&b'"') {
                        at += 2;
                        continue;
                    }
                    at += 1;
                    break;
                }
                at += 1;
            }
        }
        while at < bytes.len() && !matches!(bytes[at], b',' | b'\n' | b'\r') {
            at += 1;
        }
        ranges.push(begin..at);
        if bytes.get(at) == Some(&b',') {
            at += 1;
        } else {
            return ranges;
        }
    }
}

struct Row {
    values: HashMap<&'static str, String>,
    places: HashMap<&'static str, Range<usize>>,
    whole: Range<usize>,
}

struct Table<'a> {
    file: FileId,
    text: &'a str,
    /// Framework pointer → place in the table.
    places: HashMap<String, Range<usize>>,
    problems: Vec<Diagnostic>,
}

/// A field's value as the schema expects it; text that is not a number or a
/// boolean stays text, so the schema reports it at its cell.
#[derive(Clone, Copy)]
enum Type {
    Text,
    Number,
    Boolean,
}

fn typed(cell: &str, ty: Type) -> Value {
    match ty {
        Type::Number => cell
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map_or_else(|| json!(cell), |n| json!(n)),
        Type::Boolean => match cell.to_ascii_lowercase().as_str() {
            "true" => json!(true),
            "false" => json!(false),
            _ => json!(cell),
        },
        Type::Text => json!(cell),
    }
}

impl Table<'_> {
    fn problem(&mut self, range: Range<usize>, message: String, hint: &str) {
        self.problems
            .push(table_error(self.file, range, message, hint));
    }

    /// Copies `column` of `row` into `out` as `key`, at `pointer/key`.
    fn field(
        &mut self,
        out: &mut Map<String, Value>,
        row: &Row,
        column: &str,
        key: &str,
        ty: Type,
        pointer: &str,
    ) {
        if let Some(cell) = row.values.get(column) {
            out.insert(key.into(), typed(cell, ty));
            self.places
                .insert(format!("{pointer}/{key}"), row.places[column].clone());
        }
    }

    /// The `framework` row, which must come first, and the rows after it.
    fn split<'r>(&mut self, body: &'r [Row], expected: &str) -> Option<(&'r Row, &'r [Row])> {
        let (first, rest) = match body.split_first() {
            Some(split) => split,
            None => {
                let end = self.text.len();
                self.problem(
                    end..end,
                    "the table has no `framework` row".into(),
                    "add a row of type `framework` with the framework's id, title and version",
                );
                return None;
            }
        };
        if first.values.get("type").map(String::as_str) != Some("framework") {
            self.problem(
                first.places["type"].clone(),
                "the first row after the header must be the `framework` row".into(),
                "move the row of type `framework` up, under the header",
            );
            return None;
        }
        for row in rest {
            let ty = row.values.get("type").map(String::as_str).unwrap_or("");
            if ty != expected {
                self.problem(
                    row.places["type"].clone(),
                    format!("a row of type `{ty}` where `{expected}` rows are expected"),
                    &format!("after the `framework` row, every row's type is `{expected}`"),
                );
            }
        }
        Some((first, rest))
    }

    fn competencies(&mut self, body: &[Row]) -> Value {
        let mut out = Map::new();
        let Some((framework, rows)) = self.split(body, "competency") else {
            return Value::Object(out);
        };
        self.field(&mut out, framework, "id", "id", Type::Text, "");
        self.field(&mut out, framework, "title", "title", Type::Text, "");
        self.field(&mut out, framework, "version", "version", Type::Text, "");
        self.field(&mut out, framework, "license", "license", Type::Text, "");
        self.field(
            &mut out,
            framework,
            "statement",
            "description",
            Type::Text,
            "",
        );
        self.field(&mut out, framework, "delivers", "delivers", Type::Text, "");
        self.json(&mut out, framework, "case", "");
        let mut competencies = Vec::new();
        for (n, row) in rows.iter().enumerate() {
            let pointer = format!("/competencies/{n}");
            self.places.insert(pointer.clone(), row.whole.clone());
            let mut c = Map::new();
            for (column, ty) in [
                ("id", Type::Text),
                ("title", Type::Text),
                ("statement", Type::Text),
                ("area", Type::Text),
                ("level", Type::Text),
                ("hours", Type::Number),
            ] {
                self.field(&mut c, row, column, column, ty, &pointer);
            }
            let list = |cell: Option<&String>, split: fn(char) -> bool| -> Vec<String> {
                cell.map(|c| {
                    c.split(split)
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
            };
            let criteria = list(row.values.get("criteria"), |c| c == '\n');
            if !criteria.is_empty() {
                self.each(
                    &mut c,
                    row,
                    "criteria",
                    &pointer,
                    criteria.into_iter().map(|s| json!(s)),
                );
            }
            let prerequisites = list(row.values.get("prerequisites"), |c| {
                c == ',' || c.is_whitespace()
            });
            if !prerequisites.is_empty() {
                self.each(
                    &mut c,
                    row,
                    "prerequisites",
                    &pointer,
                    prerequisites.into_iter().map(|s| json!(s)),
                );
            }
            let alignments = list(row.values.get("alignments"), |c| c == '\n');
            if !alignments.is_empty() {
                let made = alignments.into_iter().map(|line| {
                    let mut words = line.splitn(3, ' ');
                    let mut a = Map::new();
                    let relation = words.next().unwrap_or_default();
                    if let Some(target) = words.next() {
                        a.insert("target".into(), json!(target));
                    }
                    a.insert("relation".into(), json!(relation));
                    if let Some(note) = words.next().map(str::trim).filter(|n| !n.is_empty()) {
                        a.insert("note".into(), json!(note));
                    }
                    Value::Object(a)
                });
                self.each(&mut c, row, "alignments", &pointer, made);
            }
            self.json(&mut c, row, "case", &pointer);
            self.json(&mut c, row, "associations", &pointer);
            competencies.push(Value::Object(c));
        }
        out.insert("competencies".into(), Value::Array(competencies));
        Value::Object(out)
    }

    /// A cell holding JSON as `cib export csv` writes it (`requirements`,
    /// `case`, `associations`); everything in it points at the cell.
    fn json(&mut self, out: &mut Map<String, Value>, row: &Row, column: &str, pointer: &str) {
        let Some(cell) = row.values.get(column) else {
            return;
        };
        let place = row.places[column].clone();
        match serde_json::from_str::<Value>(cell) {
            Ok(v) => {
                out.insert(column.into(), v);
                self.places.insert(format!("{pointer}/{column}"), place);
            }
            Err(error) => self.problem(
                place,
                format!("`{column}` is not JSON: {error}"),
                &format!("write `{column}` as `cib export csv` does, in JSON"),
            ),
        }
    }

    /// A list cell: every entry, and everything inside one, points at the cell.
    fn each(
        &mut self,
        out: &mut Map<String, Value>,
        row: &Row,
        column: &str,
        pointer: &str,
        values: impl Iterator<Item = Value>,
    ) {
        let place = row.places[column].clone();
        let values: Vec<Value> = values.collect();
        let at = format!("{pointer}/{column}");
        for (i, v) in values.iter().enumerate() {
            self.places.insert(format!("{at}/{i}"), place.clone());
            if let Value::Object(m) = v {
                for key in m.keys() {
                    self.places.insert(format!("{at}/{i}/{key}"), place.clone());
                }
            }
        }
        self.places.insert(at, place);
        out.insert(column.into(), Value::Array(values));
    }

    fn items(&mut self, body: &[Row]) -> Value {
        let mut out = Map::new();
        let Some((framework, rows)) = self.split(body, "item") else {
            return Value::Object(out);
        };
        self.field(&mut out, framework, "code", "id", Type::Text, "");
        for column in [
            "title",
            "publisher",
            "version",
            "url",
            "source",
            "description",
        ] {
            self.field(&mut out, framework, column, column, Type::Text, "");
        }
        self.field(&mut out, framework, "hours", "hours", Type::Number, "");
        self.json(&mut out, framework, "requirements", "");
        self.json(&mut out, framework, "case", "");
        let mut by_code: HashMap<&str, usize> = HashMap::new();
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); rows.len()];
        let mut roots = Vec::new();
        for (n, row) in rows.iter().enumerate() {
            match row.values.get("parent") {
                Some(parent) => match by_code.get(parent.as_str()) {
                    Some(&p) => children[p].push(n),
                    None => self.problem(
                        row.places["parent"].clone(),
                        format!("no earlier row has the code `{parent}`"),
                        "list an item's parent above it, and check the parent's code",
                    ),
                },
                None => roots.push(n),
            }
            if let Some(code) = row.values.get("code") {
                by_code.entry(code.as_str()).or_insert(n);
            }
        }
        let items = self.nest(rows, &children, &roots, "/items", 0);
        out.insert("items".into(), Value::Array(items));
        Value::Object(out)
    }

    fn nest(
        &mut self,
        rows: &[Row],
        children: &[Vec<usize>],
        level: &[usize],
        pointer: &str,
        depth: usize,
    ) -> Vec<Value> {
        let mut made = Vec::new();
        for &n in level {
            let row = &rows[n];
            let at = format!("{pointer}/{}", made.len());
            self.places.insert(at.clone(), row.whole.clone());
            let mut o = Map::new();
            for (column, ty) in [
                ("code", Type::Text),
                ("title", Type::Text),
                ("description", Type::Text),
                ("kind", Type::Text),
                ("hours", Type::Number),
                ("skill_level", Type::Text),
                ("required", Type::Boolean),
                ("status", Type::Text),
                ("source", Type::Text),
                ("verify_against", Type::Text),
                ("our_code", Type::Boolean),
            ] {
                self.field(&mut o, row, column, column, ty, &at);
            }
            self.json(&mut o, row, "case", &at);
            self.json(&mut o, row, "associations", &at);
            if !children[n].is_empty() {
                if depth + 1 >= 64 {
                    self.problem(
                        row.places["code"].clone(),
                        "items nest deeper than 64 levels here".into(),
                        "a framework holds at most 64 levels of items",
                    );
                } else {
                    let nested = self.nest(
                        rows,
                        children,
                        &children[n],
                        &format!("{at}/items"),
                        depth + 1,
                    );
                    o.insert("items".into(), Value::Array(nested));
                }
            }
            made.push(Value::Object(o));
        }
        made
    }
}

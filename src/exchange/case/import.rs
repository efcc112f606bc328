//! A CASE package in as a framework file: one of ours when cib wrote it, else an
//! external framework whose items are the package's items in its `isChildOf`
//! tree, with their identifiers and every other association kept.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value, json};

use super::{document_id, item_id};
use crate::diag::{Code, Diagnostic, Span};
use crate::load::{Document, Kind};
use crate::model::{Relation, slug};

/// A CASE package read into the shape of a framework file: the value the
/// framework schema checks, where each node came from in the package, what
/// the package held that could not be carried over, and the counts of both.
pub(crate) struct Imported {
    pub kind: Kind,
    pub value: Value,
    /// Framework pointer → package pointer.
    pub origins: HashMap<String, String>,
    pub findings: Vec<Diagnostic>,
    pub tally: Tally,
}

/// What an import read and what it kept: items, and associations by type.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub items: (usize, usize),
    /// Association type → (read, kept).
    pub associations: BTreeMap<String, (usize, usize)>,
}

impl Tally {
    /// One line per count for the import summary: read, kept, not kept.
    pub fn summary(&self) -> String {
        let list = |pick: &dyn Fn(usize, usize) -> usize| -> (usize, String) {
            let parts: Vec<String> = self
                .associations
                .iter()
                .map(|(kind, &(read, kept))| (kind, pick(read, kept)))
                .filter(|(_, n)| *n > 0)
                .map(|(kind, n)| format!("{kind} {n}"))
                .collect();
            let total = self
                .associations
                .values()
                .map(|&(read, kept)| pick(read, kept))
                .sum();
            (total, parts.join(", "))
        };
        let line = |what: &str, items: usize, (total, parts): (usize, String)| {
            let by = if parts.is_empty() {
                String::new()
            } else {
                format!(" ({parts})")
            };
            format!(
                "{what} {items} item{} and {total} association{}{by}",
                plural(items),
                plural(total)
            )
        };
        let (read, kept) = self.items;
        format!(
            "{}\n{}\n{}",
            line("read", read, list(&|r, _| r)),
            line("kept", kept, list(&|_, k| k)),
            line("not kept:", read - kept, list(&|r, k| r - k)),
        )
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The deepest item tree an import builds (as deep as the YAML loader allows).
const MAX_DEPTH: usize = 64;

/// Reads a package that passed the CASE schema into a framework: one of ours when
/// cib exported it (`extensions.cib.kind`), else an external framework whose
/// items are the package's items in its `isChildOf` tree. `id` names the
/// framework when the package does not (the default is made from its title).
pub(crate) fn import(doc: &Document, id: Option<&str>) -> Imported {
    let mut r = Reader::new(doc);
    let package = &doc.value;
    let document = &package["CFDocument"];
    let extension = document
        .pointer("/extensions/cib")
        .cloned()
        .unwrap_or_default();
    let ours = extension["kind"] == "competency-framework";
    let framework_id = id
        .map(str::to_owned)
        .or_else(|| extension["id"].as_str().map(str::to_owned))
        .unwrap_or_else(|| slug(text(&document["title"])).unwrap_or_else(|| "imported".into()));
    let mut out = Map::new();
    out.insert("id".into(), json!(framework_id));
    r.origin("/id", "/CFDocument/title");
    out.insert("title".into(), json!(text(&document["title"])));
    r.origin("/title", "/CFDocument/title");
    let version = document["version"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| {
            text(&document["lastChangeDateTime"])
                .chars()
                .take(10)
                .collect()
        });
    if ours {
        out.insert("version".into(), json!(version));
        let license = extension["license"].as_str().or_else(|| {
            document
                .pointer("/licenseURI/title")
                .and_then(Value::as_str)
        });
        if let Some(license) = license {
            out.insert("license".into(), json!(license));
        }
        copy(&mut out, "description", document, "description");
        if let Some(delivers) = extension["delivers"].as_str() {
            out.insert("delivers".into(), json!(delivers));
        }
    } else {
        let publisher = document["publisher"]
            .as_str()
            .unwrap_or(text(&document["creator"]));
        out.insert("publisher".into(), json!(publisher));
        out.insert("version".into(), json!(version));
        r.origin("/version", "/CFDocument");
        let url = extension["url"]
            .as_str()
            .or(document["officialSourceURL"].as_str());
        if let Some(url) = url {
            out.insert("url".into(), json!(url));
        }
        let source = extension["source"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| {
                format!(
                    "CASE package \"{}\" ({}), last changed {}",
                    text(&document["title"]),
                    text(&document["uri"]),
                    text(&document["lastChangeDateTime"])
                )
            });
        out.insert("source".into(), json!(source));
        copy(&mut out, "description", document, "description");
        for key in ["hours", "requirements"] {
            if let Some(v) = extension.get(key) {
                out.insert(key.into(), v.clone());
            }
        }
    }
    if let Some(identity) = identity(document, None, &document_id(&framework_id)) {
        out.insert("case".into(), identity);
    }
    let tree = r.tree(!ours);
    if ours {
        let competencies = r.competencies(&tree, &framework_id);
        out.insert("competencies".into(), Value::Array(competencies));
    } else {
        let title = text(&document["title"]).to_owned();
        let links = r.links(&tree);
        let mut build = Build {
            tree: &tree,
            links,
            document: &title,
            framework: &framework_id,
        };
        let items = r.items(&mut build, tree.roots(), "/items", 0);
        out.insert("items".into(), Value::Array(items));
    }
    r.sweep();
    Imported {
        kind: if ours {
            Kind::CompetencyFramework
        } else {
            Kind::Framework
        },
        value: Value::Object(out),
        origins: r.origins,
        findings: r.findings,
        tally: r.tally,
    }
}

/// A node's identity as the framework file keeps it, `None` when it is what
/// cib would make anyway (a package cib wrote, under the same id and code):
/// files imported from cib's own packages stay as they were.
fn identity(node: &Value, child_of: Option<&str>, derived: &str) -> Option<Value> {
    let identifier = text(&node["identifier"]);
    let uri = text(&node["uri"]);
    let made_uri = uri.is_empty() || uri == format!("urn:uuid:{identifier}");
    if identifier == derived && made_uri && child_of.is_none() {
        return None;
    }
    let mut o = Map::new();
    o.insert("identifier".into(), json!(identifier));
    if !made_uri {
        o.insert("uri".into(), json!(uri));
    }
    if let Some(a) = child_of {
        o.insert("child_of".into(), json!(a));
    }
    Some(Value::Object(o))
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or("").trim()
}

/// Text a field gives, trimmed; an empty one says nothing and is not copied.
fn copy(out: &mut Map<String, Value>, key: &str, from: &Value, field: &str) {
    if let Some(s) = from[field]
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        out.insert(key.into(), json!(s));
    }
}

/// The items' `isChildOf` tree: each item's parent link (the association that
/// places it) and children in `sequenceNumber` order; second parents, which an
/// external framework keeps as associations.
struct Tree {
    children: Vec<Vec<usize>>,
    roots: Vec<usize>,
    placed_by: Vec<Option<usize>>,
    second: Vec<(usize, usize)>,
}

impl Tree {
    fn roots(&self) -> &[usize] {
        &self.roots
    }
}

/// An association as a framework file lists it, and the index of the one in
/// the package it came from.
type Linked = (Value, usize);

/// What building the items needs besides the reader.
struct Build<'t> {
    tree: &'t Tree,
    /// Each item's associations, as the framework file writes them, with the
    /// association each came from.
    links: Vec<Vec<Linked>>,
    document: &'t str,
    framework: &'t str,
}

struct Reader<'a> {
    doc: &'a Document,
    items: &'a [Value],
    associations: &'a [Value],
    by_id: HashMap<&'a str, usize>,
    /// Each item's code in the framework file, once [`Reader::codes`] ran.
    codes: Vec<String>,
    origins: HashMap<String, String>,
    findings: Vec<Diagnostic>,
    /// Whether each association was kept, or said not to be.
    settled: Vec<bool>,
    tally: Tally,
}

impl<'a> Reader<'a> {
    fn new(doc: &'a Document) -> Self {
        let empty: &'a [Value] = &[];
        let items = doc.value["CFItems"].as_array().map_or(empty, Vec::as_slice);
        let associations = doc.value["CFAssociations"]
            .as_array()
            .map_or(empty, Vec::as_slice);
        let mut tally = Tally {
            items: (items.len(), 0),
            ..Tally::default()
        };
        for a in associations {
            tally.associations.entry(kind(a).to_owned()).or_default().0 += 1;
        }
        let mut r = Reader {
            doc,
            items,
            associations,
            by_id: HashMap::new(),
            codes: Vec::new(),
            origins: HashMap::new(),
            findings: Vec::new(),
            settled: vec![false; associations.len()],
            tally,
        };
        for (n, item) in items.iter().enumerate() {
            let id = text(&item["identifier"]);
            if let Some(first) = r.by_id.insert(id, n) {
                r.by_id.insert(id, first);
                let d = Diagnostic::new(
                    Code::CaseImport,
                    r.at(&format!("/CFItems/{n}/identifier")),
                    format!("two items have the identifier `{id}`; the second is left out"),
                )
                .with_related(
                    r.at(&format!("/CFItems/{first}/identifier")),
                    "first used here",
                )
                .with_hint("give every CFItem its own identifier");
                r.findings.push(d);
            }
        }
        r
    }

    /// An item as people know it: its code, else its identifier.
    fn name(&self, n: usize) -> &str {
        let item = &self.items[n];
        item["humanCodingScheme"]
            .as_str()
            .unwrap_or_else(|| text(&item["identifier"]))
    }

    fn at(&self, pointer: &str) -> Span {
        Span::new(self.doc.file, self.doc.spans.span(pointer))
    }

    fn origin(&mut self, to: &str, from: &str) {
        self.origins.insert(to.to_owned(), from.to_owned());
    }

    fn warn(&mut self, pointer: &str, message: String, hint: &str) {
        let d = Diagnostic::new(Code::CaseImport, self.at(pointer), message).with_hint(hint);
        self.findings.push(d);
    }

    /// Association `a` is kept.
    fn keep(&mut self, a: usize) {
        if !self.settled[a] {
            self.settled[a] = true;
            let kind = kind(&self.associations[a]).to_owned();
            self.tally.associations.entry(kind).or_default().1 += 1;
        }
    }

    /// Association `a` is not kept, for the reason given at `end` of it.
    fn drop(&mut self, a: usize, end: &str, message: String, hint: &str) {
        if !self.settled[a] {
            self.settled[a] = true;
            self.warn(&format!("/CFAssociations/{a}/{end}"), message, hint);
        }
    }

    /// Every association neither kept nor already explained, each with a word.
    fn sweep(&mut self) {
        for a in 0..self.associations.len() {
            let kind = kind(&self.associations[a]).to_owned();
            self.drop(
                a,
                "associationType",
                format!("this `{kind}` starts at no competency of the framework; it is left out"),
                "a framework file keeps an association with the competency it starts at",
            );
        }
    }

    /// The item an association end names, if it is one of this package's.
    fn item(&self, association: &Value, end: &str) -> Option<usize> {
        let id = association[end]["identifier"].as_str()?;
        let n = *self.by_id.get(id.trim())?;
        (text(&self.items[n]["identifier"]) == id.trim()).then_some(n)
    }

    /// The tree of `isChildOf` links. With `second_parents`, an item's further
    /// parents are kept for the caller; without, each is left out with a word.
    fn tree(&mut self, second_parents: bool) -> Tree {
        let document = text(&self.doc.value["CFDocument"]["identifier"]).to_owned();
        let mut parent: Vec<Option<(Option<usize>, u64, usize)>> = vec![None; self.items.len()];
        let mut second = Vec::new();
        for (a, association) in self.associations.iter().enumerate() {
            if association["associationType"] != "isChildOf" {
                continue;
            }
            let Some(child) = self.item(association, "originNodeURI") else {
                self.drop(
                    a,
                    "originNodeURI",
                    "this `isChildOf` starts at no item of the package; it is left out".into(),
                    "an `isChildOf` links an item of this package to its parent",
                );
                continue;
            };
            let destination = text(&association["destinationNodeURI"]["identifier"]);
            let up = if destination == document {
                None
            } else if let Some(p) = self.item(association, "destinationNodeURI") {
                Some(p)
            } else {
                self.drop(
                    a,
                    "destinationNodeURI",
                    "this `isChildOf` leads to neither an item of the package nor its document; it is left out".into(),
                    "check that the package holds every item of the framework; an item with no parent is placed at the top",
                );
                continue;
            };
            let sequence = association["sequenceNumber"].as_u64().unwrap_or(u64::MAX);
            if let Some((_, _, first)) = parent[child] {
                if second_parents {
                    second.push((child, a));
                    continue;
                }
                let d = Diagnostic::new(
                    Code::CaseImport,
                    self.at(&format!("/CFAssociations/{a}/destinationNodeURI")),
                    format!(
                        "item `{}` has a second parent here; it stays under its first",
                        self.name(child)
                    ),
                )
                .with_related(
                    self.at(&format!("/CFAssociations/{first}/destinationNodeURI")),
                    "its first parent",
                )
                .with_hint("a competency framework file holds each competency once");
                self.settled[a] = true;
                self.findings.push(d);
                continue;
            }
            parent[child] = Some((up, sequence, a));
        }
        // An item whose chain of parents comes back to it is placed at the top.
        for start in 0..self.items.len() {
            let mut at = start;
            let mut steps = 0;
            while let Some((Some(up), _, _)) = parent[at] {
                at = up;
                steps += 1;
                if at == start || steps > self.items.len() {
                    let a = parent[start].map(|p| p.2).unwrap_or_default();
                    self.drop(
                        a,
                        "destinationNodeURI",
                        format!(
                            "the `isChildOf` links of item `{}` form a loop; this one is left out and the item placed at the top",
                            self.name(start)
                        ),
                        "an item cannot be its own ancestor",
                    );
                    parent[start] = None;
                    break;
                }
            }
        }
        let mut children = vec![Vec::new(); self.items.len()];
        let mut roots = Vec::new();
        let mut placed_by = vec![None; self.items.len()];
        for (n, item) in self.items.iter().enumerate() {
            if self.by_id.get(text(&item["identifier"])) != Some(&n) {
                continue;
            }
            match parent[n] {
                Some((Some(up), s, a)) => {
                    children[up].push((s, n));
                    placed_by[n] = Some(a);
                }
                Some((None, s, a)) => {
                    roots.push((s, n));
                    placed_by[n] = Some(a);
                }
                None => roots.push((u64::MAX, n)),
            }
        }
        let order = |list: &mut Vec<(u64, usize)>| {
            list.sort();
            list.iter().map(|&(_, n)| n).collect::<Vec<_>>()
        };
        Tree {
            children: children.iter_mut().map(order).collect(),
            roots: order(&mut roots),
            placed_by,
            second,
        }
    }

    /// The items of the tree in document order, with their depth.
    fn walk(tree: &Tree) -> Vec<(usize, usize)> {
        let mut order = Vec::new();
        let mut stack: Vec<(usize, usize)> = tree.roots().iter().rev().map(|&n| (n, 0)).collect();
        while let Some((n, depth)) = stack.pop() {
            order.push((n, depth));
            stack.extend(tree.children[n].iter().rev().map(|&c| (c, depth + 1)));
        }
        order
    }

    /// Every item's code in the framework file, in document order: its
    /// `humanCodingScheme`, else one made from its identifier and marked as
    /// ours; a code met before gets `~` and the start of the identifier.
    fn codes(&mut self, order: &[(usize, usize)]) {
        self.codes = vec![String::new(); self.items.len()];
        let mut first: HashMap<String, usize> = HashMap::new();
        for &(n, _) in order {
            let item = &self.items[n];
            let id = text(&item["identifier"]);
            let short: String = id.chars().take(8).collect();
            let mut code = match item["humanCodingScheme"].as_str().map(str::trim) {
                // Kept as the owner writes it; only runs of spaces and line
                // breaks, which no one means, become one space.
                Some(code) if !code.is_empty() => {
                    code.split_whitespace().collect::<Vec<_>>().join(" ")
                }
                _ => format!("CASE-{short}"),
            };
            if let Some(&before) = first.get(&code) {
                let distinct = if first.contains_key(&format!("{code}~{short}")) {
                    format!("{code}~{id}")
                } else {
                    format!("{code}~{short}")
                };
                let d = Diagnostic::new(
                    Code::CaseRepeatedCode,
                    self.at(&format!("/CFItems/{n}/humanCodingScheme")),
                    format!("a second item has the code `{code}`; it is kept as `{distinct}`"),
                )
                .with_label("repeated code")
                .with_related(
                    self.at(&format!("/CFItems/{before}/humanCodingScheme")),
                    "first item with this code",
                )
                .with_hint("alignments name items by code, so each code in a framework file is unique; `case.code` keeps the publisher's");
                self.findings.push(d);
                code = distinct;
            }
            first.entry(code.clone()).or_insert(n);
            self.codes[n] = code;
        }
    }

    /// Each placed item's associations other than its place in the tree: to
    /// items of the package by code, to anything else as a node.
    fn links(&mut self, tree: &Tree) -> Vec<Vec<Linked>> {
        let order = Self::walk(tree);
        self.codes(&order);
        let mut placed = vec![false; self.items.len()];
        for &(n, depth) in &order {
            placed[n] = depth < MAX_DEPTH;
        }
        let mut links = vec![Vec::new(); self.items.len()];
        for &(n, _) in &order {
            match tree.placed_by[n] {
                Some(a) if placed[n] => self.keep(a),
                // Left out with its item, which the warning at the deepest
                // item kept explains.
                Some(a) => self.settled[a] = true,
                None => {}
            }
        }
        let second: HashMap<usize, usize> = tree.second.iter().map(|&(c, a)| (a, c)).collect();
        for (a, association) in self.associations.iter().enumerate() {
            if self.settled[a] {
                continue;
            }
            let tree_link = kind(association) == "isChildOf" && !second.contains_key(&a);
            if tree_link {
                continue;
            }
            let Some(from) = self
                .item(association, "originNodeURI")
                .filter(|&n| placed[n])
            else {
                self.drop(
                    a,
                    "originNodeURI",
                    format!(
                        "this `{}` starts at no item of the framework; it is left out",
                        kind(association)
                    ),
                    "a framework file keeps an association with the item it starts at",
                );
                continue;
            };
            let to = self
                .item(association, "destinationNodeURI")
                .filter(|&n| placed[n]);
            links[from].push((self.link(association, to), a));
            self.keep(a);
        }
        links
    }

    fn items(&mut self, b: &mut Build, level: &[usize], to: &str, depth: usize) -> Vec<Value> {
        let mut made = Vec::new();
        for &n in level {
            let item = &self.items[n];
            let to = format!("{to}/{}", made.len());
            self.origin(&to, &format!("/CFItems/{n}"));
            let extension = item.pointer("/extensions/cib").cloned().unwrap_or_default();
            let mut o = Map::new();
            let code = self.codes[n].clone();
            o.insert("code".into(), json!(code));
            if item["humanCodingScheme"].as_str().is_some() {
                self.origin(
                    &format!("{to}/code"),
                    &format!("/CFItems/{n}/humanCodingScheme"),
                );
            }
            let full = text(&item["fullStatement"]);
            match item["abbreviatedStatement"].as_str().map(str::trim) {
                Some(short) if !short.is_empty() => {
                    o.insert("title".into(), json!(short));
                    o.insert("description".into(), json!(full));
                }
                _ => {
                    o.insert("title".into(), json!(full));
                }
            }
            if let Some(kind) = item["CFItemType"].as_str() {
                o.insert("kind".into(), json!(kind.trim()));
            }
            for key in [
                "hours",
                "skill_level",
                "required",
                "status",
                "source",
                "verify_against",
            ] {
                if let Some(v) = extension.get(key) {
                    o.insert(key.into(), v.clone());
                }
            }
            if !o.contains_key("status") {
                o.insert("status".into(), json!("verified"));
                o.insert(
                    "source".into(),
                    json!(format!(
                        "CASE package \"{}\", item {}",
                        b.document,
                        text(&item["identifier"])
                    )),
                );
            }
            let hcs = item["humanCodingScheme"].as_str().map(str::trim);
            if extension["our_code"] == true || hcs.is_none_or(str::is_empty) {
                o.insert("our_code".into(), json!(true));
            }
            let child_of = b.tree.placed_by[n].map(|a| text(&self.associations[a]["identifier"]));
            let derived = item_id(b.framework, &code);
            if let Some(Value::Object(mut identity)) = identity(item, child_of, &derived) {
                if let Some(hcs) = hcs.filter(|h| !h.is_empty() && *h != code) {
                    identity.insert("code".into(), json!(hcs));
                }
                o.insert("case".into(), Value::Object(identity));
            }
            let links = std::mem::take(&mut b.links[n]);
            self.put_links(&mut o, &to, links);
            let children = &b.tree.children[n];
            if !children.is_empty() {
                if depth + 1 >= MAX_DEPTH {
                    self.warn(
                        &format!("/CFItems/{n}"),
                        format!("items nest deeper than {MAX_DEPTH} levels here; the deeper ones are left out"),
                        "a framework file holds at most 64 levels of items",
                    );
                } else {
                    let children = children.clone();
                    let nested = self.items(b, &children, &format!("{to}/items"), depth + 1);
                    o.insert("items".into(), Value::Array(nested));
                }
            }
            self.tally.items.1 += 1;
            made.push(Value::Object(o));
        }
        made
    }

    fn competencies(&mut self, tree: &Tree, framework: &str) -> Vec<Value> {
        let mut touching = vec![Vec::new(); self.items.len()];
        for (a, association) in self.associations.iter().enumerate() {
            let ends = [
                self.item(association, "originNodeURI"),
                self.item(association, "destinationNodeURI"),
            ];
            for n in ends.into_iter().flatten() {
                if touching[n].last() != Some(&a) {
                    touching[n].push(a);
                }
            }
        }
        let order = Self::walk(tree);
        self.codes(&order);
        let mut made = Vec::new();
        for (n, _) in order {
            let item = &self.items[n];
            let to = format!("/competencies/{}", made.len());
            self.origin(&to, &format!("/CFItems/{n}"));
            if item["humanCodingScheme"].as_str().is_some() {
                self.origin(
                    &format!("{to}/id"),
                    &format!("/CFItems/{n}/humanCodingScheme"),
                );
            }
            let extension = item.pointer("/extensions/cib").cloned().unwrap_or_default();
            let mut o = Map::new();
            let id = self.codes[n].clone();
            o.insert("id".into(), json!(id));
            let title = item["abbreviatedStatement"]
                .as_str()
                .unwrap_or(text(&item["fullStatement"]));
            o.insert("title".into(), json!(title.trim()));
            o.insert("statement".into(), json!(text(&item["fullStatement"])));
            for key in ["area", "level", "hours", "criteria"] {
                if let Some(v) = extension.get(key) {
                    o.insert(key.into(), v.clone());
                }
            }
            let (prerequisites, alignments, others) = self.relations(n, &touching[n]);
            if !prerequisites.is_empty() {
                o.insert("prerequisites".into(), Value::Array(prerequisites));
            }
            if !alignments.is_empty() {
                o.insert("alignments".into(), Value::Array(alignments));
            }
            if let Some(identity) = identity(item, None, &item_id(framework, &id)) {
                o.insert("case".into(), identity);
            }
            self.put_links(&mut o, &to, others);
            if let Some(a) = tree.placed_by[n] {
                self.keep(a);
            }
            self.tally.items.1 += 1;
            made.push(Value::Object(o));
        }
        made
    }

    /// A competency's prerequisites (`precedes` into it), alignments (the
    /// alignment types out of it that cib wrote) and other associations out
    /// of it (with the association each came from), in package order.
    fn relations(&mut self, n: usize, touching: &[usize]) -> (Vec<Value>, Vec<Value>, Vec<Linked>) {
        let mut prerequisites = Vec::new();
        let mut alignments = Vec::new();
        let mut others = Vec::new();
        for &a in touching {
            let association = &self.associations[a];
            let kind = kind(association);
            let extension = association.pointer("/extensions/cib");
            if kind == "precedes" && self.item(association, "destinationNodeURI") == Some(n) {
                let before = match self.item(association, "originNodeURI") {
                    Some(p) => self.items[p]["humanCodingScheme"].as_str(),
                    None => extension.and_then(|e| e["prerequisite"].as_str()),
                };
                match before {
                    Some(id) => {
                        prerequisites.push(json!(id.trim()));
                        self.keep(a);
                    }
                    None => self.drop(
                        a,
                        "originNodeURI",
                        "this `precedes` starts at no competency cib can name; it is left out"
                            .into(),
                        "a prerequisite outside the package needs `extensions.cib.prerequisite`",
                    ),
                }
            } else if let (Some(relation), Some(target)) = (
                self.alignment(association, n),
                extension.and_then(|e| e["target"].as_str()),
            ) {
                let mut o = Map::new();
                o.insert("target".into(), json!(target));
                o.insert("relation".into(), json!(relation.as_str()));
                copy(&mut o, "note", association, "notes");
                alignments.push(Value::Object(o));
                self.keep(a);
            } else if self.item(association, "originNodeURI") == Some(n) && kind != "isChildOf" {
                let to = self.item(association, "destinationNodeURI");
                if kind == "precedes" && to.is_some() {
                    // A prerequisite of the competency it leads to, read there.
                    continue;
                }
                others.push((self.link(association, to), a));
                self.keep(a);
            }
        }
        (prerequisites, alignments, others)
    }

    /// A node's `associations`, each pointing back to where it came from.
    fn put_links(&mut self, o: &mut Map<String, Value>, to: &str, links: Vec<Linked>) {
        if links.is_empty() {
            return;
        }
        let mut list = Vec::new();
        for (k, (link, a)) in links.into_iter().enumerate() {
            self.origin(
                &format!("{to}/associations/{k}"),
                &format!("/CFAssociations/{a}"),
            );
            list.push(link);
        }
        o.insert("associations".into(), Value::Array(list));
    }

    /// An association as a framework file lists it under its origin: to the
    /// item `to` of the package by code, else to the node it names.
    fn link(&self, association: &Value, to: Option<usize>) -> Value {
        let mut o = Map::new();
        o.insert("type".into(), json!(kind(association)));
        match to {
            Some(to) => {
                o.insert("to".into(), json!(self.codes[to]));
            }
            None => {
                let destination = &association["destinationNodeURI"];
                o.insert(
                    "node".into(),
                    json!({
                        "identifier": text(&destination["identifier"]),
                        "uri": text(&destination["uri"]),
                        "title": text(&destination["title"]),
                    }),
                );
            }
        }
        o.insert("identifier".into(), json!(text(&association["identifier"])));
        copy(&mut o, "note", association, "notes");
        Value::Object(o)
    }

    /// The relation an association gives competency `n`: an alignment type
    /// out of it, or an `isPartOf` into it from an item that is not one of
    /// its own (its items come in by `isChildOf`), which it contains.
    fn alignment(&self, association: &Value, n: usize) -> Option<Relation> {
        let kind = association["associationType"].as_str()?;
        let relation = Relation::ALL
            .into_iter()
            .find(|r| r.case() == (kind, false))?;
        if self.item(association, "originNodeURI") == Some(n) {
            return Some(relation);
        }
        let into = self.item(association, "destinationNodeURI") == Some(n)
            && self.item(association, "originNodeURI").is_none();
        (into && relation == Relation::IsPartOf).then_some(Relation::HasPart)
    }
}

fn kind(association: &Value) -> &str {
    text(&association["associationType"])
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "2026-01-01T00:00:00+00:00";

    fn id(n: usize) -> String {
        format!("00000000-0000-4000-8000-{n:012}")
    }

    fn item(n: usize) -> Value {
        json!({"identifier": id(n), "uri": format!("urn:uuid:{}", id(n)), "fullStatement": format!("Item {n}"), "humanCodingScheme": format!("I{n}"), "lastChangeDateTime": T})
    }

    fn child(a: usize, origin: &str, destination: &str) -> Value {
        json!({"identifier": id(1000 + a), "associationType": "isChildOf", "uri": "urn:x",
            "originNodeURI": {"title": "", "identifier": origin, "uri": "urn:x"},
            "destinationNodeURI": {"title": "", "identifier": destination, "uri": "urn:x"},
            "lastChangeDateTime": T})
    }

    /// Imports a package built in memory: the framework value and the messages.
    fn import_of(items: Vec<Value>, associations: Vec<Value>) -> (Value, Vec<String>) {
        let package = json!({
            "CFDocument": {"identifier": id(0), "uri": "urn:x", "creator": "Tests", "title": "Test framework", "lastChangeDateTime": T},
            "CFItems": items,
            "CFAssociations": associations,
        });
        let text = serde_json::to_string_pretty(&package).unwrap();
        let loaded = crate::load::framework_bytes("p.json", text.into_bytes());
        let doc = &loaded.documents[0];
        assert_eq!(doc.kind, Kind::Case);
        let imported = import(doc, None);
        let messages = imported
            .findings
            .iter()
            .map(|d| d.message.clone())
            .collect();
        (imported.value, messages)
    }

    fn codes(items: &Value) -> Vec<String> {
        let mut out = Vec::new();
        for i in items.as_array().unwrap() {
            let nested = i.get("items").map(codes).unwrap_or_default();
            out.push(format!("{}{:?}", i["code"].as_str().unwrap(), nested));
        }
        out
    }

    #[test]
    fn a_loop_of_parents_is_broken_at_its_first_item() {
        let doc = id(0);
        let (value, messages) = import_of(
            vec![item(1), item(2), item(3)],
            vec![
                child(1, &id(1), &id(2)),
                child(2, &id(2), &id(1)),
                child(3, &id(3), &doc),
            ],
        );
        assert_eq!(codes(&value["items"]), ["I1[\"I2[]\"]", "I3[]"]);
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].contains("`I1` form a loop"), "{messages:?}");
        assert_eq!(value["id"], "test-framework");
        assert_eq!(
            value["version"], "2026-01-01",
            "no version: the change date"
        );
    }

    #[test]
    fn links_to_nothing_and_repeated_identifiers_are_left_out_with_a_word_and_second_parents_kept()
    {
        let doc = id(0);
        let mut twin = item(2);
        twin["humanCodingScheme"] = "TWIN".into();
        let (value, messages) = import_of(
            vec![item(1), item(2), twin, item(3)],
            vec![
                child(1, &id(1), &doc),
                child(2, &id(2), &id(1)),
                child(3, &id(99), &id(1)),
                child(4, &id(3), &id(98)),
                child(5, &id(2), &doc),
            ],
        );
        assert_eq!(codes(&value["items"]), ["I1[\"I2[]\"]", "I3[]"]);
        let expected = [
            "two items have the identifier",
            "starts at no item",
            "leads to neither an item of the package nor its document",
        ];
        let second = &value["items"][0]["items"][0]["associations"];
        assert_eq!(
            second,
            &json!([{"type": "isChildOf", "node": {"identifier": doc, "uri": "urn:x", "title": ""}, "identifier": id(1005)}])
        );
        assert_eq!(messages.len(), expected.len(), "{messages:?}");
        for (message, part) in messages.iter().zip(expected) {
            assert!(message.contains(part), "{message} lacks {part}");
        }
    }

    #[test]
    fn items_nested_past_the_yaml_depth_are_left_out_with_a_word() {
        let mut associations = vec![child(0, &id(1), &id(0))];
        for n in 2..=70 {
            associations.push(child(n, &id(n), &id(n - 1)));
        }
        let (value, messages) = import_of((1..=70).map(item).collect(), associations);
        let mut depth = 0;
        let mut level = &value["items"];
        while let Some(first) = level.get(0) {
            depth += 1;
            level = &first["items"];
        }
        assert_eq!(depth, MAX_DEPTH);
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].contains("deeper than 64 levels"));
    }
}

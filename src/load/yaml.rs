//! A non-recursive YAML loader over saphyr-parser's event stream.
//!
//! One pass builds the JSON value handed to the schema validator and to serde, and a
//! [`SpanIndex`] that maps any JSON pointer back to its place in the file. Being our
//! own loop over events (the parser itself does not recurse) is what lets us refuse
//! hostile input early and cheaply: depth and node budgets, no anchors, aliases or
//! tags, duplicate keys reported with both places, complex keys refused.

use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};
use serde_json::{Map, Number, Value};

use crate::diag::{Code, Diagnostic, FileId, Span};

/// Budgets that bound the work and memory one file can cost.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    pub max_depth: usize,
    pub max_nodes: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_depth: 64,
            max_nodes: 1_000_000,
        }
    }
}

/// Duplicate keys reported per document; past this they are still dropped, silently.
const MAX_DUPLICATE_REPORTS: usize = 100;

/// Byte ranges of every node, shaped like the JSON value they describe.
#[derive(Debug, Clone)]
enum SpanNode {
    Leaf(Range<usize>),
    Seq(Range<usize>, Vec<SpanNode>),
    Map(Range<usize>, Vec<MapEntry>),
}

#[derive(Debug, Clone)]
struct MapEntry {
    key: String,
    key_span: Range<usize>,
    value: SpanNode,
}

impl SpanNode {
    fn range(&self) -> &Range<usize> {
        match self {
            SpanNode::Leaf(r) | SpanNode::Seq(r, _) | SpanNode::Map(r, _) => r,
        }
    }
}

/// Where each node of a parsed document came from, addressed by JSON pointer.
#[derive(Debug, Clone)]
pub struct SpanIndex {
    root: SpanNode,
}

impl SpanIndex {
    /// The span of the node at `pointer`; for lists and mappings, their first line,
    /// which reads better under a caret than the whole block. Falls back to the
    /// nearest existing ancestor when the pointer goes past the document.
    pub fn span(&self, pointer: &str) -> Range<usize> {
        self.walk(pointer).0.range().clone()
    }

    /// The span of the key of the mapping entry at `pointer`, if it is one.
    pub fn key_span(&self, pointer: &str) -> Option<Range<usize>> {
        self.walk(pointer).1
    }

    /// An index for a value made from a file of another format (a CSV table, a
    /// CASE package): `place` gives the range a node came from, by JSON pointer;
    /// a node it gives none for points where its parent does. So the schema
    /// check and the resolver point into the file the user wrote, whatever
    /// its format.
    pub(crate) fn mapped(
        value: &Value,
        whole: Range<usize>,
        place: &dyn Fn(&str) -> Option<Range<usize>>,
    ) -> SpanIndex {
        fn node(
            value: &Value,
            pointer: &mut String,
            range: Range<usize>,
            place: &dyn Fn(&str) -> Option<Range<usize>>,
        ) -> SpanNode {
            let child = |pointer: &mut String, token: &str, value: &Value| {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&token.replace('~', "~0").replace('/', "~1"));
                let at = place(pointer).unwrap_or_else(|| range.clone());
                let made = node(value, pointer, at.clone(), place);
                pointer.truncate(len);
                (at, made)
            };
            match value {
                Value::Array(items) => {
                    let children = items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| child(pointer, &i.to_string(), v).1)
                        .collect();
                    SpanNode::Seq(range.clone(), children)
                }
                Value::Object(map) => {
                    let entries = map
                        .iter()
                        .map(|(k, v)| {
                            let (at, value) = child(pointer, k, v);
                            MapEntry {
                                key: k.clone(),
                                key_span: at,
                                value,
                            }
                        })
                        .collect();
                    SpanNode::Map(range.clone(), entries)
                }
                _ => SpanNode::Leaf(range),
            }
        }
        SpanIndex {
            root: node(value, &mut String::new(), whole, place),
        }
    }

    fn walk(&self, pointer: &str) -> (&SpanNode, Option<Range<usize>>) {
        let mut node = &self.root;
        let mut key_span = None;
        for token in pointer.split('/').skip(1) {
            let token = token.replace("~1", "/").replace("~0", "~");
            let next = match node {
                SpanNode::Seq(_, items) => token
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| items.get(i))
                    .map(|n| (n, None)),
                SpanNode::Map(_, entries) => entries
                    .iter()
                    .find(|e| e.key == token)
                    .map(|e| (&e.value, Some(e.key_span.clone()))),
                SpanNode::Leaf(_) => None,
            };
            match next {
                Some((n, k)) => {
                    node = n;
                    key_span = k;
                }
                None => return (node, None),
            }
        }
        (node, key_span)
    }
}

/// A successfully loaded YAML document.
pub struct Loaded {
    pub value: Value,
    pub spans: SpanIndex,
    /// Non-fatal findings such as duplicate keys (the first value is kept).
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses `text`, which sits at byte `base` of file `file`, into one document.
///
/// Fatal problems (syntax, budgets, forbidden features, no or several documents) come
/// back as the single `Err` diagnostic: nothing after them can be trusted.
pub fn parse(
    text: &str,
    base: usize,
    file: FileId,
    budget: Budget,
) -> Result<Loaded, Box<Diagnostic>> {
    let loader = || Loader {
        text,
        base,
        file,
        budget,
        offsets: Offsets::new(text),
        stack: Vec::new(),
        nodes: 0,
        documents: 0,
        duplicates: 0,
        root: None,
        diagnostics: Vec::new(),
    };
    // Plain JSON (a CASE package) is read without YAML's token queue; what
    // is not plain JSON is read as YAML, whose messages then say what is wrong.
    if super::json::looks_like(text)
        && let Ok(loaded) = loader().run(super::json::Events::new(text))
    {
        return Ok(loaded);
    }
    let mut parser = Parser::new_from_str(text);
    loader().run(std::iter::from_fn(move || parser.next_event()))
}

enum Frame {
    Seq {
        start: usize,
        values: Vec<Value>,
        spans: Vec<SpanNode>,
    },
    Map {
        start: usize,
        values: Map<String, Value>,
        entries: Vec<MapEntry>,
        key: Option<(String, Range<usize>)>,
    },
}

struct Loader<'a> {
    text: &'a str,
    base: usize,
    file: FileId,
    budget: Budget,
    offsets: Offsets<'a>,
    stack: Vec<Frame>,
    nodes: usize,
    documents: usize,
    duplicates: usize,
    root: Option<(Value, SpanNode)>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Loader<'a> {
    fn run(
        mut self,
        mut events: impl Iterator<Item = Result<(Event<'a>, saphyr_parser::Span), ScanError>>,
    ) -> Result<Loaded, Box<Diagnostic>> {
        loop {
            let (event, span) = match events.next() {
                None => break,
                Some(Ok(pair)) => pair,
                Some(Err(error)) => return Err(Box::new(self.syntax_error(&error))),
            };
            let range = self.offsets.byte(span.start.index())..self.offsets.byte(span.end.index());
            match event {
                Event::StreamStart | Event::Nothing | Event::DocumentEnd => {}
                Event::StreamEnd => break,
                Event::DocumentStart(_) => {
                    self.documents += 1;
                    if self.documents > 1 {
                        return Err(Box::new(
                            self.error(
                                Code::MultipleDocuments,
                                range,
                                "a second YAML document starts here",
                            )
                            .with_label("second document")
                            .with_hint(
                                "each file holds one document: move this one to its own file",
                            ),
                        ));
                    }
                }
                Event::Alias(_) => {
                    return Err(Box::new(self.alias_error(range)));
                }
                Event::Scalar(value, style, anchor, tag) => {
                    self.forbid(anchor, tag.is_some(), &range)?;
                    self.count(&range)?;
                    self.key_or_value(value.into_owned(), style, range)?;
                }
                Event::SequenceStart(anchor, tag) => {
                    self.forbid(anchor, tag.is_some(), &range)?;
                    self.open(range.start, &range)?;
                    self.stack.push(Frame::Seq {
                        start: range.start,
                        values: Vec::new(),
                        spans: Vec::new(),
                    });
                }
                Event::MappingStart(anchor, tag) => {
                    self.forbid(anchor, tag.is_some(), &range)?;
                    self.open(range.start, &range)?;
                    self.stack.push(Frame::Map {
                        start: range.start,
                        values: Map::new(),
                        entries: Vec::new(),
                        key: None,
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let (value, spans) = match self.stack.pop() {
                        Some(Frame::Seq {
                            start,
                            values,
                            spans,
                        }) => (Value::Array(values), SpanNode::Seq(self.head(start), spans)),
                        Some(Frame::Map {
                            start,
                            values,
                            entries,
                            ..
                        }) => (
                            Value::Object(values),
                            SpanNode::Map(self.head(start), entries),
                        ),
                        None => continue,
                    };
                    self.attach(value, spans);
                }
            }
        }
        match self.root {
            Some((value, spans)) if !is_empty_root(&value, &spans) => Ok(Loaded {
                value,
                spans: SpanIndex { root: spans },
                diagnostics: self.diagnostics,
            }),
            _ => Err(Box::new(
                Diagnostic::new(
                    Code::EmptyDocument,
                    Span::whole(self.file),
                    "no data: the document is empty or only comments",
                )
                .with_hint("fill in the file or delete it"),
            )),
        }
    }

    fn error(&self, code: Code, range: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Span::new(self.file, self.shift(range)), message)
    }

    fn shift(&self, range: Range<usize>) -> Range<usize> {
        range.start + self.base..range.end + self.base
    }

    /// A span from `start` to the end of its line, for containers.
    fn head(&self, start: usize) -> Range<usize> {
        let rest = &self.text[start.min(self.text.len())..];
        let line = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let end = start + rest[..line].trim_end().len();
        start..end.max(start)
    }

    fn syntax_error(&mut self, error: &ScanError) -> Diagnostic {
        let at = self.offsets.byte(error.marker().index());
        let end = self.text[at..]
            .chars()
            .next()
            .map_or(at, |c| at + c.len_utf8());
        if error.info().contains("recursion limit") {
            return self.too_deep(at..end);
        }
        let mut d = self
            .error(
                Code::YamlSyntax,
                at..end,
                format!("invalid YAML: {}", error.info()),
            )
            .with_label("here");
        let info = error.info();
        let hint = if info.contains("tab")
            || self.text[..at].ends_with('\t')
            || self.text[at..].starts_with('\t')
        {
            "indent with spaces: YAML does not allow tabs for indentation"
        } else if info.contains("mapping values are not allowed") {
            "a `: ` inside a value starts a new key: put the whole value in double quotes (\"...\")"
        } else if info.contains("did not find expected key")
            || info.contains("did not find expected '-'")
        {
            "check the indentation: keys of one mapping, and items of one list, line up in the same column"
        } else if info.contains("did not find expected ',' or ']'")
            || info.contains("did not find expected ',' or '}'")
        {
            "a list in [brackets] or a mapping in {braces} is not closed, or an item holds a `,` or `:`: close it, or quote the item"
        } else if info.contains("found character that cannot start any token") {
            "a value that starts with `@`, `` ` `` or `%` must be quoted"
        } else if info.contains("unclosed quoted") || info.contains("end of stream") {
            "a quoted value is not closed: end it with the same quote it starts with"
        } else {
            "fix the YAML at this point; quoting the value often helps"
        };
        d = d.with_hint(hint);
        d
    }

    /// Deep nesting is caught by our depth budget or, for flow collections, by the
    /// parser's own recursion limit; both are the same problem to the author.
    fn too_deep(&self, range: Range<usize>) -> Diagnostic {
        self.error(
            Code::NestingTooDeep,
            range,
            format!(
                "lists and mappings are nested too deeply (the limit is {} levels)",
                self.budget.max_depth
            ),
        )
        .with_label("too deep")
        .with_hint("flatten the structure; curriculum files need only a few levels")
    }

    fn alias_error(&self, range: Range<usize>) -> Diagnostic {
        self.error(
            Code::YamlAlias,
            range,
            "YAML anchors, aliases and merge keys are not allowed",
        )
        .with_label("anchor or alias")
        .with_hint("write the repeated values out in full")
    }

    fn forbid(
        &self,
        anchor: usize,
        tagged: bool,
        range: &Range<usize>,
    ) -> Result<(), Box<Diagnostic>> {
        if anchor != 0 {
            return Err(Box::new(self.alias_error(range.clone())));
        }
        if tagged {
            return Err(Box::new(
                self.error(Code::YamlTag, range.clone(), "YAML tags are not allowed")
                    .with_label("tagged value")
                    .with_hint("remove the tag; to force text, quote the value instead"),
            ));
        }
        Ok(())
    }

    fn count(&mut self, range: &Range<usize>) -> Result<(), Box<Diagnostic>> {
        self.nodes += 1;
        if self.nodes > self.budget.max_nodes {
            return Err(Box::new(
                self.error(
                    Code::TooManyNodes,
                    range.clone(),
                    format!("the document has more than {} nodes", self.budget.max_nodes),
                )
                .with_label("limit reached here")
                .with_hint("split the content into several files"),
            ));
        }
        Ok(())
    }

    fn open(&mut self, start: usize, range: &Range<usize>) -> Result<(), Box<Diagnostic>> {
        if let Some(Frame::Map { key: None, .. }) = self.stack.last() {
            return Err(Box::new(
                self.error(
                    Code::ComplexKey,
                    self.head(start),
                    "a mapping key must be plain text, not a list or mapping",
                )
                .with_label("complex key")
                .with_hint("use a plain text key"),
            ));
        }
        self.count(range)?;
        if self.stack.len() >= self.budget.max_depth {
            return Err(Box::new(self.too_deep(range.clone())));
        }
        Ok(())
    }

    fn key_or_value(
        &mut self,
        text: String,
        style: ScalarStyle,
        range: Range<usize>,
    ) -> Result<(), Box<Diagnostic>> {
        if let Some(Frame::Map {
            key: key @ None, ..
        }) = self.stack.last_mut()
        {
            *key = Some((text, range));
            return Ok(());
        }
        let value = if style == ScalarStyle::Plain {
            plain_scalar(text)
        } else {
            Value::String(text)
        };
        self.attach(value, SpanNode::Leaf(range));
        Ok(())
    }

    fn attach(&mut self, value: Value, spans: SpanNode) {
        let spans = shift_node(spans, self.base);
        match self.stack.last_mut() {
            None => self.root = Some((value, spans)),
            Some(Frame::Seq {
                values, spans: s, ..
            }) => {
                values.push(value);
                s.push(spans);
            }
            Some(Frame::Map {
                values,
                entries,
                key,
                ..
            }) => {
                let (key, key_range) = key.take().expect("a mapping value follows its key");
                let key_span = key_range.start + self.base..key_range.end + self.base;
                if values.contains_key(&key) {
                    // Reported up to a cap: finding the first occurrence is a scan,
                    // and a hostile file may repeat one key a million times.
                    self.duplicates += 1;
                    if self.duplicates <= MAX_DUPLICATE_REPORTS
                        && let Some(first) = entries.iter().find(|e| e.key == key)
                    {
                        let mut d = Diagnostic::new(
                            Code::DuplicateKey,
                            Span::new(self.file, key_span),
                            format!("duplicate key `{key}`: the first value is kept"),
                        )
                        .with_label("duplicate key")
                        .with_related(
                            Span::new(self.file, first.key_span.clone()),
                            "first defined here",
                        )
                        .with_hint("delete one of the two entries");
                        if self.duplicates == MAX_DUPLICATE_REPORTS {
                            d = d.with_hint(format!(
                                "only the first {MAX_DUPLICATE_REPORTS} duplicate keys are reported"
                            ));
                        }
                        self.diagnostics.push(d);
                    }
                } else {
                    values.insert(key.clone(), value);
                    entries.push(MapEntry {
                        key,
                        key_span,
                        value: spans,
                    });
                }
            }
        }
    }
}

fn shift_node(node: SpanNode, base: usize) -> SpanNode {
    if base == 0 {
        return node;
    }
    // Children were shifted when they were attached; only this node's own range moves.
    match node {
        SpanNode::Leaf(r) => SpanNode::Leaf(r.start + base..r.end + base),
        SpanNode::Seq(r, c) => SpanNode::Seq(r.start + base..r.end + base, c),
        SpanNode::Map(r, c) => SpanNode::Map(r.start + base..r.end + base, c),
    }
}

fn is_empty_root(value: &Value, spans: &SpanNode) -> bool {
    value.is_null() && spans.range().is_empty()
}

/// Types a plain scalar by the YAML 1.2 core schema, so `no` stays text and `1.10`
/// becomes the number 1.1 (schemas demand strings for versions and codes).
fn plain_scalar(text: String) -> Value {
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Some(n) = core_int(&text) {
        return Value::Number(n);
    }
    if is_core_float(&text)
        && let Some(n) = text.parse::<f64>().ok().and_then(Number::from_f64)
    {
        return Value::Number(n);
    }
    Value::String(text)
}

fn core_int(text: &str) -> Option<Number> {
    let (digits, radix) = if let Some(oct) = text.strip_prefix("0o") {
        (oct, 8)
    } else if let Some(hex) = text.strip_prefix("0x") {
        (hex, 16)
    } else {
        let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
        if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return text
            .parse::<i64>()
            .map(Number::from)
            .ok()
            .or_else(|| text.parse::<u64>().map(Number::from).ok())
            .or_else(|| text.parse::<f64>().ok().and_then(Number::from_f64));
    };
    if digits.is_empty() {
        return None;
    }
    u64::from_str_radix(digits, radix).ok().map(Number::from)
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_core_float(text: &str) -> bool {
    let s = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            (int.is_empty() && digits(frac)) || (digits(int) && (frac.is_empty() || digits(frac)))
        }
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

/// Converts the parser's character indices to byte offsets.
///
/// Events arrive in document order, so a cursor that walks forward (and rarely back)
/// keeps this linear even for one enormous line; ASCII text needs no walking at all.
struct Offsets<'a> {
    text: &'a str,
    ascii: bool,
    chars: usize,
    bytes: usize,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        Offsets {
            text,
            ascii: text.is_ascii(),
            chars: 0,
            bytes: 0,
        }
    }

    fn byte(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        while self.chars < char_index {
            match self.text[self.bytes..].chars().next() {
                Some(c) => {
                    self.bytes += c.len_utf8();
                    self.chars += 1;
                }
                None => break,
            }
        }
        while self.chars > char_index {
            match self.text[..self.bytes].chars().next_back() {
                Some(c) => {
                    self.bytes -= c.len_utf8();
                    self.chars -= 1;
                }
                None => break,
            }
        }
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Sources;

    fn file() -> FileId {
        Sources::default().add("t.yaml".into(), String::new())
    }

    fn load(text: &str) -> Result<Loaded, Box<Diagnostic>> {
        parse(text, 0, file(), Budget::default())
    }

    #[test]
    fn types_scalars_by_the_core_schema() {
        let doc = load("a: 1\nb: 1.10\nc: no\nd: ~\ne: '1'\nf: 0x1F\ng: .inf\nh: true\ni: -2e3\n")
            .unwrap();
        assert_eq!(
            doc.value,
            serde_json::json!({"a": 1, "b": 1.1, "c": "no", "d": null, "e": "1", "f": 31, "g": ".inf", "h": true, "i": -2000.0})
        );
    }

    #[test]
    fn maps_pointers_to_byte_spans_through_multibyte_text() {
        let text = "title: Café ☕\nitems:\n  - code: 2.A\n    title: Sécurité\n";
        let doc = load(text).unwrap();
        let span = doc.spans.span("/items/0/title");
        assert_eq!(&text[span], "Sécurité");
        let key = doc.spans.key_span("/items/0/code").unwrap();
        assert_eq!(&text[key], "code");
        assert_eq!(&text[doc.spans.span("/items/0")], "code: 2.A");
    }

    #[test]
    fn keeps_the_first_of_duplicate_keys_and_reports_the_second() {
        let doc = load("a: 1\nb: 2\na: 3\n").unwrap();
        assert_eq!(doc.value["a"], 1);
        assert_eq!(doc.diagnostics.len(), 1);
        assert_eq!(doc.diagnostics[0].code, Code::DuplicateKey);
        assert_eq!(doc.diagnostics[0].span.range, Some(10..11));
    }

    #[test]
    fn refuses_what_curriculum_files_never_need() {
        let code = |text: &str| load(text).err().map(|d| d.code);
        assert_eq!(code("a: &x 1\nb: *x\n"), Some(Code::YamlAlias));
        assert_eq!(code("a: !!binary aGk=\n"), Some(Code::YamlTag));
        assert_eq!(code("# nothing\n"), Some(Code::EmptyDocument));
        assert_eq!(code("a: 1\n---\nb: 2\n"), Some(Code::MultipleDocuments));
        assert_eq!(code("? [a, b]\n: c\n"), Some(Code::ComplexKey));
        assert_eq!(code(&"[".repeat(100_000)), Some(Code::NestingTooDeep));
        assert_eq!(code("a: [1, 2\n"), Some(Code::YamlSyntax));
    }

    #[test]
    fn budgets_the_node_count() {
        let text = format!("[{}]", vec!["1"; 50].join(","));
        let budget = Budget {
            max_depth: 64,
            max_nodes: 10,
        };
        let err = parse(&text, 0, file(), budget).err().unwrap();
        assert_eq!(err.code, Code::TooManyNodes);
    }

    #[test]
    fn shifts_spans_by_the_base_offset() {
        let doc = parse("id: x\n", 4, file(), Budget::default()).unwrap();
        assert_eq!(doc.spans.span("/id"), 8..9);
    }
}

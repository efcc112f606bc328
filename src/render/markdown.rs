//! Markdown to a document tree of plain data, for the typst template to walk.
//!
//! Lesson text never becomes typst markup: every piece of text ends up as a JSON
//! string that the template places as text, so `#`, `$`, `*`, `//` or `<` in a
//! lesson can neither change the layout nor run code (see shared notes on the
//! escaping trap). The tree is deliberately small: the constructs lessons use.

use pulldown_cmark::{
    Alignment, CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use serde_json::{Value, json};

/// The Markdown extensions lessons may use.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// The folder of a lesson or assessment, as the root-relative path typst
/// opens its images from: what [`blocks`] takes as `image_dir`.
pub fn image_dir(root: &std::path::Path, folder: &str) -> String {
    let folder = std::path::Path::new(folder);
    let relative = folder.strip_prefix(root).unwrap_or(folder);
    format!("/{}", relative.to_string_lossy().trim_matches('/'))
}

/// Converts Markdown to a list of block nodes. `image_dir` is the folder that
/// relative image paths resolve against, as a root-relative path with a leading `/`.
///
/// Footnote definitions are moved into the references that cite them, so each
/// lesson carries its own notes wherever it is placed.
pub fn blocks(markdown: &str, image_dir: &str) -> Value {
    let mut builder = Builder {
        image_dir,
        stack: vec![Frame::new(json!({"t": "root"}))],
        framed: Vec::new(),
    };
    for event in Parser::new_ext(markdown, options()) {
        builder.event(event);
    }
    let root = builder.stack.pop().expect("the root frame is never popped");
    let mut tree = attach_footnotes(root.children);
    nest_headings(&mut tree);
    tree
}

/// The heading level a lesson's top Markdown headings get: text sits under the
/// document's level-1 title and a level-2 section.
const FIRST_LEVEL: u64 = 3;

/// Renumbers headings so they start at [`FIRST_LEVEL`] and never skip a level
/// (`#` then `###` becomes 3 then 4): tagged PDF (PDF/UA-1) requires
/// consecutive levels, and authors should not have to know that.
fn nest_headings(tree: &mut Value) {
    let mut headings: Vec<&mut Value> = Vec::new();
    let mut stack: Vec<&mut Value> = vec![tree];
    while let Some(node) = stack.pop() {
        if node.get("t").and_then(Value::as_str) == Some("heading") {
            headings.push(node);
            continue;
        }
        match node {
            Value::Array(items) => stack.extend(items.iter_mut().rev()),
            Value::Object(map) => {
                if let Some(children) = map.get_mut("c") {
                    stack.push(children);
                }
            }
            _ => {}
        }
    }
    let Some(top) = headings.iter().filter_map(|h| h["level"].as_u64()).min() else {
        return;
    };
    let mut previous = FIRST_LEVEL - 1;
    for heading in headings {
        let written = heading["level"].as_u64().unwrap_or(top);
        let level = (FIRST_LEVEL + written - top).min(previous + 1).min(6);
        heading["level"] = level.into();
        previous = level;
    }
}

/// Nesting deeper than this (quotes in lists in quotes, emphasis in emphasis...)
/// is flattened into the enclosing node: no lesson needs it, and typst lays out
/// nested elements within a fixed depth (found by the fuzz target: 24, then 16
/// levels of quotes and lists were too many; `tests/fixtures/fuzz/markdown/`
/// keeps the inputs). Only [`FLATTENABLE`] nodes are flattened, so the parts of
/// a table or a code block always keep their shape.
const MAX_DEPTH: usize = 12;

/// Nodes whose children can stand in their parent's place.
const FLATTENABLE: [&str; 9] = [
    "quote", "list", "item", "emph", "strong", "strike", "link", "group", "fndef",
];

fn attach_footnotes(blocks: Vec<Value>) -> Value {
    let (definitions, mut blocks): (Vec<Value>, Vec<Value>) =
        blocks.into_iter().partition(|b| b["t"] == "fndef");
    let notes: std::collections::HashMap<String, Value> = definitions
        .into_iter()
        .map(|def| {
            // A note's paragraphs become one run of inline nodes.
            let inline: Vec<Value> = def["c"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|b| match b["c"].as_array() {
                    Some(children) => children.clone(),
                    None => vec![b.clone()],
                })
                .collect();
            let label = def["label"].as_str().unwrap_or("").to_owned();
            (label, Value::Array(inline))
        })
        .collect();
    let mut stack: Vec<&mut Value> = blocks.iter_mut().collect();
    while let Some(node) = stack.pop() {
        let Value::Object(map) = node else { continue };
        if map.get("t").and_then(Value::as_str) == Some("fnref") {
            let label = map.get("label").and_then(Value::as_str).unwrap_or("");
            let note = notes.get(label).cloned().unwrap_or_else(|| json!([]));
            // Not walked further: a note citing itself must not expand forever.
            map.insert("c".into(), note);
            continue;
        }
        if let Some(Value::Array(children)) = map.get_mut("c") {
            stack.extend(children.iter_mut());
        }
    }
    Value::Array(blocks)
}

struct Frame {
    node: Value,
    children: Vec<Value>,
}

impl Frame {
    fn new(node: Value) -> Self {
        Frame {
            node,
            children: Vec::new(),
        }
    }
}

struct Builder<'a> {
    image_dir: &'a str,
    stack: Vec<Frame>,
    /// One entry per open tag: whether it has a frame (`false`: flattened).
    framed: Vec<bool>,
}

impl Builder<'_> {
    fn push_leaf(&mut self, node: Value) {
        self.stack
            .last_mut()
            .expect("the root frame is always there")
            .children
            .push(node);
    }

    fn open(&mut self, node: Value) {
        let flatten = self.stack.len() >= MAX_DEPTH
            && node["t"].as_str().is_some_and(|t| FLATTENABLE.contains(&t));
        self.framed.push(!flatten);
        if !flatten {
            self.stack.push(Frame::new(node));
        }
    }

    fn close(&mut self) {
        if self.stack.len() < 2 {
            return;
        }
        let frame = self.stack.pop().expect("checked above");
        let mut node = frame.node;
        node["c"] = Value::Array(frame.children);
        self.push_leaf(node);
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(_) if !self.framed.pop().unwrap_or(false) => {}
            Event::End(TagEnd::Image) => {
                // Alt text was collected as children; flatten it to one string.
                let frame = self.stack.pop().expect("an image frame is open");
                let mut node = frame.node;
                node["alt"] = Value::String(plain_text(&frame.children));
                self.push_leaf(node);
            }
            Event::End(TagEnd::CodeBlock) => {
                let frame = self.stack.pop().expect("a code frame is open");
                let text: String = frame
                    .children
                    .iter()
                    .filter_map(|c| c["v"].as_str())
                    .collect();
                let mut node = frame.node;
                node["v"] = Value::String(text.strip_suffix('\n').unwrap_or(&text).to_owned());
                self.push_leaf(node);
            }
            Event::End(TagEnd::Heading(_))
                if plain_text(&self.stack.last().expect("a heading is open").children)
                    .trim()
                    .is_empty() =>
            {
                // An empty heading shows nothing, and a tagged PDF may not have one.
                self.stack.pop();
            }
            Event::End(_) => self.close(),
            Event::Text(text) => self.push_leaf(json!({"t": "text", "v": text.as_ref()})),
            Event::Code(code) => self.push_leaf(json!({"t": "code", "v": code.as_ref()})),
            Event::SoftBreak => self.push_leaf(json!({"t": "text", "v": " "})),
            Event::HardBreak => self.push_leaf(json!({"t": "linebreak"})),
            Event::Rule => self.push_leaf(json!({"t": "rule"})),
            Event::FootnoteReference(label) => {
                self.push_leaf(json!({"t": "fnref", "label": label.as_ref()}))
            }
            Event::TaskListMarker(done) => self.push_leaf(json!({"t": "task", "done": done})),
            // Raw HTML and math are shown as the text the author wrote.
            Event::Html(text)
            | Event::InlineHtml(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text) => self.push_leaf(json!({"t": "text", "v": text.as_ref()})),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        let node = match tag {
            Tag::Paragraph => json!({"t": "para"}),
            Tag::Heading { level, .. } => json!({"t": "heading", "level": heading_level(level)}),
            Tag::BlockQuote(_) => json!({"t": "quote"}),
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_owned()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                json!({"t": "codeblock", "lang": lang})
            }
            Tag::List(start) => {
                json!({"t": "list", "ordered": start.is_some(), "start": start.unwrap_or(1)})
            }
            Tag::Item => json!({"t": "item"}),
            Tag::FootnoteDefinition(label) => json!({"t": "fndef", "label": label.as_ref()}),
            Tag::Table(aligns) => json!({"t": "table", "align": aligns.iter().map(|a| match a {
                Alignment::Left | Alignment::None => "left",
                Alignment::Center => "center",
                Alignment::Right => "right",
            }).collect::<Vec<_>>()}),
            Tag::TableHead => json!({"t": "thead"}),
            Tag::TableRow => json!({"t": "row"}),
            Tag::TableCell => json!({"t": "cell"}),
            Tag::Emphasis => json!({"t": "emph"}),
            Tag::Strong => json!({"t": "strong"}),
            Tag::Strikethrough => json!({"t": "strike"}),
            Tag::Link {
                link_type: LinkType::Email,
                dest_url,
                ..
            } => json!({"t": "link", "url": format!("mailto:{dest_url}")}),
            // typst has no empty link; the text stays (C008 reports the link).
            Tag::Link { dest_url, .. } if dest_url.is_empty() => json!({"t": "group"}),
            Tag::Link { dest_url, .. } => json!({"t": "link", "url": dest_url.as_ref()}),
            Tag::Image {
                dest_url, title, ..
            } => {
                let mut node = json!({"t": "image", "src": self.image_path(&dest_url)});
                if let Some(percent) = print_width(&title) {
                    node["width"] = percent.into();
                }
                node
            }
            // Constructs not enabled above; keep their content as a plain group.
            _ => json!({"t": "group"}),
        };
        self.open(node);
    }

    /// Relative image paths resolve against the lesson's folder; the template
    /// hands them to typst as root-relative paths inside the sandbox.
    fn image_path(&self, dest: &str) -> String {
        if dest.starts_with('/') {
            dest.to_owned()
        } else {
            format!("{}/{}", self.image_dir.trim_end_matches('/'), dest)
        }
    }
}

/// A CNC program of a lesson: a ```gcode block that starts with its program
/// number (an O-word), as a file a control can load.
pub struct Program {
    /// The O-word, as written: `O1005`.
    pub number: String,
    /// The block's text, byte for byte.
    pub text: String,
}

/// The programs among the ```gcode blocks of `markdown`, in order. A block
/// without a program number is an excerpt, not a program.
pub fn programs(markdown: &str) -> Vec<Program> {
    let mut found = Vec::new();
    let mut open: Option<String> = None;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.split_whitespace().next() == Some("gcode") =>
            {
                open = Some(String::new());
            }
            Event::Text(text) => {
                if let Some(block) = &mut open {
                    block.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let Some(text) = open.take() else { continue };
                let first = text
                    .lines()
                    .map(str::trim)
                    .find(|l| !l.is_empty() && *l != "%")
                    .unwrap_or("");
                let digits = first
                    .strip_prefix(['O', 'o'])
                    .map(|rest| rest.chars().take_while(char::is_ascii_digit).count())
                    .unwrap_or(0);
                if digits > 0 {
                    found.push(Program {
                        number: first[..1 + digits].to_uppercase(),
                        text,
                    });
                }
            }
            _ => {}
        }
    }
    found
}

/// The printed width an image's title asks for, in percent of the text
/// width: `![alt](lathe.svg "width=60%")`. Any other title is a tooltip and
/// leaves the width to the layout.
fn print_width(title: &str) -> Option<u8> {
    let percent = title.trim().strip_prefix("width=")?.strip_suffix('%')?;
    percent.parse().ok().filter(|p| (10..=100).contains(p))
}

/// The text an event puts on the page as written: text and code, and raw HTML
/// and math, which lessons print as the author wrote them (see `Builder::event`).
pub fn printed_text<'e>(event: &'e Event<'_>) -> Option<&'e str> {
    match event {
        Event::Text(t)
        | Event::Code(t)
        | Event::Html(t)
        | Event::InlineHtml(t)
        | Event::InlineMath(t)
        | Event::DisplayMath(t) => Some(t),
        _ => None,
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The text of inline nodes, without formatting (for alt text).
fn plain_text(nodes: &[Value]) -> String {
    let mut out = String::new();
    let mut stack: Vec<&Value> = nodes.iter().rev().collect();
    while let Some(node) = stack.pop() {
        if let Some(v) = node["v"].as_str() {
            out.push_str(v);
        }
        if let Some(children) = node["c"].as_array() {
            stack.extend(children.iter().rev());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_stays_data() {
        let tree = blocks(
            "# Title\n\nSome *emph* and `G01 X1.` // not a comment $x$ #set\n",
            "/lessons",
        );
        assert_eq!(tree[0]["t"], "heading");
        assert_eq!(tree[0]["c"][0]["v"], "Title");
        let para = &tree[1]["c"];
        assert_eq!(para[1]["t"], "emph");
        assert_eq!(para[3]["t"], "code");
        assert_eq!(para[3]["v"], "G01 X1.");
        assert!(
            para[4]["v"]
                .as_str()
                .unwrap()
                .contains("// not a comment $x$ #set")
        );
    }

    #[test]
    fn gcode_blocks_with_a_program_number_are_programs() {
        let body = "```gcode\n%\nO1005 (PLATE)\nG90\n%\n```\n\n```gcode\nG01 X1\n```\n\n```text\nO1\n```\n";
        let found = programs(body);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].number, "O1005");
        assert_eq!(found[0].text, "%\nO1005 (PLATE)\nG90\n%\n");
    }

    #[test]
    fn an_image_title_can_set_its_printed_width() {
        let tree = blocks(
            "![a](a.svg \"width=60%\")\n\n![b](b.svg \"width=300%\")\n\n![c](c.svg \"A tooltip\")",
            "/l",
        );
        let widths: Vec<&Value> = (0..3).map(|i| &tree[i]["c"][0]["width"]).collect();
        assert_eq!(widths, [&json!(60), &Value::Null, &Value::Null]);
    }

    #[test]
    fn images_resolve_against_the_lesson_folder_and_keep_alt_text() {
        let tree = blocks("![A *bold* diagram](d.svg)\n", "/lessons/cnc-mill");
        let image = &tree[0]["c"][0];
        assert_eq!(image["src"], "/lessons/cnc-mill/d.svg");
        assert_eq!(image["alt"], "A bold diagram");
    }

    #[test]
    fn headings_start_under_the_section_and_never_skip() {
        let tree = blocks("## A\n\n#### B\n\n### C\n\n## D\n\n> ##### E\n", "/");
        let levels: Vec<u64> = [0, 1, 2, 3]
            .iter()
            .map(|&i| tree[i]["level"].as_u64().unwrap())
            .collect();
        assert_eq!(levels, [3, 4, 4, 3]);
        assert_eq!(tree[4]["c"][0]["level"], 4);
    }

    #[test]
    fn footnotes_travel_with_their_references() {
        let tree = blocks(
            "Cut dry.[^oil]\n\n[^oil]: Cast iron needs no *coolant*.\n",
            "/",
        );
        assert_eq!(tree.as_array().unwrap().len(), 1, "{tree}");
        let note = &tree[0]["c"][1];
        assert_eq!(note["t"], "fnref");
        assert_eq!(note["c"][0]["v"], "Cast iron needs no ");
        assert_eq!(note["c"][1]["t"], "emph");
    }

    #[test]
    fn a_footnote_citing_itself_does_not_expand_forever() {
        let tree = blocks("See.[^a]\n\n[^a]: Again.[^a]\n", "/");
        assert_eq!(tree[0]["c"][1]["c"][1]["t"], "fnref");
        assert!(tree[0]["c"][1]["c"][1].get("c").is_none());
    }

    #[test]
    fn deep_nesting_is_flattened_not_followed() {
        let text = format!("{}deep text\n", "> ".repeat(5000));
        let tree = blocks(&text, "/");
        let mut depth = 0;
        let mut node = &tree[0];
        while let Some(child) = node["c"].get(0) {
            depth += 1;
            node = child;
        }
        assert!(depth <= MAX_DEPTH, "{depth}");
        assert!(tree.to_string().contains("deep text"));
    }

    #[test]
    fn code_blocks_keep_their_lines() {
        let tree = blocks("```gcode\nG00 X0\nG01 X1 F5\n```\n", "/");
        assert_eq!(tree[0]["lang"], "gcode");
        assert_eq!(tree[0]["v"], "G00 X0\nG01 X1 F5");
    }
}

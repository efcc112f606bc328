//! Markdown to a document tree of plain data, for the typst template to walk.
//!
//! Lesson text never becomes typst markup: every piece of text ends up as a JSON
//! string that the template places as text, so `#`, `$`, `*`, `//` or `<` in a
//! lesson can neither change the layout nor run code (see shared notes on the
//! escaping trap). The tree is deliberately small: the constructs lessons use.

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde_json::{Value, json};

/// The Markdown extensions lessons may use.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Converts Markdown to a list of block nodes. `image_dir` is the folder that
/// relative image paths resolve against, as a root-relative path with a leading `/`.
pub fn blocks(markdown: &str, image_dir: &str) -> Value {
    let mut builder = Builder {
        image_dir,
        stack: vec![Frame::new(json!({"t": "root"}))],
    };
    for event in Parser::new_ext(markdown, options()) {
        builder.event(event);
    }
    let root = builder.stack.pop().expect("the root frame is never popped");
    Value::Array(root.children)
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
        self.stack.push(Frame::new(node));
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
            Tag::Link { dest_url, .. } => json!({"t": "link", "url": dest_url.as_ref()}),
            Tag::Image { dest_url, .. } => json!({"t": "image", "src": self.image_path(&dest_url)}),
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
    for node in nodes {
        if let Some(v) = node["v"].as_str() {
            out.push_str(v);
        }
        if let Some(children) = node["c"].as_array() {
            out.push_str(&plain_text(children));
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
    fn images_resolve_against_the_lesson_folder_and_keep_alt_text() {
        let tree = blocks("![A *bold* diagram](d.svg)\n", "/lessons/cnc-mill");
        let image = &tree[0]["c"][0];
        assert_eq!(image["src"], "/lessons/cnc-mill/d.svg");
        assert_eq!(image["alt"], "A bold diagram");
    }

    #[test]
    fn code_blocks_keep_their_lines() {
        let tree = blocks("```gcode\nG00 X0\nG01 X1 F5\n```\n", "/");
        assert_eq!(tree[0]["lang"], "gcode");
        assert_eq!(tree[0]["v"], "G00 X0\nG01 X1 F5");
    }
}

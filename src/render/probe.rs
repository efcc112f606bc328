//! Lesson Markdown alone through the renderer, for the fuzz targets and the
//! CommonMark conformance test: does any body typeset, and is its text all there?

use serde_json::{Value, json};
use typst::foundations::Bytes;
use typst::layout::{Frame, FrameItem};
use typst::syntax::Source;

use super::{Date, DocumentWorld, RenderError, Renderer, file_id, markdown};

const MAIN: &str = "/.cib/probe.typ";
/// Every image a probed body names is this picture: the bodies come from
/// fuzzers and the spec, not from a curriculum with files beside it (`cib check`
/// vets real image files before typst sees them).
const STAND_IN_PATH: &str = "/stand-in.svg";
const STAND_IN: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>"#;

/// A renderer that also knows the probe template.
pub struct Probe {
    renderer: Renderer,
}

impl Default for Probe {
    fn default() -> Self {
        let mut renderer = Renderer::default();
        renderer.sources.push(Source::new(
            file_id(MAIN),
            include_str!("probe.typ").to_owned(),
        ));
        Probe { renderer }
    }
}

impl Probe {
    /// Typesets `markdown` as a tagged PDF/UA-1 file, exactly as a lesson body is,
    /// and returns the text laid out on the page in reading order.
    pub fn text(&self, markdown: &str) -> Result<String, RenderError> {
        let data = json!({
            "doc": {
                "title": "Probe", "author": "cib", "keywords": [], "lang": "en",
                "region": "US", "header": "", "footer": "",
            },
            "blocks": stand_in_images(markdown::blocks(markdown, "/lessons")),
        });
        let world = DocumentWorld {
            renderer: &self.renderer,
            root: std::env::temp_dir(),
            main: file_id(MAIN),
            data: Bytes::new(serde_json::to_vec(&data).expect("JSON values serialize")),
            today: Date {
                year: 2026,
                month: 1,
                day: 1,
            }
            .datetime(),
            stand_in: Some(Bytes::new(STAND_IN.as_bytes())),
        };
        let typeset = self.renderer.typeset(&world, "probe");
        // typst memoizes across compilations; a fuzzer makes millions of them, so
        // forget what was not used lately, as typst's own watch mode does.
        typst::comemo::evict(10);
        let (document, _) = typeset?;
        let mut text = String::new();
        for page in document.pages() {
            collect_text(&page.frame, &mut text);
        }
        Ok(text)
    }
}

/// Points every image of a document tree at the stand-in picture.
fn stand_in_images(mut tree: Value) -> Value {
    let mut stack = vec![&mut tree];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if map.get("t").and_then(Value::as_str) == Some("image") {
                    map.insert("src".into(), STAND_IN_PATH.into());
                }
                stack.extend(map.values_mut());
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
    tree
}

fn collect_text(frame: &Frame, out: &mut String) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => collect_text(&group.frame, out),
            FrameItem::Text(text) => {
                out.push_str(&text.text);
                out.push(' ');
            }
            _ => {}
        }
    }
}

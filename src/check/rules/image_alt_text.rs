//! C007: every lesson image has alt text and a file next to the lesson.

use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::diag::{Code, Diagnostic, Span};
use crate::model::Curriculum;

use super::Index;

pub fn check(c: &Curriculum, _: &Index, out: &mut Vec<Diagnostic>) {
    for lesson in &c.lessons {
        let folder = Path::new(&lesson.folder);
        let mut open: Option<(String, std::ops::Range<usize>, String)> = None;
        for (event, range) in
            Parser::new_ext(&lesson.body, crate::render::markdown_options()).into_offset_iter()
        {
            match event {
                Event::Start(Tag::Image { dest_url, .. }) => {
                    open = Some((dest_url.to_string(), range, String::new()))
                }
                Event::Text(text) | Event::Code(text) if open.is_some() => {
                    open.as_mut().expect("checked").2.push_str(&text);
                }
                Event::End(TagEnd::Image) => {
                    let Some((dest, range, alt)) = open.take() else {
                        continue;
                    };
                    let span = Span::new(
                        lesson.file,
                        lesson.body_offset + range.start..lesson.body_offset + range.end,
                    );
                    if alt.trim().is_empty() {
                        out.push(
                            Diagnostic::new(Code::ImageAltText, span.clone(), format!("image `{dest}` has no alt text"))
                                .with_label("describe this image")
                                .with_hint("write what the image shows between the brackets: ![Description](file.svg)"),
                        );
                    }
                    let local = !dest.contains(':') && !dest.starts_with('/');
                    if local && !folder.join(&dest).is_file() {
                        out.push(
                            Diagnostic::new(Code::ImageAltText, span, format!("image file `{dest}` is not next to the lesson"))
                                .with_label("no such file")
                                .with_hint("image paths are relative to the lesson's folder; check the file name"),
                        );
                    }
                }
                _ => {}
            }
        }
    }
}

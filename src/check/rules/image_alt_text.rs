//! C007: every lesson image has alt text and a file next to the lesson.

use std::path::Path;

use crate::diag::{Code, Diagnostic};
use crate::model::Curriculum;

use super::references::{self, Reference};
use super::{Index, unsafe_path};

pub fn check(c: &Curriculum, _: &Index, out: &mut Vec<Diagnostic>) {
    for lesson in &c.lessons {
        let folder = Path::new(&lesson.folder);
        for text in references::texts(lesson) {
            let place = text.place();
            for image in references::scan(text.markdown)
                .into_iter()
                .filter(|r| r.image)
            {
                let span = text.span(lesson, &image.range);
                let dest = &image.dest;
                if missing_alt(&image) {
                    out.push(
                        Diagnostic::new(Code::ImageAltText, span.clone(), format!("image `{dest}`{place} has no alt text"))
                            .with_label("describe this image")
                            .with_hint("write what the image shows between the brackets: ![Description](file.svg)"),
                    );
                }
                // A path written unsafely is C008's finding, not a missing file.
                if unsafe_path::written(&image).is_none() && !folder.join(dest).is_file() {
                    out.push(
                        Diagnostic::new(
                            Code::ImageAltText,
                            span,
                            format!("image file `{dest}`{place} is not next to the lesson"),
                        )
                        .with_label("no such file")
                        .with_hint(
                            "image paths are relative to the lesson's folder; check the file name",
                        ),
                    );
                }
            }
        }
    }
}

/// An image a screen reader could say nothing about.
pub fn missing_alt(image: &Reference) -> bool {
    image.alt.trim().is_empty()
}

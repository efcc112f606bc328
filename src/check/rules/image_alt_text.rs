//! C007: every image of a lesson or assessment (an assessment's prints too) has
//! alt text and a file in its folder.

use std::path::Path;

use crate::diag::{Code, Diagnostic};
use crate::model::Curriculum;

use super::references::{self, Reference};
use super::{Index, unsafe_path};

pub fn check(c: &Curriculum, _: &Index, out: &mut Vec<Diagnostic>) {
    for page in references::pages(c) {
        let folder = Path::new(page.folder);
        for found in page.references().into_iter().filter(|f| f.reference.image) {
            let (image, place) = (&found.reference, &found.place);
            let dest = &image.dest;
            if missing_alt(image) {
                let hint = if found.figure {
                    "write what the print shows under its `alt:`: the part, its views and its key dimensions"
                } else {
                    "write what the image shows between the brackets: ![Description](file.svg)"
                };
                out.push(
                    Diagnostic::new(
                        Code::ImageAltText,
                        found.span.clone(),
                        format!("image `{dest}`{place} has no alt text"),
                    )
                    .with_label("describe this image")
                    .with_hint(hint),
                );
            }
            // A path written unsafely is C008's finding, not a missing file.
            if unsafe_path::written(image).is_none() && !folder.join(dest).is_file() {
                out.push(
                    Diagnostic::new(
                        Code::ImageAltText,
                        found.span,
                        format!(
                            "image file `{dest}`{place} is not next to the {}",
                            page.what
                        ),
                    )
                    .with_label("no such file")
                    .with_hint(format!(
                        "image paths are relative to the {}'s folder; check the file name",
                        page.what
                    )),
                );
            }
        }
    }
}

/// An image a screen reader could say nothing about.
pub fn missing_alt(image: &Reference) -> bool {
    image.alt.trim().is_empty()
}

//! C007: every image of a lesson or assessment (an assessment's prints too) has
//! alt text and a file in its folder.

use std::path::Path;

use crate::diag::{Code, Diagnostic};
use crate::model::Curriculum;

use super::references::{self, Reference};
use super::{Index, unsafe_path};

pub fn check(c: &Curriculum, _: &Index, out: &mut Vec<Diagnostic>) {
    for page in references::pages(c) {
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
            let path = page.file(dest);
            if unsafe_path::written(image).is_none() && !path.is_file() {
                let (whereabouts, fix) = if dest.starts_with('/') {
                    (
                        "in the shared `assets/` folder".to_owned(),
                        "`/assets/…` paths name files of the curriculum's `assets/` folder",
                    )
                } else {
                    (
                        format!("next to the {}", page.what),
                        "image paths are relative to the folder of the file that shows them",
                    )
                };
                let hint = match near_file(&path) {
                    Some(near) => {
                        let near = match dest.rsplit_once('/') {
                            Some((dir, _)) => format!("{dir}/{near}"),
                            None => near,
                        };
                        format!("did you mean `{near}`? {fix}")
                    }
                    None => format!("{fix}; check the file name"),
                };
                out.push(
                    Diagnostic::new(
                        Code::ImageAltText,
                        found.dest_span,
                        format!("image file `{dest}`{place} is not {whereabouts}"),
                    )
                    .with_label("no such file")
                    .with_hint(hint),
                );
            }
        }
    }
}

/// A file in the same folder whose name is a likely typo's target (`Cylinder.SVG`
/// for `cylinder.svg`, `ppe-diagram.svg` for `ppe-diagarm.svg`).
fn near_file(path: &Path) -> Option<String> {
    let wanted = path.file_name()?.to_str()?;
    let names: Vec<String> = std::fs::read_dir(path.parent()?)
        .ok()?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .take(10_000)
        .collect();
    let near = crate::diag::suggest(wanted, names.iter().map(String::as_str))?;
    Some(near.to_owned())
}

/// An image a screen reader could say nothing about.
pub fn missing_alt(image: &Reference) -> bool {
    image.alt.trim().is_empty()
}

//! C008: images (an assessment's prints too) are files inside the curriculum,
//! links are web or e-mail addresses.

use std::path::Path;

use crate::diag::{Code, Diagnostic};
use crate::model::Curriculum;

use super::Index;
use super::references::{self, Reference};

pub fn check(c: &Curriculum, _: &Index, out: &mut Vec<Diagnostic>) {
    for page in references::pages(c) {
        let root = Path::new(page.root).canonicalize().ok();
        for found in page.references() {
            let reference = &found.reference;
            let escaped = written(reference).or_else(|| {
                let root = root.as_ref().filter(|_| reference.image)?;
                let real = page.file(&reference.dest).canonicalize().ok()?;
                (!real.starts_with(root)).then(|| {
                    (
                        format!("leads outside the curriculum, to {}", real.display()),
                        "copy the image into the folder that uses it instead of linking to it",
                    )
                })
            });
            let Some((problem, hint)) = escaped else {
                continue;
            };
            let what = if reference.image { "image" } else { "link" };
            out.push(
                Diagnostic::new(
                    Code::UnsafePath,
                    found.dest_span.clone(),
                    format!("{what} `{}`{} {problem}", reference.dest, found.place),
                )
                .with_label(format!("{what} refused"))
                .with_hint(hint),
            );
        }
    }
}

/// What is wrong with how a reference is written, and how to fix it. Images must
/// name a file below the lesson's folder; links must be web or e-mail addresses.
pub fn written(reference: &Reference) -> Option<(String, &'static str)> {
    let dest = reference.dest.as_str();
    if !reference.image {
        let allowed = reference.email
            || scheme(dest).is_some_and(|s| {
                ["http", "https", "mailto"]
                    .iter()
                    .any(|a| s.eq_ignore_ascii_case(a))
            });
        let problem = match scheme(dest) {
            _ if allowed => return None,
            Some(s) => format!("uses the `{s}:` scheme, which a printed lesson cannot open safely"),
            None if dest.is_empty() => "has no target".to_owned(),
            None => "is not a web or e-mail address; a PDF cannot follow it".to_owned(),
        };
        return Some((
            problem,
            "link to a web page (https://…) or an e-mail address (mailto:…); name other lessons in the text",
        ));
    }
    let problem = if is_drive_path(dest) {
        "is a Windows drive path"
    } else if scheme(dest).is_some() {
        "is an address, not a file: cib never downloads anything"
    } else if dest.starts_with('/') && !shared(dest) {
        "is an absolute path; only `/assets/…` names a file, in the curriculum's shared images folder"
    } else if dest.contains('\\') {
        "uses `\\`; paths are written with `/`"
    } else if dest.split('/').any(|part| part == "..") {
        "climbs out of its folder with `..`"
    } else {
        return None;
    };
    Some((
        problem.to_owned(),
        "write the path of an image file in the folder of the lesson or assessment, relative to it, with `/` between folders: ![Description](images/part.svg); an image many lessons use goes in the curriculum's `assets/` folder: ![Description](/assets/ppe.svg)",
    ))
}

/// An image of the shared folder, `/assets/…`: the one path written from the root.
fn shared(dest: &str) -> bool {
    dest.strip_prefix('/')
        .and_then(|rest| rest.strip_prefix(crate::load::ASSETS))
        .is_some_and(|rest| rest.starts_with('/') && rest.len() > 1)
}

/// The URL scheme of `dest`, as RFC 3986 spells one, if it has one.
fn scheme(dest: &str) -> Option<&str> {
    let (scheme, _) = dest.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

/// `C:`, `C:\…`, `c:/…`: absolute or drive-relative on Windows.
fn is_drive_path(dest: &str) -> bool {
    let bytes = dest.as_bytes();
    bytes.len() >= 2
        && bytes[0].is_ascii_alphabetic()
        && bytes[1] == b':'
        && (bytes.len() == 2 || matches!(bytes[2], b'\\' | b'/'))
}

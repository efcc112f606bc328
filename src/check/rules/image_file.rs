//! C009: every image of a lesson or assessment is a picture typst can place, of
//! a bounded size.

use std::io::Read;
use std::path::Path;

use crate::diag::{Code, Diagnostic};
use crate::model::Curriculum;
use crate::render::MAX_IMAGE_BYTES;

use super::references;
use super::{Index, unsafe_path};

/// The most pixels along either side of a raster image.
pub const MAX_IMAGE_SIDE: usize = 10_000;
/// The most pixels in a raster image: typst decodes it whole into memory
/// (4 bytes a pixel), so this bounds the memory one image can take.
pub const MAX_IMAGE_PIXELS: usize = 40_000_000;

pub fn check(c: &Curriculum, _: &Index, out: &mut Vec<Diagnostic>) {
    for page in references::pages(c) {
        for found in page.references() {
            let image = &found.reference;
            if !image.image || unsafe_path::written(image).is_some() {
                continue;
            }
            let path = page.file(&image.dest);
            if !path.is_file() {
                continue; // C007 reports it.
            }
            if let Err((problem, hint)) = inspect(&path) {
                out.push(
                    Diagnostic::new(
                        Code::ImageFile,
                        found.span,
                        format!("image `{}` {problem}", image.dest),
                    )
                    .with_label("cannot be printed")
                    .with_hint(hint),
                );
            }
        }
    }
}

/// The pixels a raster image has once decoded, read from its header; `None`
/// for SVG and for a file this rule refuses.
pub(super) fn pixels(path: &Path) -> Option<u64> {
    inspect(path).ok().flatten()
}

/// Checks an image file's name, size and header without decoding it, and
/// returns its pixel count (`None` for SVG).
fn inspect(path: &Path) -> Result<Option<u64>, (String, &'static str)> {
    let convert = "export it as PNG, JPEG or SVG";
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let expected = match extension.as_str() {
        "png" => Some(imagesize::ImageType::Png),
        "jpg" | "jpeg" => Some(imagesize::ImageType::Jpeg),
        "gif" => Some(imagesize::ImageType::Gif),
        "webp" => Some(imagesize::ImageType::Webp),
        "svg" => None,
        _ => {
            return Err((
                format!("is not a picture format cib prints (`.{extension}`)"),
                "use a .png, .jpg, .gif, .webp or .svg file; export it as PNG, JPEG or SVG",
            ));
        }
    };
    let unreadable = |e: std::io::Error| {
        (
            format!("cannot be read: {e}"),
            "check the file's permissions",
        )
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len();
    if size > MAX_IMAGE_BYTES {
        return Err((
            format!(
                "is {}, larger than the 8 MiB limit",
                crate::load::megabytes(size)
            ),
            "make it smaller: a page is 8.5 inches wide, so 2 500 pixels across is plenty",
        ));
    }
    let Some(expected) = expected else {
        return Ok(None);
    };
    let mut header = Vec::new();
    file.take(64 * 1024)
        .read_to_end(&mut header)
        .map_err(unreadable)?;
    let found = imagesize::image_type(&header).ok();
    if found != Some(expected) {
        return Err((
            format!("is not a .{extension} file inside (the name and the content disagree)"),
            convert,
        ));
    }
    let size =
        imagesize::blob_size(&header).map_err(|_| ("has a damaged header".to_owned(), convert))?;
    if size.width == 0
        || size.height == 0
        || size.width.max(size.height) > MAX_IMAGE_SIDE
        || size.width.saturating_mul(size.height) > MAX_IMAGE_PIXELS
    {
        return Err((
            format!(
                "is {} × {} pixels; the limit is {MAX_IMAGE_SIDE} a side and {} megapixels",
                size.width,
                size.height,
                MAX_IMAGE_PIXELS / 1_000_000
            ),
            "scale it down: a page is 8.5 inches wide, so 2 500 pixels across is plenty",
        ));
    }
    Ok(Some((size.width * size.height) as u64))
}

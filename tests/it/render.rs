//! Lessons render to PDF through the embedded typst: same inputs, same bytes;
//! student documents leave instructor material out.

use std::path::Path;

use cib::model::Audience;
use cib::render::Renderer;

fn render(root: &Path, lesson_id: &str, audience: Audience) -> Vec<u8> {
    let checked = cib::check(root).expect("check runs");
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    let c = &checked.curriculum;
    let lesson = c
        .lessons
        .iter()
        .find(|l| l.id.value.as_str() == lesson_id)
        .expect("lesson");
    let document = cib::render::lesson(root, c, lesson, audience);
    Renderer::default()
        .pdf(root, &document)
        .map(|r| r.pdf)
        .unwrap_or_else(|e| panic!("{lesson_id} {audience:?}: {e}"))
}

#[test]
fn a_lesson_renders_the_same_bytes_twice() {
    let root = crate::fixtures().join("base");
    let first = render(&root, "lesson-one", Audience::Instructor);
    assert!(first.starts_with(b"%PDF-"));
    let second = render(&root, "lesson-one", Audience::Instructor);
    assert!(first == second, "two renders differ");
    let student = render(&root, "lesson-one", Audience::Student);
    assert!(student != first);
}

#[test]
fn repository_lessons_with_tables_code_and_diagrams_render() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for id in [
        "mtt-outside-micrometer",
        "cnc-mill-circular-interpolation",
        "cnc-lathe-startup-and-coordinates",
    ] {
        for audience in [Audience::Instructor, Audience::Student] {
            let pdf = render(root, id, audience);
            assert!(pdf.len() > 10_000, "{id}: {} bytes", pdf.len());
        }
    }
}

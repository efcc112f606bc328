//! Entry points for the fuzz targets in `fuzz/` (feature `fuzzing`) and for the
//! regression tests made from what they found (`tests/fixtures/fuzz/`).
//!
//! Each function takes arbitrary bytes and panics when a property cib promises is
//! broken: that is how a fuzzer learns of a failure. Running out of a budget is
//! not a failure; a panic, an internal error or a wrong result is.

use std::sync::OnceLock;

use crate::check::rules::{image_alt_text, references, unprintable_character, unsafe_path};
use crate::diag::render::{self, Format};
use crate::load::{self, Kind};
use crate::render::probe::Probe;

/// A YAML data file of any kind (the first byte picks which) through load, schema,
/// resolve and rules, then its findings in every output format.
pub fn data_file(bytes: &[u8]) {
    let Some((&selector, rest)) = bytes.split_first() else {
        return;
    };
    let (kind, path) = match selector % 3 {
        0 => (Kind::Curriculum, "curriculum.yaml"),
        1 => (Kind::Framework, "frameworks/fuzz.yaml"),
        _ => (Kind::CompetencyFramework, "competencies/fuzz.yaml"),
    };
    check(kind, path, rest);
}

/// A lesson file: the front-matter split, then the same path as [`data_file`].
pub fn lesson_file(bytes: &[u8]) {
    check(Kind::Lesson, "lessons/fuzz.md", bytes);
}

fn check(kind: Kind, path: &str, bytes: &[u8]) {
    let loaded = load::from_bytes(kind, path, bytes.to_vec());
    let checked = crate::checked(loaded, true).unwrap_or_else(|e| panic!("{e}"));
    for format in [Format::Human, Format::Short, Format::Json, Format::Github] {
        let mut out = Vec::new();
        render::write(
            &mut out,
            format,
            true,
            &checked.diagnostics,
            &checked.sources,
        )
        .expect("writing to memory cannot fail");
    }
}

/// A lesson body through the renderer. Property: any body typesets as PDF/UA-1
/// without error, and every piece of its text is on the page, unless `cib check`
/// refuses it for what typst cannot print (an image without alt text, a
/// character no font has).
pub fn markdown(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Err(failure) = render_body(text) {
        panic!("{failure}");
    }
}

/// What became of a Markdown body.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    /// Typeset, with all its text on the page.
    Rendered,
    /// `cib check` refuses it, with this code. Bodies refused for their paths
    /// (C008) are typeset all the same, as the sandbox must hold without the
    /// check; those typst could not print (no alt text, no font) are not.
    Refused(&'static str),
}

/// Renders a body as a lesson's; `Err` says how the property broke.
fn render_body(text: &str) -> Result<Outcome, String> {
    let references = references::scan(text);
    if references
        .iter()
        .any(|r| r.image && image_alt_text::missing_alt(r))
    {
        return Ok(Outcome::Refused("C007"));
    }
    if text.contains('\0') {
        return Ok(Outcome::Refused("L003"));
    }
    if unprintable_character::in_markdown(text).is_some() {
        return Ok(Outcome::Refused("C010"));
    }
    let outcome = match references.iter().any(|r| unsafe_path::written(r).is_some()) {
        true => Outcome::Refused("C008"),
        false => Outcome::Rendered,
    };
    static PROBE: OnceLock<Probe> = OnceLock::new();
    let rendered = PROBE
        .get_or_init(Probe::default)
        .text(text)
        .map_err(|e| format!("typst refused a body: {e}"))?;
    let shown = letters(&rendered);
    for fragment in visible_text(text) {
        // Lines as typst breaks them: a lone `\r` or U+2028 breaks a line too,
        // and a code block numbers every line.
        for line in fragment.split(typst::syntax::is_newline) {
            if !shown.contains(&letters(line)) {
                return Err(format!(
                    "the text {line:?} is missing from the page, which reads {rendered:?}"
                ));
            }
        }
    }
    Ok(outcome)
}

/// The letters and digits of `text`: what must survive typesetting, whatever
/// happens to spaces, punctuation (smart quotes) and line numbers.
fn letters(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The pieces of text a reader should see: text, code and raw HTML (shown as
/// written), but not image descriptions, which are read aloud, not printed.
fn visible_text(markdown: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = Vec::new();
    let mut in_image = 0usize;
    for event in Parser::new_ext(markdown, crate::render::markdown_options()) {
        match event {
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            _ if in_image == 0 => {
                out.extend(crate::render::printed_text(&event).map(str::to_owned))
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::fmt::Write;
    use std::path::Path;

    use super::{Outcome, render_body};

    /// Whether a body went through typst (C008 bodies do; see [`Outcome`]).
    fn typeset(outcome: &Outcome) -> bool {
        matches!(outcome, Outcome::Rendered | Outcome::Refused("C008"))
    }

    /// Every example of the CommonMark spec (0.31.2) renders as a lesson body
    /// with all its text, or is refused by `cib check` before typst sees it.
    /// The snapshot is the per-section summary docs/commonmark.md explains.
    #[test]
    fn commonmark_spec_examples_render_or_are_refused() {
        #[derive(serde::Deserialize)]
        struct Example {
            number: usize,
            section: String,
            markdown: String,
        }
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/commonmark/spec-0.31.2.json");
        let examples: Vec<Example> =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!(examples.len(), 652);
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
        let outcomes: Vec<(usize, Result<Outcome, String>)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|w| {
                    let examples = &examples;
                    scope.spawn(move || {
                        examples
                            .iter()
                            .skip(w)
                            .step_by(workers)
                            .map(|e| (e.number, render_body(&e.markdown)))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        });
        let failures: Vec<String> = outcomes
            .iter()
            .filter_map(|(n, o)| o.as_ref().err().map(|e| format!("example {n}: {e}")))
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));

        let outcome: BTreeMap<usize, &Outcome> = outcomes
            .iter()
            .map(|(n, o)| (*n, o.as_ref().unwrap()))
            .collect();
        let mut sections: Vec<(&str, Vec<usize>)> = Vec::new();
        for e in &examples {
            match sections.last_mut() {
                Some((name, numbers)) if *name == e.section => numbers.push(e.number),
                _ => sections.push((&e.section, vec![e.number])),
            }
        }
        let mut summary = String::from(
            "section | examples | typeset, all text shown | refused by cib check (code)\n",
        );
        for (name, numbers) in &sections {
            let refused: Vec<String> = numbers
                .iter()
                .filter_map(|n| match outcome[n] {
                    Outcome::Refused(code) => Some(format!("{n} ({code})")),
                    Outcome::Rendered => None,
                })
                .collect();
            let typeset = numbers.iter().filter(|n| typeset(outcome[n])).count();
            writeln!(
                summary,
                "{name} | {} | {typeset} | {}",
                numbers.len(),
                refused.join(", ")
            )
            .unwrap();
        }
        let total = outcome.values().filter(|o| typeset(o)).count();
        let refused = outcome
            .values()
            .filter(|o| ***o != Outcome::Rendered)
            .count();
        writeln!(summary, "all | 652 | {total} | {refused}").unwrap();
        insta::assert_snapshot!(summary);
    }

    /// Every input a fuzzer ever crashed on, kept as a regression test.
    #[test]
    fn past_fuzz_findings_stay_fixed() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
        type Target = (&'static str, fn(&[u8]));
        let targets: [Target; 3] = [
            ("data_file", super::data_file),
            ("lesson_file", super::lesson_file),
            ("markdown", super::markdown),
        ];
        let mut seen = 0;
        for (target, run) in targets {
            let Ok(entries) = std::fs::read_dir(dir.join(target)) else {
                continue;
            };
            for entry in entries {
                let path = entry.unwrap().path();
                let bytes = std::fs::read(&path).unwrap();
                let outcome = std::panic::catch_unwind(|| run(&bytes));
                assert!(outcome.is_ok(), "{target} fails on {}", path.display());
                seen += 1;
            }
        }
        assert!(seen > 0, "no fuzz findings under {}", dir.display());
    }
}

//! C025: text that `cib init` and `cib new` write for the author to replace.
//! Every such text is a whole value or line that starts "Replace with" or
//! "Replace this with", so finding it needs no list of templates, and the
//! same words inside a sentence of the author's own are left alone.

use crate::diag::{Code, Diagnostic, Span};
use crate::load::Document;

const MARKERS: [&str; 2] = ["Replace with ", "Replace this with "];

/// The placeholders in one file: one finding per line that holds one.
pub fn find(doc: &Document, text: &str) -> Vec<Diagnostic> {
    let body_start = doc.body.as_ref().map_or(usize::MAX, |b| b.start);
    let yaml_file = !doc.kind.has_front_matter();
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let yaml = yaml_file || start < body_start;
        let Some(at) = placeholder_in(line, yaml) else {
            continue;
        };
        let shown = line[at..].trim_end();
        let shown = shown.trim_end_matches(['"', '\'']);
        out.push(
            Diagnostic::new(
                Code::Placeholder,
                Span::new(doc.file, start + at..start + at + shown.len()),
                format!("template text left in place: \"{shown}\""),
            )
            .with_label("write your own text here")
            .with_hint("`cib init` and `cib new` leave these for you to replace; `--deny warnings` keeps them out of print"),
        );
    }
    out
}

/// Where a placeholder starts in `line`: the whole value of a YAML line (a
/// list item, a mapping value or a line of a block scalar), or a Markdown line.
fn placeholder_in(line: &str, yaml: bool) -> Option<usize> {
    let content = line.trim_start();
    if yaml && content.starts_with('#') {
        return None;
    }
    let mut rest = content;
    if yaml {
        rest = rest.strip_prefix("- ").unwrap_or(rest);
        if let Some((key, value)) = rest.split_once(": ")
            && !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        {
            rest = value;
        }
        rest = rest.trim_start_matches(['"', '\'']);
    }
    MARKERS
        .iter()
        .any(|m| rest.starts_with(m))
        .then(|| line.len() - rest.len())
}

#[cfg(test)]
mod tests {
    use super::placeholder_in;

    #[test]
    fn finds_whole_values_and_lines_only() {
        fn found(line: &str, yaml: bool) -> Option<&str> {
            placeholder_in(line, yaml).map(|at| &line[at..])
        }
        assert_eq!(
            found(
                "    title: Replace with the first competency's title\n",
                true
            ),
            Some("Replace with the first competency's title\n")
        );
        assert_eq!(
            found("  - Replace with what a student can do.\n", true),
            Some("Replace with what a student can do.\n")
        );
        assert_eq!(
            found("    q1: \"Replace with the answer.\"\n", true),
            Some("Replace with the answer.\"\n")
        );
        assert_eq!(
            found("Replace this with the lesson text.\n", false),
            Some("Replace this with the lesson text.\n")
        );
        // The author's own sentences, and comments, are not placeholders.
        assert_eq!(
            found("  source: Assumed. Replace with your list.\n", true),
            None
        );
        assert_eq!(
            found("    SFM; replace with your press's steps.\n", true),
            None
        );
        assert_eq!(found("# Replace with your standards\n", true), None);
        assert_eq!(found("# Replace with headings\n", false), None);
    }
}

//! Findings about content are data, not errors.
//!
//! Every stage reports what it finds as [`Diagnostic`] values that point into
//! [`Sources`]; nothing is printed until the CLI hands them to [`render`]. That keeps
//! the stages testable, lets one run report every problem instead of the first, and
//! lets the same findings come out as human text, one-liners, JSON or CI annotations.

mod codes;
pub mod render;
mod sources;

use std::ops::Range;

pub use codes::Code;
pub use sources::{FileId, Sources};

/// How bad a finding is; decides the exit status together with `--deny warnings`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    /// The lower-case word used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A place in a loaded file: the file, and the byte range when one is known.
///
/// A range is absent for findings about a whole file (too large, unreadable).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub file: FileId,
    pub range: Option<Range<usize>>,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Span {
            file,
            range: Some(range),
        }
    }

    /// A finding about the file as a whole.
    pub fn whole(file: FileId) -> Self {
        Span { file, range: None }
    }
}

/// One finding, located, with a stable [`Code`] that `cib explain` documents.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    /// Text shown under the caret of the primary span.
    pub label: Option<String>,
    /// Other places that explain the finding (the first of two duplicates, a cycle's edges).
    pub related: Vec<(Span, String)>,
    /// What to do about it.
    pub hints: Vec<String>,
    /// The word the author likely meant, for an editor to offer as a fix.
    pub suggestion: Option<Suggestion>,
}

/// A likely typo and its correction: `word`, written at the finding's span,
/// should probably read `with`.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    pub word: String,
    pub with: String,
}

impl Diagnostic {
    /// A finding with the code's default severity.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            message: message.into(),
            span,
            label: None,
            related: Vec::new(),
            hints: Vec::new(),
            suggestion: None,
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push((span, message.into()));
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Adds a "did you mean" hint when one of `candidates` is close to `word`.
    pub fn with_suggestion<'a>(
        self,
        word: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        match suggest(word, candidates) {
            Some(best) => {
                let mut found = self.with_hint(format!("did you mean `{best}`?"));
                found.suggestion = Some(Suggestion {
                    word: word.to_owned(),
                    with: best.to_owned(),
                });
                found
            }
            None => self,
        }
    }
}

/// The closest candidate to `word`, if any is close enough to be a likely typo.
/// A candidate that differs only in case, spaces or punctuation wins
/// (`1910.252b` is `1910.252(b)`); otherwise few edits must separate them, not
/// just a shared prefix and suffix (`WLD-BRAZE-01` is not `WLD-CAC-01`).
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let bare = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let lowered = word.to_lowercase();
    let wanted = bare(word);
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .filter_map(|c| {
            let lower = c.to_lowercase();
            let same = !wanted.is_empty() && bare(c) == wanted;
            let edits = strsim::normalized_damerau_levenshtein(&lowered, &lower);
            let close = strsim::jaro_winkler(&lowered, &lower);
            (same || (edits >= 0.7 && close >= 0.85)).then_some(((same, edits, close), c))
        })
        .max_by(|(a, x), (b, y)| {
            a.0.cmp(&b.0)
                .then(a.1.total_cmp(&b.1))
                .then(a.2.total_cmp(&b.2))
                .then_with(|| y.cmp(x))
        })
        .map(|(_, c)| c)
}

/// Orders findings by file, then position, then code, so output is stable across runs.
pub fn sort(diagnostics: &mut [Diagnostic], sources: &Sources) {
    diagnostics.sort_by(|a, b| {
        let range = |d: &Diagnostic| d.span.range.as_ref().map(|r| (r.start, r.end));
        sources
            .path(a.span.file)
            .cmp(sources.path(b.span.file))
            .then_with(|| range(a).cmp(&range(b)))
            .then_with(|| a.code.cmp(&b.code))
            .then_with(|| a.message.cmp(&b.message))
    });
}

/// Counts of findings by severity, for summaries and the exit status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
}

impl Tally {
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        Tally {
            errors,
            warnings: diagnostics.len() - errors,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::suggest;

    #[test]
    fn suggests_close_matches_only() {
        let ids = ["MTT-SAF-01", "MTT-SAF-02", "CNC-MILL-01"];
        assert_eq!(suggest("MTT-SAF-1", ids), Some("MTT-SAF-01"));
        assert_eq!(
            suggest("isPartof", ["exactMatchOf", "isPartOf", "isRelatedTo"]),
            Some("isPartOf")
        );
        assert_eq!(suggest("zzz", ids), None);
        // A shared prefix and suffix is not a typo; punctuation left out is.
        assert_eq!(suggest("WLD-BRAZE-01", ["WLD-CAC-01", "WLD-GMAW-01"]), None);
        assert_eq!(
            suggest("1910.252b", ["1910.252", "1910.252(b)", "1910.253"]),
            Some("1910.252(b)")
        );
    }
}

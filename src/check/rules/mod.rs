//! Semantic rules over the resolved curriculum, one rule per file.
//!
//! Each rule reads the [`Curriculum`] and an [`Index`] of its ids and appends
//! findings; none of them reads files or YAML. To add one, see CONTRIBUTING.md.

mod answer_key_mismatch;
mod assessment_time;
mod bundle_order;
pub(crate) mod calculation;
mod coverage_exception;
mod criterion_competency;
mod delivery_hours;
mod document_size;

pub use document_size::Sizes;
mod empty_statement;
mod formula_problem;
mod gcode;
pub(crate) mod image_alt_text;
mod image_file;
mod invalid_gcode;
mod machine_capacity;
mod measured_limits;
mod missing_sheet;
mod prerequisite_cycle;
mod procedure_overrun;
pub(crate) mod references;
pub(crate) mod repeated_section;
mod rounding_direction;
mod rubric_levels;
mod spindle_limit;
mod undemonstrated_skill;
mod unevidenced_competency;
mod unknown_alignment_target;
mod unknown_lesson_competency;
mod unknown_level;
pub(crate) mod unprintable_character;
mod unresolved_reference;
pub(crate) mod unsafe_path;
mod untaught_competency;
mod wrong_calculation;

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Diagnostic;
use crate::model::{Competency, Curriculum, Framework};

/// Lookups shared by the rules, built once.
pub struct Index<'c> {
    /// Each lesson's and assessment's size, measured once (C028).
    sizes: &'c document_size::Sizes,
    pub competencies: BTreeMap<&'c str, &'c Competency>,
    pub lessons: BTreeSet<&'c str>,
    pub frameworks: BTreeMap<&'c str, &'c Framework>,
    pub competency_frameworks: BTreeSet<&'c str>,
    curriculum: &'c Curriculum,
    /// Every lesson's calculations recomputed, by lesson then calculation, on
    /// first use: the calculator is the slowest part of a check, three rules
    /// read them, and a check of what crosses files needs none.
    calculations: std::sync::OnceLock<Vec<Vec<Recomputed>>>,
}

/// A calculation recomputed, or why it could not be.
type Recomputed = Result<calculation::Outcome, Option<calculation::Finding>>;

impl<'c> Index<'c> {
    pub fn new(c: &'c Curriculum, sizes: &'c document_size::Sizes) -> Self {
        Index {
            sizes,
            competencies: c.competencies().map(|k| (k.id.value.as_str(), k)).collect(),
            lessons: c.lessons.iter().map(|l| l.id.value.as_str()).collect(),
            frameworks: c
                .frameworks
                .iter()
                .map(|f| (f.id.value.as_str(), f))
                .collect(),
            competency_frameworks: c
                .competency_frameworks
                .iter()
                .map(|f| f.id.value.as_str())
                .collect(),
            curriculum: c,
            calculations: std::sync::OnceLock::new(),
        }
    }

    pub fn calculations(&self) -> &[Vec<Recomputed>] {
        let c = self.curriculum;
        self.calculations.get_or_init(|| {
            crate::parallel::map(&c.lessons, |lesson| {
                lesson
                    .calculations
                    .iter()
                    .map(|calc| calculation::calculate(c, calc))
                    .collect()
            })
        })
    }
}

/// A rule: reads the curriculum, appends findings.
type Rule = fn(&Curriculum, &Index, &mut Vec<Diagnostic>);

/// Which rules a check runs: all of them, or those of one kind of
/// dependence on lessons. The language server checks an edited lesson with
/// [`Scope::Lesson`] on its own and [`Scope::Across`] over everything, and
/// keeps what [`Scope::Rest`] found until a file other than a lesson changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    All,
    /// Rules whose findings in a lesson's file depend on that lesson and on
    /// no other, and whose findings elsewhere depend on no lesson at all.
    Lesson,
    /// Rules whose findings depend on several lessons at once.
    Across,
    /// Rules that read no lesson.
    Rest,
}

/// Every rule with its scope (never [`Scope::All`]). `lsp` tests hold a
/// lesson's findings, checked on its own, equal to a whole check's.
const RULES: [(Scope, Rule); 32] = [
    (Scope::Across, unresolved_reference::check),
    (Scope::Rest, prerequisite_cycle::check),
    (Scope::Rest, unknown_alignment_target::check),
    (Scope::Lesson, unknown_lesson_competency::check),
    (Scope::Across, untaught_competency::check),
    (Scope::Rest, empty_statement::check),
    (Scope::Lesson, answer_key_mismatch::check),
    (Scope::Lesson, wrong_calculation::check),
    (Scope::Lesson, invalid_gcode::check),
    (Scope::Rest, delivery_hours::check),
    (Scope::Lesson, procedure_overrun::check),
    (Scope::Lesson, image_alt_text::check),
    (Scope::Lesson, unsafe_path::check),
    (Scope::Lesson, image_file::check),
    (Scope::Lesson, unprintable_character::check),
    (Scope::Rest, rubric_levels::check),
    (Scope::Rest, criterion_competency::check),
    (Scope::Rest, unevidenced_competency::check),
    (Scope::Rest, measured_limits::check),
    (Scope::Rest, assessment_time::check),
    (Scope::Across, undemonstrated_skill::check),
    (Scope::Lesson, repeated_section::check),
    (Scope::Lesson, missing_sheet::check),
    (Scope::Rest, coverage_exception::check),
    (Scope::Lesson, machine_capacity::check),
    (Scope::Lesson, spindle_limit::check),
    (Scope::Lesson, rounding_direction::check),
    (Scope::Lesson, formula_problem::check),
    (Scope::Rest, unknown_level::check),
    (Scope::Across, bundle_order::check),
    (Scope::Lesson, document_size::check),
    (Scope::Across, document_size::bundles),
];

/// Runs every rule (in parallel: they are independent) and returns what they
/// found, in the order of the rules.
pub fn run(c: &Curriculum) -> Vec<Diagnostic> {
    run_scoped(c, Scope::All, &Sizes::default())
}

/// Runs the rules of `scope`, as [`run`] does, with what is known of the
/// pages' sizes.
pub fn run_scoped(c: &Curriculum, scope: Scope, sizes: &Sizes) -> Vec<Diagnostic> {
    let index = Index::new(c, sizes);
    let rules: Vec<Rule> = RULES
        .into_iter()
        .filter(|(of, _)| scope == Scope::All || *of == scope)
        .map(|(_, rule)| rule)
        .collect();
    crate::parallel::map(&rules, |rule| {
        let mut out = Vec::new();
        rule(c, &index, &mut out);
        out
    })
    .concat()
}

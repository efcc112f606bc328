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
mod repeated_section;
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
    pub competencies: BTreeMap<&'c str, &'c Competency>,
    pub lessons: BTreeSet<&'c str>,
    pub frameworks: BTreeMap<&'c str, &'c Framework>,
    pub competency_frameworks: BTreeSet<&'c str>,
    /// Every lesson's calculations recomputed, by lesson then calculation: the
    /// calculator is the slowest part of a check, and three rules read them.
    pub calculations: Vec<Vec<Result<calculation::Outcome, Option<calculation::Finding>>>>,
}

impl<'c> Index<'c> {
    pub fn new(c: &'c Curriculum) -> Self {
        Index {
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
            calculations: crate::parallel::map(&c.lessons, |lesson| {
                lesson
                    .calculations
                    .iter()
                    .map(|calc| calculation::calculate(c, calc))
                    .collect()
            }),
        }
    }
}

/// A rule: reads the curriculum, appends findings.
type Rule = fn(&Curriculum, &Index, &mut Vec<Diagnostic>);

const RULES: [Rule; 31] = [
    unresolved_reference::check,
    prerequisite_cycle::check,
    unknown_alignment_target::check,
    unknown_lesson_competency::check,
    untaught_competency::check,
    empty_statement::check,
    answer_key_mismatch::check,
    wrong_calculation::check,
    invalid_gcode::check,
    delivery_hours::check,
    procedure_overrun::check,
    image_alt_text::check,
    unsafe_path::check,
    image_file::check,
    unprintable_character::check,
    rubric_levels::check,
    criterion_competency::check,
    unevidenced_competency::check,
    measured_limits::check,
    assessment_time::check,
    undemonstrated_skill::check,
    repeated_section::check,
    missing_sheet::check,
    coverage_exception::check,
    machine_capacity::check,
    spindle_limit::check,
    rounding_direction::check,
    formula_problem::check,
    unknown_level::check,
    bundle_order::check,
    document_size::check,
];

/// Runs every rule (in parallel: they are independent) and returns what they
/// found, in the order of the rules.
pub fn run(c: &Curriculum) -> Vec<Diagnostic> {
    let index = Index::new(c);
    crate::parallel::map(&RULES, |rule| {
        let mut out = Vec::new();
        rule(c, &index, &mut out);
        out
    })
    .concat()
}

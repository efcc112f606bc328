//! Semantic rules over the resolved curriculum, one rule per file.
//!
//! Each rule reads the [`Curriculum`] and an [`Index`] of its ids and appends
//! findings; none of them reads files or YAML. To add one, see CONTRIBUTING.md.

mod answer_key_mismatch;
mod delivery_hours;
mod empty_statement;
pub(crate) mod image_alt_text;
mod image_file;
mod invalid_gcode;
mod prerequisite_cycle;
mod procedure_overrun;
pub(crate) mod references;
mod unknown_alignment_target;
mod unknown_lesson_competency;
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
        }
    }
}

/// Runs every rule and returns what they found.
pub fn run(c: &Curriculum) -> Vec<Diagnostic> {
    let index = Index::new(c);
    let mut out = Vec::new();
    unresolved_reference::check(c, &index, &mut out);
    prerequisite_cycle::check(c, &index, &mut out);
    unknown_alignment_target::check(c, &index, &mut out);
    unknown_lesson_competency::check(c, &index, &mut out);
    untaught_competency::check(c, &index, &mut out);
    empty_statement::check(c, &index, &mut out);
    answer_key_mismatch::check(c, &index, &mut out);
    wrong_calculation::check(c, &index, &mut out);
    invalid_gcode::check(c, &index, &mut out);
    delivery_hours::check(c, &index, &mut out);
    procedure_overrun::check(c, &index, &mut out);
    image_alt_text::check(c, &index, &mut out);
    unsafe_path::check(c, &index, &mut out);
    image_file::check(c, &index, &mut out);
    unprintable_character::check(c, &index, &mut out);
    out
}

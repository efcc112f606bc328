//! Stage: questions answered from the resolved curriculum, for the stages that
//! publish it — what lessons teach (which lessons a bundle holds is
//! [`crate::model::bundle`], since `cib check` needs it too), how
//! far each external framework item is covered ([`coverage`]) — and what
//! changed between two versions of a framework ([`diff`]).
//!
//! Nothing here reads files; every answer is a function of the [`Curriculum`],
//! and every report prints these numbers rather than computing its own.

pub mod coverage;
pub mod delivery;
pub mod diff;

use crate::model::{Competency, Curriculum, Lesson};

/// The competencies a lesson teaches, resolved, in the order the lesson lists them.
pub fn taught<'c>(c: &'c Curriculum, lesson: &Lesson) -> Vec<&'c Competency> {
    lesson
        .teaches
        .iter()
        .filter_map(|id| c.competency(id.value.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ItemRef;
    use crate::model::bundle::{is_within, lessons as bundle_lessons};
    use std::collections::BTreeSet;
    use std::path::Path;

    fn ids(lessons: &[&Lesson]) -> Vec<String> {
        lessons.iter().map(|l| l.id.value.to_string()).collect()
    }

    #[test]
    fn selectors_pick_lessons_once_in_teaching_order() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let checked = crate::check(root).unwrap();
        let c = &checked.curriculum;
        let settings = c.settings.as_ref().unwrap();
        let bundle = |id: &str| {
            settings
                .bundles
                .iter()
                .find(|b| b.id.value.as_str() == id)
                .unwrap()
        };
        let osha = bundle_lessons(c, bundle("osha-10-student"));
        assert_eq!(osha.len(), 10, "{:?}", ids(&osha));
        assert!(osha.iter().all(|l| l.folder.ends_with("osha-10")));
        let prep = bundle_lessons(c, bundle("macwic-l1-prep"));
        let unique: BTreeSet<String> = ids(&prep).into_iter().collect();
        assert_eq!(unique.len(), prep.len());
        // Every selected lesson teaches a competency covering an item under
        // MACWIC L1; one only related to such an item is not enough.
        let l1 = ItemRef::parse("macwic-amtp:L1").unwrap();
        for lesson in &prep {
            assert!(
                taught(c, lesson)
                    .iter()
                    .flat_map(|k| &k.alignments)
                    .any(|a| a.relation.covers() && is_within(c, &a.target.value, &l1)),
                "{}",
                lesson.id.value
            );
        }
        let related_only: Vec<&Lesson> = c
            .lessons
            .iter()
            .filter(|l| {
                let alignments = || taught(c, l).into_iter().flat_map(|k| &k.alignments);
                alignments().any(|a| is_within(c, &a.target.value, &l1))
                    && !alignments()
                        .any(|a| a.relation.covers() && is_within(c, &a.target.value, &l1))
            })
            .collect();
        assert!(
            !related_only.is_empty(),
            "the repository has a lesson only related to L1"
        );
        assert!(
            related_only
                .iter()
                .all(|l| !prep.iter().any(|p| p.id.value == l.id.value))
        );
        let first = |l: &&Lesson| {
            l.teaches
                .iter()
                .filter_map(|t| c.competencies().position(|k| k.id.value == t.value))
                .min()
                .unwrap()
        };
        let order: Vec<usize> = osha.iter().map(first).collect();
        assert!(order.is_sorted(), "{order:?}");
        let l2 = ItemRef::parse("macwic-amtp:L2").unwrap();
        assert!(!is_within(c, &l1, &l2));
    }
}

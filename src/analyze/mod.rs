//! Stage: questions answered from the resolved curriculum, for the stages that
//! publish it — which lessons a bundle holds, what those lessons teach, how
//! far each external framework item is covered ([`coverage`]) — and what
//! changed between two versions of a framework ([`diff`]).
//!
//! Nothing here reads files; every answer is a function of the [`Curriculum`],
//! and every report prints these numbers rather than computing its own.

pub mod coverage;
pub mod diff;

use std::collections::BTreeSet;

use crate::model::{Bundle, Competency, Curriculum, ItemRef, Lesson};

/// The lessons a bundle selects: its listed `lessons` first, in the order written,
/// then every other lesson its `frameworks` (at its `levels`, if any) or
/// `aligned_to` items select, in teaching order (by the first selected competency
/// each teaches, in framework order). A lesson appears once however many
/// selectors pick it.
pub fn bundle_lessons<'c>(c: &'c Curriculum, bundle: &Bundle) -> Vec<&'c Lesson> {
    let mut chosen: Vec<&Lesson> = bundle
        .lessons
        .iter()
        .filter_map(|id| c.lessons.iter().find(|l| l.id.value == id.value))
        .collect();
    let selects = |k: &Competency| {
        let by_framework = bundle.frameworks.iter().any(|f| f.value == k.framework)
            && (bundle.levels.is_empty() || bundle.levels.contains(&k.level));
        let by_alignment = k.alignments.iter().any(|a| {
            bundle
                .aligned_to
                .iter()
                .any(|target| is_within(c, &a.target.value, &target.value))
        });
        by_framework || by_alignment
    };
    let selected: BTreeSet<&str> = c
        .competencies()
        .filter(|k| selects(k))
        .map(|k| k.id.value.as_str())
        .collect();
    // Selected lessons follow the frameworks' teaching order: by the earliest
    // competency they teach, then by the curriculum's lesson order.
    let position: std::collections::HashMap<&str, usize> = c
        .competencies()
        .enumerate()
        .map(|(i, k)| (k.id.value.as_str(), i))
        .collect();
    let mut picked: Vec<(usize, usize, &Lesson)> = c
        .lessons
        .iter()
        .enumerate()
        .filter(|(_, lesson)| !chosen.iter().any(|l| l.id.value == lesson.id.value))
        .filter_map(|(order, lesson)| {
            lesson
                .teaches
                .iter()
                .filter(|t| selected.contains(t.value.as_str()))
                .filter_map(|t| position.get(t.value.as_str()).copied())
                .min()
                .map(|first| (first, order, lesson))
        })
        .collect();
    picked.sort_by_key(|&(first, order, _)| (first, order));
    chosen.extend(picked.into_iter().map(|(_, _, lesson)| lesson));
    chosen
}

/// Whether `item` is `ancestor` or lies below it in its framework's tree.
fn is_within(c: &Curriculum, item: &ItemRef, ancestor: &ItemRef) -> bool {
    if item.framework != ancestor.framework {
        return false;
    }
    let Some(framework) = c.framework(&item.framework) else {
        return false;
    };
    let mut at = framework
        .items
        .iter()
        .position(|i| i.code.value == item.code);
    while let Some(index) = at {
        let node = &framework.items[index];
        if node.code.value == ancestor.code {
            return true;
        }
        at = node.parent;
    }
    false
}

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
        // Every selected lesson teaches a competency aligned under MACWIC L1.
        let l1 = ItemRef::parse("macwic-amtp:L1").unwrap();
        for lesson in &prep {
            assert!(
                taught(c, lesson)
                    .iter()
                    .flat_map(|k| &k.alignments)
                    .any(|a| is_within(c, &a.target.value, &l1)),
                "{}",
                lesson.id.value
            );
        }
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

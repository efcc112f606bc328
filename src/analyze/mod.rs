//! Stage: questions answered from the resolved curriculum, for the stages that
//! publish it — which lessons a bundle holds, what those lessons teach, how
//! far each external framework item is covered ([`coverage`]) — and what
//! changed between two versions of a framework ([`diff`]).
//!
//! Nothing here reads files; every answer is a function of the [`Curriculum`],
//! and every report prints these numbers rather than computing its own.

pub mod coverage;
pub mod delivery;
pub mod diff;

use crate::model::{
    Assessment, Bundle, BundleOrder, Competency, CompetencyId, Curriculum, ItemRef, Lesson, Spanned,
};

/// The lessons a bundle selects: its listed `lessons` first, in the order written,
/// then every other lesson its `frameworks` (at its `levels`, if any) or
/// `aligned_to` items select (through alignments that cover them; a lesson
/// only related to an exam topic is not preparation for it), in teaching order (by the first selected competency
/// each teaches, in framework order). A lesson appears once however many
/// selectors pick it. Unless the bundle's `order` is `listed`, the whole list
/// is then put in teaching order ([`crate::model::order::teaching_order`]):
/// stable, so a list already in that order is left as it is.
pub fn bundle_lessons<'c>(c: &'c Curriculum, bundle: &Bundle) -> Vec<&'c Lesson> {
    let listed = bundle
        .lessons
        .iter()
        .filter_map(|id| c.lessons.iter().find(|l| l.id.value == id.value))
        .collect();
    let selects = |k: &Competency| {
        let by_framework = in_program(bundle, k);
        let by_alignment = k.alignments.iter().any(|a| {
            a.relation.covers()
                && bundle
                    .aligned_to
                    .iter()
                    .any(|target| is_within(c, &a.target.value, &target.value))
        });
        by_framework || by_alignment
    };
    let lessons = listed_then_selected(c, listed, &c.lessons, |l| &l.teaches, selects);
    match bundle.order {
        BundleOrder::Prerequisites => crate::model::order::teaching_order(c, lessons),
        BundleOrder::Listed => lessons,
    }
}

/// Whether a competency belongs to one of the bundle's `frameworks`, at its
/// `levels` if it names any.
fn in_program(bundle: &Bundle, k: &Competency) -> bool {
    bundle.frameworks.iter().any(|f| f.value == k.framework)
        && (bundle.levels.is_empty() || bundle.levels.iter().any(|l| l.value == k.level.value))
}

/// The assessments a bundle holds: its listed `assessments` first, in the
/// order written, then every assessment that demonstrates a competency of
/// the bundle's `frameworks` (at its `levels`), in teaching order (by the
/// earliest such competency, then curriculum order). Bundles chosen only by
/// alignment hold none but those listed: an exam-preparation bundle is
/// lessons.
pub fn bundle_assessments<'c>(c: &'c Curriculum, bundle: &Bundle) -> Vec<&'c Assessment> {
    let listed = bundle
        .assessments
        .iter()
        .filter_map(|id| c.assessment(id.value.as_str()))
        .collect();
    listed_then_selected(
        c,
        listed,
        &c.assessments,
        |a| &a.demonstrates,
        |k| in_program(bundle, k),
    )
}

/// `listed`, then every other entry of `all` that names (through `names`) a
/// competency `selected` picks, in the frameworks' teaching order: by the
/// earliest such competency, then by the curriculum's order.
fn listed_then_selected<'c, T>(
    c: &Curriculum,
    mut listed: Vec<&'c T>,
    all: &'c [T],
    names: impl Fn(&'c T) -> &'c [Spanned<CompetencyId>],
    selected: impl Fn(&Competency) -> bool,
) -> Vec<&'c T> {
    let position: std::collections::HashMap<&str, usize> = c
        .competencies()
        .enumerate()
        .filter(|(_, k)| selected(k))
        .map(|(i, k)| (k.id.value.as_str(), i))
        .collect();
    let mut picked: Vec<(usize, usize, &T)> = all
        .iter()
        .enumerate()
        .filter(|(_, entry)| !listed.iter().any(|l| std::ptr::eq(*l, *entry)))
        .filter_map(|(order, entry)| {
            names(entry)
                .iter()
                .filter_map(|id| position.get(id.value.as_str()).copied())
                .min()
                .map(|first| (first, order, entry))
        })
        .collect();
    picked.sort_by_key(|&(first, order, _)| (first, order));
    listed.extend(picked.into_iter().map(|(_, _, entry)| entry));
    listed
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

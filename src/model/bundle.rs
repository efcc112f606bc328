//! Which lessons and assessments a bundle holds, and in what order. It is part
//! of the model, not of `analyze`, because both `cib check` (C027, C028's
//! bundle limits) and the build ask it.

use super::{
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
pub fn lessons<'c>(c: &'c Curriculum, bundle: &Bundle) -> Vec<&'c Lesson> {
    let lessons = members(c, bundle);
    match bundle.order {
        BundleOrder::Prerequisites => crate::model::order::teaching_order(c, lessons),
        BundleOrder::Listed => lessons,
    }
}

/// The lessons a bundle holds, as [`lessons`] gives them but without putting
/// the whole list in teaching order: what a total over them needs, without
/// the cost of ordering a thousand lessons by their prerequisites.
pub fn members<'c>(c: &'c Curriculum, bundle: &Bundle) -> Vec<&'c Lesson> {
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
    listed_then_selected(c, listed, &c.lessons, |l| &l.teaches, selects)
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
pub fn assessments<'c>(c: &'c Curriculum, bundle: &Bundle) -> Vec<&'c Assessment> {
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
pub fn is_within(c: &Curriculum, item: &ItemRef, ancestor: &ItemRef) -> bool {
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

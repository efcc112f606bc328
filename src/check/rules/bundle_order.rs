//! C027: a bundle whose author fixed the order (`order: listed`) does not put a
//! lesson before the lesson that teaches what it assesses or requires.

use crate::diag::{Code, Diagnostic};
use crate::model::order::needs;
use crate::model::{BundleOrder, Curriculum, Lesson};

use super::Index;

pub fn check(c: &Curriculum, _: &Index, out: &mut Vec<Diagnostic>) {
    let Some(settings) = &c.settings else {
        return;
    };
    for bundle in settings
        .bundles
        .iter()
        .filter(|b| b.order == BundleOrder::Listed)
    {
        let listed: Vec<(&Lesson, &crate::diag::Span)> = bundle
            .lessons
            .iter()
            .filter_map(|id| Some((c.lesson(id.value.as_str())?, &id.span)))
            .collect();
        let lessons: Vec<&Lesson> = listed.iter().map(|(l, _)| *l).collect();
        for (j, list) in needs(c, &lessons).iter().enumerate() {
            // Taught by no lesson before it, but by one after.
            let Some((need, before)) = list.iter().find_map(|n| {
                let first = *n.teachers.first()?;
                (first > j).then_some((n, first))
            }) else {
                continue;
            };
            let (lesson, later) = (&lessons[j].id.value, &lessons[before].id.value);
            let verb = if need.assesses {
                "assesses"
            } else {
                "requires"
            };
            out.push(
                Diagnostic::new(
                    Code::BundleOrder,
                    listed[j].1.clone(),
                    format!(
                        "bundle `{}` lists `{lesson}` before `{later}`, but `{lesson}` {verb} `{}`, which `{later}` teaches",
                        bundle.id.value, need.competency
                    ),
                )
                .with_label("comes too early")
                .with_related(listed[before].1.clone(), "taught here, later")
                .with_hint(format!(
                    "move `{lesson}` after `{later}`, or leave out `order: listed` and cib puts the lessons in teaching order"
                )),
            );
        }
    }
}

//! C022: a lesson's machine time must fit the shop. With a shop profile in
//! curriculum.yaml, each `machine_time` entry asks for turns (one per student,
//! or per group sharing a machine) of so many minutes; the shop's machines of
//! that kind give `machines × sessions × ⌊period / minutes⌋` turns in the
//! lesson, a period being its duration shared equally among its sessions (a
//! turn does not run on from one period into the next).

use crate::diag::{Code, Diagnostic};
use crate::model::Curriculum;

use super::Index;

pub fn check(c: &Curriculum, _: &Index, out: &mut Vec<Diagnostic>) {
    let Some(shop) = c.settings.as_ref().and_then(|s| s.shop.as_ref()) else {
        return;
    };
    // A duration cib could not read is S001's to report, not a lesson of 0 minutes.
    for lesson in c.lessons.iter().filter(|l| l.duration_minutes > 0) {
        for need in &lesson.machine_time {
            let name = need.machine.value.as_str();
            let Some(&(_, machines)) = shop.machines.iter().find(|(id, _)| id == name) else {
                out.push(
                    Diagnostic::new(
                        Code::MachineCapacity,
                        need.machine.span.clone(),
                        format!("the shop profile in curriculum.yaml lists no machine `{name}`"),
                    )
                    .with_label("not in `shop.machines`")
                    .with_suggestion(name, shop.machines.iter().map(|(id, _)| id.as_str()))
                    .with_hint("name a machine of `shop.machines`, or add this one there with how many the shop has"),
                );
                continue;
            };
            let turns = shop.students.div_ceil(need.group);
            let period = lesson.duration_minutes / lesson.sessions;
            let per_period = machines * (period / need.minutes);
            let fits = per_period * lesson.sessions;
            if turns <= fits {
                continue;
            }
            let who = if need.group == 1 {
                format!("{turns} students")
            } else {
                format!("{turns} groups of {}", need.group)
            };
            let plan = if per_period == 0 {
                if machines == 0 {
                    format!("the shop has no `{name}`")
                } else {
                    format!(
                        "one turn of {} min is longer than the lesson's {period}-minute period",
                        need.minutes
                    )
                }
            } else {
                let each = period / need.minutes;
                format!(
                    "{machines} machine{} × {each} turn{} each fit in a {period}-minute period, so it takes {} periods of {period} min (it has {}), or a rotation of {per_period} turns per period",
                    if machines == 1 { "" } else { "s" },
                    if each == 1 { "" } else { "s" },
                    turns.div_ceil(per_period),
                    lesson.sessions,
                )
            };
            out.push(
                Diagnostic::new(
                    Code::MachineCapacity,
                    need.machine.span.clone(),
                    format!(
                        "`{}` needs {} min on `{name}` for each of {who} ({} min in all), but {plan}",
                        lesson.id.value,
                        need.minutes,
                        turns * need.minutes
                    ),
                )
                .with_label(format!("{machines} in the shop for {} students", shop.students))
                .with_hint("plan the rotation in the lesson and give it more periods (`sessions`, and `duration` in all), share machines (`group`), or shorten each turn"),
            );
        }
    }
}

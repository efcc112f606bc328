//! 1EdTech CASE 1.1 packages: every framework out as a `CFPackage`, and a package
//! (1.1, 1.0, or as real servers write either) back in as a framework file.
//!
//! Identifiers are the publisher's where the framework file keeps them (`case:`),
//! else UUID v5 names of the framework id and the item code, so they survive
//! reordering and retitling, and the same curriculum always gives the same bytes.
//! What CASE has no field for (verification status, hours, levels, criteria)
//! travels in `extensions.cib`, which is what makes export, import and export
//! again give the same package; other consumers read the standard fields and the
//! notes.

mod export;
mod import;
mod lenient;

pub use export::export;
pub use import::Tally;
pub(crate) use import::import;
pub(crate) use lenient::repair;

use uuid::Uuid;

use crate::model::{Curriculum, FrameworkId};

/// The key under `extensions` that holds what only cib reads.
pub(super) const EXTENSION: &str = "cib";
/// The item type every competency of ours has.
pub(super) const COMPETENCY: &str = "Competency";

/// The UUID v5 of a name in cib's own namespace.
fn uuid(name: &str) -> String {
    let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:cib:case");
    Uuid::new_v5(&namespace, name.as_bytes())
        .hyphenated()
        .to_string()
}

/// A framework's `CFDocument` identifier.
pub(super) fn document_id(framework: &str) -> String {
    uuid(&format!("document/{framework}"))
}

/// An item's identifier: external items by framework and code, our competencies by
/// their framework and id.
pub(super) fn item_id(framework: &str, code: &str) -> String {
    uuid(&format!("item/{framework}/{code}"))
}

/// The identifier `cib export case` gives an external framework's item: the
/// publisher's where the framework file keeps it, else its UUID v5. LMS files
/// (cartridge standards, outcomes) use it so that their alignments match the
/// CASE packages.
pub fn external_item_identifier(c: &Curriculum, target: &crate::model::ItemRef) -> String {
    c.item(target)
        .and_then(|i| i.case.as_ref())
        .map(|identity| identity.identifier.clone())
        .unwrap_or_else(|| item_id(target.framework.as_str(), &target.code))
}

/// The identifier `cib export case` gives one of our competencies.
pub fn competency_identifier(framework: &FrameworkId, k: &crate::model::Competency) -> String {
    k.case
        .as_ref()
        .map(|identity| identity.identifier.clone())
        .unwrap_or_else(|| item_id(framework.as_str(), k.id.value.as_str()))
}

/// The identifier `cib export case` gives a framework's `CFDocument`.
pub fn framework_identifier(c: &Curriculum, id: &FrameworkId) -> String {
    let kept = c
        .framework(id)
        .and_then(|f| f.case.as_ref())
        .or_else(|| c.competency_framework(id).and_then(|f| f.case.as_ref()));
    kept.map(|identity| identity.identifier.clone())
        .unwrap_or_else(|| document_id(id.as_str()))
}

/// The frameworks a curriculum can export, external first, in file order.
pub fn framework_ids(c: &Curriculum) -> Vec<&FrameworkId> {
    c.frameworks
        .iter()
        .map(|f| &f.id.value)
        .chain(c.competency_frameworks.iter().map(|f| &f.id.value))
        .collect()
}

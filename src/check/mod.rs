//! Stage 2: everything `cib check` reports beyond load and parse problems — schema
//! violations per file, then rules over the resolved curriculum.

pub mod formula;
pub mod placeholder;
pub mod rules;
pub mod schema;

/// What one curriculum file shows on its own: its schema, the schema its
/// modeline names, and template placeholders left in it.
pub fn document(doc: &crate::load::Document, text: &str) -> Vec<crate::diag::Diagnostic> {
    let mut found = schema::validate(doc, text);
    found.extend(schema::modeline(doc, text));
    found.extend(placeholder::find(doc, text));
    found
}

//! `cib lsp`: the curriculum's checks, completion and navigation in an
//! editor, through the Language Server Protocol over standard input and
//! output.
//!
//! The server runs `cib check`'s own stages ([`engine`]), never a second
//! version of a rule. Nothing is written to standard output but protocol
//! messages; what the server has to say otherwise goes to standard error.

mod complete;
mod engine;
mod features;
mod request;
mod server;
mod symbols;
mod text;
mod transport;
mod uri;

pub use engine::Engine;
pub use server::serve;

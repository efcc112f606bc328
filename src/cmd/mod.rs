//! One file per subcommand.

pub mod build;
pub mod check;
pub mod coverage;
pub mod diff;
pub mod explain;
pub mod export;
pub mod export_typst;
mod findings;
pub mod generate;
pub mod import;
pub mod init;
pub mod new;

/// A reader that stops early (`cib explain | head`) is not a failure: like other
/// Unix tools, stop writing quietly instead of reporting the broken pipe.
pub fn quiet_on_broken_pipe(result: std::io::Result<()>) -> std::io::Result<()> {
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

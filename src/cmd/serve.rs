use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cib::serve::{Event, Options};

use super::findings;

/// Build, serve the catalog on this computer, rebuild on every change.
///
/// The open page reloads itself after each rebuild, and shows the check's
/// findings over the page while the sources have errors. Serves the output folder (the catalog is at /site/index.html) on
/// 127.0.0.1 only, unless --bind names another address. Runs until stopped
/// (Ctrl-C).
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  cib serve                      # http://127.0.0.1:8000/\n  cib serve --port 0             # any free port; the address is printed\n  cib serve --bind 0.0.0.0       # reachable from other computers: think first"
)]
pub struct Args {
    #[command(flatten)]
    findings: findings::Args,

    /// The port; 0 picks a free one.
    #[arg(long, default_value_t = 8000)]
    port: u16,

    /// The address to listen on. Anything but loopback serves the curriculum to
    /// the network.
    #[arg(long, value_name = "ADDR", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    bind: IpAddr,

    /// The output folder [default: build/ under the curriculum root].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

pub fn run(root: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    cib::load::curriculum_root(root)?;
    let options = Options {
        root: root.to_path_buf(),
        out: args.out.clone().unwrap_or_else(|| root.join("build")),
        addr: SocketAddr::new(args.bind, args.port),
    };
    let report = |event: Event<'_>| {
        let mut err = std::io::stderr().lock();
        let _ = match event {
            Event::Listening(addr) => {
                if !addr.ip().is_loopback() {
                    let _ = writeln!(
                        err,
                        "warning: listening on {}, not only on this computer: anyone who can reach it can read the curriculum",
                        addr.ip()
                    );
                }
                writeln!(
                    err,
                    "serving http://{addr}/site/index.html (Ctrl-C to stop); building…"
                )
            }
            Event::Changed(paths) => {
                let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                writeln!(err, "changed: {}; rebuilding…", names.join(", "))
            }
            Event::Built(built) => {
                let rendered = built.documents.iter().filter(|d| d.rendered).count();
                writeln!(
                    err,
                    "built in {:.1} s ({rendered} of {} documents typeset); the page reloads",
                    built.elapsed.as_secs_f64(),
                    built.documents.len()
                )
            }
            Event::Failed(checked) => {
                drop(err);
                let _ = findings::print(&args.findings, checked);
                writeln!(
                    std::io::stderr(),
                    "not rebuilt: the page shows the last good build and these findings"
                )
            }
            Event::Error(error) => writeln!(err, "error: {error:#}"),
        };
    };
    cib::serve::serve(&options, &report)?;
    Ok(ExitCode::SUCCESS)
}

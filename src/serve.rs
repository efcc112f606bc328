//! `cib serve`: build, serve the output folder on loopback, rebuild when a source
//! changes, and make the open page follow.
//!
//! Three parts share one [`Status`]: the watcher (notify) turns file events into
//! rebuild requests, quiet for a moment first so an editor's save of several
//! files is one rebuild; the builder runs the ordinary incremental
//! [`crate::build::build`], so a failed rebuild leaves the last good output in
//! place; the HTTP server (tiny_http) serves the output folder and two paths of
//! its own: `/__cib/status`, the build generation and the current findings,
//! and `/__cib/live.js`, which every served HTML page loads. The script polls
//! the status, reloads the page when a new build is in, and lays the findings
//! over the page while the sources have errors. Polling rather than a held
//! connection keeps the server one simple loop, and costs one small request a
//! second on loopback.

use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use notify::Watcher;
use serde_json::json;

use crate::Checked;
use crate::build::{Options as BuildOptions, Outcome, Report};

/// What `cib serve` needs.
pub struct Options {
    pub root: PathBuf,
    pub out: PathBuf,
    pub addr: SocketAddr,
}

/// What happened, for the command line to print.
pub enum Event<'a> {
    /// The server listens here (the port is known now, also for port 0).
    Listening(SocketAddr),
    /// A source changed; a rebuild starts.
    Changed(&'a [PathBuf]),
    Built(&'a Report),
    /// The check stopped the build; the previous output is still served.
    Failed(&'a Checked),
    /// cib could not build at all (an unwritable output folder, say).
    Error(&'a anyhow::Error),
}

/// How long the sources must stay quiet before a rebuild starts.
const QUIET: Duration = Duration::from_millis(250);

#[derive(Default)]
struct Status {
    /// Successful builds so far; a page reloads when it changes.
    generation: u64,
    building: bool,
    /// The findings that stopped the last build, one line each.
    errors: Vec<String>,
}

/// Runs until the process is stopped. `report` is called from the builder
/// thread and the main thread.
pub fn serve(options: &Options, report: &(dyn Fn(Event<'_>) + Sync)) -> anyhow::Result<()> {
    let server = tiny_http::Server::http(options.addr)
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", options.addr))?;
    let addr = server
        .server_addr()
        .to_ip()
        .context("the server has no IP address")?;
    let status = Arc::new(Mutex::new(Status::default()));
    let (changes, requests) = mpsc::channel::<Vec<PathBuf>>();
    let sender = changes.clone();
    let mut watcher = crate::load::watch(&options.root, move |paths| {
        let _ = sender.send(paths);
    })?;
    // The first build is a change like any other.
    changes
        .send(Vec::new())
        .expect("the receiver lives until the end of serve");
    report(Event::Listening(addr));
    std::thread::scope(|scope| {
        scope.spawn(|| builder(options, &status, requests, report));
        for request in server.incoming_requests() {
            respond(request, &options.out, &status);
        }
    });
    watcher.unwatch(&options.root).ok();
    Ok(())
}

/// Builds on every request, after the sources have been quiet for [`QUIET`].
fn builder(
    options: &Options,
    status: &Mutex<Status>,
    requests: mpsc::Receiver<Vec<PathBuf>>,
    report: &(dyn Fn(Event<'_>) + Sync),
) {
    let build = BuildOptions {
        out: options.out.clone(),
        progress: false,
        site: crate::build::Site::Instructors,
        cc: crate::exchange::cc::Version::default(),
    };
    while let Ok(mut changed) = requests.recv() {
        loop {
            match requests.recv_timeout(QUIET) {
                Ok(more) => changed.extend(more),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        changed.sort();
        changed.dedup();
        if !changed.is_empty() {
            report(Event::Changed(&changed));
        }
        lock(status).building = true;
        let outcome = crate::build::build(&options.root, &build);
        let mut s = lock(status);
        s.building = false;
        match outcome {
            Ok(Outcome::Built(built)) => {
                s.generation += 1;
                s.errors.clear();
                drop(s);
                report(Event::Built(&built));
            }
            Ok(Outcome::Failed(checked)) => {
                s.errors = checked
                    .diagnostics
                    .iter()
                    .map(|d| crate::diag::render::short_line(d, &checked.sources))
                    .collect();
                drop(s);
                report(Event::Failed(&checked));
            }
            Err(error) => {
                s.errors = vec![format!("error: {error:#}")];
                drop(s);
                report(Event::Error(&error));
            }
        }
    }
}

fn lock(status: &Mutex<Status>) -> std::sync::MutexGuard<'_, Status> {
    status.lock().unwrap_or_else(|e| e.into_inner())
}

/// The script every served page loads; see the module documentation.
const LIVE_JS: &str = include_str!("serve/live.js");

fn respond(request: tiny_http::Request, out: &Path, status: &Mutex<Status>) {
    let reply = answer(request.method(), request.url(), out, status);
    let mut response = tiny_http::Response::from_data(reply.body).with_status_code(reply.code);
    for (name, value) in [
        ("Content-Type", reply.content_type),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
    ] {
        if let Ok(header) = tiny_http::Header::from_bytes(name, value) {
            response.add_header(header);
        }
    }
    if let Some(location) = reply.location
        && let Ok(header) = tiny_http::Header::from_bytes("Location", location)
    {
        response.add_header(header);
    }
    // A reader that went away is not the server's problem.
    let _ = request.respond(response);
}

struct Reply {
    code: u16,
    content_type: &'static str,
    body: Vec<u8>,
    location: Option<&'static str>,
}

impl Reply {
    fn text(code: u16, text: &str) -> Reply {
        Reply {
            code,
            content_type: "text/plain; charset=utf-8",
            body: text.as_bytes().to_vec(),
            location: None,
        }
    }
}

fn answer(method: &tiny_http::Method, url: &str, out: &Path, status: &Mutex<Status>) -> Reply {
    if !matches!(method, tiny_http::Method::Get | tiny_http::Method::Head) {
        return Reply::text(405, "cib serve only answers GET\n");
    }
    let path = url.split(['?', '#']).next().unwrap_or("/");
    match path {
        "/" => Reply {
            code: 302,
            location: Some("/site/index.html"),
            ..Reply::text(302, "see /site/index.html\n")
        },
        // Browsers ask for one on every page; the catalog has none.
        "/favicon.ico" => Reply::text(204, ""),
        "/__cib/live.js" => Reply {
            content_type: "text/javascript; charset=utf-8",
            ..Reply::text(200, LIVE_JS)
        },
        "/__cib/status" => {
            let s = lock(status);
            let body = json!({
                "generation": s.generation,
                "building": s.building,
                "errors": s.errors,
            });
            Reply {
                content_type: "application/json",
                ..Reply::text(200, &body.to_string())
            }
        }
        _ => file(path, out),
    }
}

/// A file of the output folder. Only plain names are followed: no `..`, no
/// hidden files (the cache, the marker), nothing a link leads out to.
fn file(path: &str, out: &Path) -> Reply {
    let not_found = || Reply::text(404, "not found\n");
    let Some(decoded) = percent_decode(path) else {
        return Reply::text(400, "bad request\n");
    };
    let relative = Path::new(decoded.trim_start_matches('/'));
    let plain = relative.components().all(|c| match c {
        Component::Normal(name) => !name.to_string_lossy().starts_with('.'),
        _ => false,
    });
    if !plain {
        return not_found();
    }
    let mut target = out.join(relative);
    if target.is_dir() {
        target = target.join("index.html");
    }
    let (Ok(canonical), Ok(base)) = (target.canonicalize(), out.canonicalize()) else {
        return not_found();
    };
    if !canonical.starts_with(&base) || !canonical.is_file() {
        return not_found();
    }
    let Ok(mut body) = std::fs::read(&canonical) else {
        return not_found();
    };
    let content_type = content_type(&canonical);
    if content_type.starts_with("text/html") {
        body = with_live_script(body);
    }
    Reply {
        code: 200,
        content_type,
        body,
        location: None,
    }
}

/// The page, with the live-reload script loaded just before `</body>`.
fn with_live_script(page: Vec<u8>) -> Vec<u8> {
    let tag = b"<script src=\"/__cib/live.js\"></script>";
    let at = page
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + tag.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(tag);
    out.extend_from_slice(&page[at..]);
    out
}

fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match extension.as_str() {
        "html" => "text/html; charset=utf-8",
        "json" => "application/json",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        _ => "text/plain; charset=utf-8",
    }
}

/// `%XX` escapes decoded; `None` for a malformed escape or text that is not UTF-8.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(url: &str, out: &Path) -> Reply {
        answer(
            &tiny_http::Method::Get,
            url,
            out,
            &Mutex::new(Status::default()),
        )
    }

    #[test]
    fn only_plain_files_of_the_output_folder_are_served() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("build");
        std::fs::create_dir_all(out.join("site")).unwrap();
        std::fs::create_dir_all(out.join(".cache")).unwrap();
        std::fs::write(out.join("site/index.html"), "<html><body>Hi</body></html>").unwrap();
        std::fs::write(out.join(".cache/x.pdf"), "cached").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), out.join("link.txt")).unwrap();

        let page = get("/site/index.html?x=1", &out);
        assert_eq!(page.code, 200);
        assert_eq!(page.content_type, "text/html; charset=utf-8");
        assert_eq!(
            String::from_utf8(page.body).unwrap(),
            "<html><body>Hi<script src=\"/__cib/live.js\"></script></body></html>"
        );
        assert_eq!(get("/site/", &out).code, 200, "a folder serves its index");
        assert_eq!(get("/site/index%2Ehtml", &out).code, 200);
        for refused in [
            "/../secret.txt",
            "/site/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/.cache/x.pdf",
            "/link.txt",
            "/missing.pdf",
        ] {
            let reply = get(refused, &out);
            assert_eq!(reply.code, 404, "{refused}");
            assert!(!String::from_utf8_lossy(&reply.body).contains("secret"));
        }
        assert_eq!(get("/%zz", &out).code, 400);
        let root = get("/", &out);
        assert_eq!((root.code, root.location), (302, Some("/site/index.html")));
        let post = answer(
            &tiny_http::Method::Post,
            "/",
            &out,
            &Mutex::new(Status::default()),
        );
        assert_eq!(post.code, 405);
    }

    #[test]
    fn the_status_says_the_generation_and_the_findings() {
        let status = Mutex::new(Status {
            generation: 3,
            building: true,
            errors: vec!["a.yaml:1:1: error[S001]: x".into()],
        });
        let reply = answer(
            &tiny_http::Method::Get,
            "/__cib/status",
            Path::new("."),
            &status,
        );
        let value: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
        assert_eq!(
            value,
            json!({"generation": 3, "building": true, "errors": ["a.yaml:1:1: error[S001]: x"]})
        );
        let script = answer(
            &tiny_http::Method::Get,
            "/__cib/live.js",
            Path::new("."),
            &status,
        );
        assert!(
            String::from_utf8(script.body)
                .unwrap()
                .contains("/__cib/status")
        );
    }
}

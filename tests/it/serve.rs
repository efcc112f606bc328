//! `cib serve` as a user meets it: the catalog on loopback with the live script,
//! a rebuild after an edit, the findings of a broken edit, and the recovery.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::curriculum;

/// The server process, stopped however the test ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A GET over plain HTTP/1.0: the status code and the body.
fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let response = String::from_utf8_lossy(&bytes);
    let code = response[9..12].parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (code, body)
}

fn status(addr: SocketAddr) -> Value {
    serde_json::from_str(&get(addr, "/__cib/status").1).unwrap()
}

/// Waits (a bound against a hang, not a speed target) until the status
/// satisfies `done`.
fn wait_for(addr: SocketAddr, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    let start = Instant::now();
    loop {
        let s = status(addr);
        if done(&s) {
            return s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "gave up waiting for {what}; status: {s}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serve_builds_serves_on_loopback_and_follows_edits() {
    let dir = curriculum(None);
    let root = dir.path();
    let child = std::process::Command::new(crate::binary())
        .args(["serve", "--port", "0", "--color", "never"])
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut server = Server(child);
    let mut lines = BufReader::new(server.0.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr: SocketAddr = first
        .strip_prefix("serving http://")
        .and_then(|rest| rest.split_once('/'))
        .map(|(addr, _)| addr.parse().unwrap())
        .unwrap_or_else(|| panic!("unexpected first line: {first}"));
    assert!(addr.ip().is_loopback(), "{addr}");
    // Keep reading the log, so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));

    wait_for(addr, "the first build", |s| s["generation"] == 1);
    let (code, page) = get(addr, "/site/index.html");
    assert_eq!(code, 200);
    assert!(page.contains("Lesson one"));
    assert!(page.contains("<script src=\"/__cib/live.js\"></script></body>"));
    assert_eq!(get(addr, "/").0, 302);
    assert_eq!(get(addr, "/lessons/lesson-one.student.pdf").0, 200);
    assert_eq!(get(addr, "/../curriculum.yaml").0, 404);
    assert_eq!(get(addr, "/.cib-build").0, 404);

    // An edit to a lesson is rebuilt and served.
    let lesson = root.join("lessons/one.md");
    let text = std::fs::read_to_string(&lesson).unwrap();
    std::fs::write(
        &lesson,
        text.replace("title: Lesson one", "title: Lesson renamed"),
    )
    .unwrap();
    wait_for(addr, "the rebuild", |s| s["generation"] == 2);
    assert!(get(addr, "/site/index.html").1.contains("Lesson renamed"));

    // A broken edit keeps the last build and reports the finding.
    let competencies = root.join("competencies/comp.yaml");
    let good = std::fs::read_to_string(&competencies).unwrap();
    std::fs::write(&competencies, good.replace("level: basic", "level: expert")).unwrap();
    let failed = wait_for(addr, "the findings", |s| {
        s["errors"].as_array().is_some_and(|e| !e.is_empty())
    });
    assert_eq!(failed["generation"], 2);
    let errors = failed["errors"].to_string();
    assert!(
        errors.contains("competencies/comp.yaml") && errors.contains("R007"),
        "{errors}"
    );
    assert!(get(addr, "/site/index.html").1.contains("Lesson renamed"));

    // Fixed again: a new build, no findings.
    std::fs::write(&competencies, good).unwrap();
    let fixed = wait_for(addr, "the recovery", |s| s["generation"] == 3);
    assert_eq!(fixed["errors"], serde_json::json!([]));
}

#[test]
fn serve_refuses_a_folder_that_is_not_a_curriculum() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::run(dir.path(), &["serve", "--port", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(crate::stderr(&out).contains("is not a curriculum"));
}

#!/usr/bin/env python3
"""Times `cib lsp` as an editor meets it, on a generated curriculum.

Starts the server, opens one lesson, waits for the first check, then makes
one-character edits inside the lesson's first `teaches` id (typing a letter,
then deleting it, so every edit changes the findings) and times each from
the `didChange` written to the `publishDiagnostics` read for that lesson;
then times completion requests at `teaches: [`. Prints JSON: medians, 90th
percentiles, start-up, and the server's peak RSS (VmHWM).

Usage: bench-lsp.py CIB CURRICULUM [EDITS]
"""

import json
import os
import statistics
import subprocess
import sys
import threading
import queue
import time
from pathlib import Path

cib, root = str(Path(sys.argv[1]).resolve()), Path(sys.argv[2]).resolve()
edits = int(sys.argv[3]) if len(sys.argv) > 3 else 50

server = subprocess.Popen([cib, "lsp"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
inbox = queue.Queue()


def read():
    out = server.stdout
    while True:
        length = None
        while True:
            line = out.readline()
            if not line:
                inbox.put(None)
                return
            line = line.strip()
            if not line:
                break
            name, value = line.decode().split(":", 1)
            if name.lower() == "content-length":
                length = int(value)
        inbox.put((time.perf_counter(), json.loads(out.read(length))))


threading.Thread(target=read, daemon=True).start()


def send(message):
    body = json.dumps(message).encode()
    server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    server.stdin.flush()
    return time.perf_counter()


def until(wanted):
    while True:
        got = inbox.get(timeout=120)
        if got is None:
            sys.exit("bench-lsp: the server closed its output")
        if wanted(got[1]):
            return got


def quiet(seconds):
    """Reads everything the server says until it has been quiet a while."""
    while True:
        try:
            if inbox.get(timeout=seconds) is None:
                sys.exit("bench-lsp: the server closed its output")
        except queue.Empty:
            return


lesson = sorted((root / "lessons").rglob("*.md"))[0]
uri = lesson.as_uri()
text = lesson.read_text()
lines = text.split("\n")
row = next(i for i, line in enumerate(lines) if line.startswith("teaches: ["))
column = len("teaches: [") + 2

send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
      "params": {"rootUri": root.as_uri(), "capabilities": {}}})
until(lambda m: m.get("id") == 1)
started = send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
      "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 0, "text": text}}})
published = until(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                  and m["params"]["uri"] == uri)[0]
startup = published - started
quiet(1.0)

diagnostics = []
for version in range(1, edits + 1):
    if version % 2:
        change = {"range": {"start": {"line": row, "character": column},
                            "end": {"line": row, "character": column}}, "text": "X"}
    else:
        change = {"range": {"start": {"line": row, "character": column},
                            "end": {"line": row, "character": column + 1}}, "text": ""}
    sent = send({"jsonrpc": "2.0", "method": "textDocument/didChange",
                 "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}})
    got = until(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri)
    expected = 1 if version % 2 else 0
    found = len([d for d in got[1]["params"]["diagnostics"] if d["code"] == "R005"])
    if found != expected:
        sys.exit(f"bench-lsp: edit {version} left {found} R005 findings, not {expected}")
    diagnostics.append((got[0] - sent) * 1000)
    quiet(0.05)

completion = []
for n in range(edits):
    request = 100 + n
    sent = send({"jsonrpc": "2.0", "id": request, "method": "textDocument/completion",
                 "params": {"textDocument": {"uri": uri},
                            "position": {"line": row, "character": len("teaches: [")}}})
    got = until(lambda m: m.get("id") == request)
    completion.append((got[0] - sent) * 1000)
    items = len(got[1]["result"]["items"])

status = Path(f"/proc/{server.pid}/status").read_text()
peak_kib = int(next(l for l in status.splitlines() if l.startswith("VmHWM:")).split()[1])
send({"jsonrpc": "2.0", "id": 99999, "method": "shutdown", "params": None})
until(lambda m: m.get("id") == 99999)
send({"jsonrpc": "2.0", "method": "exit", "params": None})
server.wait(timeout=30)


def p90(values):
    return sorted(values)[int(0.9 * len(values)) - 1]


print(json.dumps({
    "lesson": str(lesson.relative_to(root)),
    "edits": edits,
    "startup_s": round(startup, 3),
    "diagnostics_ms": {"median": round(statistics.median(diagnostics), 1),
                       "p90": round(p90(diagnostics), 1), "max": round(max(diagnostics), 1)},
    "completion_ms": {"median": round(statistics.median(completion), 1),
                      "p90": round(p90(completion), 1), "items": items},
    "peak_rss_mib": round(peak_kib / 1024),
    "exit": server.returncode,
}, indent=2))

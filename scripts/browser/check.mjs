// Opens each HTML page cib writes in headless Chromium (Debian's `chromium`),
// fails on any console error or failed request, and runs axe-core (WCAG 2.x
// A and AA rules): any serious or critical violation fails the check.
//
// Usage: node check.mjs build/site/index.html build/reports/coverage.html
// The pages are opened from file://, as instructors and auditors open them.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";

const pages = process.argv.slice(2);
if (pages.length === 0) {
  console.error("usage: node check.mjs PAGE.html...");
  process.exit(2);
}

const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
let failures = 0;
try {
  for (const page of pages) {
    const url = pathToFileURL(resolve(page)).href;
    const tab = await browser.newPage();
    const problems = [];
    tab.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
    tab.on("pageerror", (e) => problems.push(`script error: ${e.message}`));
    tab.on("requestfailed", (r) => problems.push(`failed request: ${r.url()}`));
    await tab.goto(url, { waitUntil: "load" });
    // Exercise the search so its script runs, then clear it.
    const search = tab.locator("input[type=search]");
    if (await search.count()) {
      await search.first().fill("a");
      await search.first().fill("");
    }
    await tab.addScriptTag({ content: axeSource });
    const result = await tab.evaluate(async () =>
      // eslint-disable-next-line no-undef
      await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
    const severe = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    for (const v of severe) {
      problems.push(`axe ${v.impact}: ${v.id} — ${v.help} (${v.nodes.length} elements, e.g. ${v.nodes[0].target.join(" ")})`);
    }
    const minor = result.violations.length - severe.length;
    if (problems.length === 0) {
      console.log(`ok   ${page}: no console errors; axe: ${result.passes.length} rules passed, 0 serious or critical, ${minor} minor or moderate`);
    } else {
      failures += 1;
      console.log(`FAIL ${page}`);
      for (const p of problems) console.log(`  ${p}`);
    }
    await tab.close();
  }
} finally {
  await browser.close();
}
process.exit(failures === 0 ? 0 : 1);

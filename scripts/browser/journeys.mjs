// Drives Debian's Chromium through what cib's users do in a browser, on a copy of
// a built curriculum served by `cib serve`:
// - an instructor searches and filters the catalog, downloads a bundle and opens
//   a lesson PDF, with the keyboard only as well as with the mouse;
// - an auditor filters the coverage report by status and searches it, follows
//   its links, and reads it and the catalog on a 390 px phone;
// - a student opens a lesson's web page from the catalog on a desktop and on a
//   390 px phone: no page scrolls sideways (G-code and wide tables scroll in
//   their own box), every image loads, axe finds nothing serious or critical;
// - an author edits a lesson and sees the page reload, breaks a file and sees
//   the findings over the page, fixes it and sees them go.
// Screenshots of each step go to OUT (default target/browser/).
//
// Usage: node journeys.mjs CIB ROOT [OUT]
//   CIB  the cib binary; ROOT  a curriculum root that has been built (its build/
//   is copied along, so the server's first build reuses every document).
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
async function axeSevere(tab) {
  await tab.addScriptTag({ content: axeSource });
  const result = await tab.evaluate(async () =>
    // eslint-disable-next-line no-undef
    await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
}

const [cib, rootArg, outArg] = process.argv.slice(2);
if (!cib || !rootArg) {
  console.error("usage: node journeys.mjs CIB ROOT [OUT]");
  process.exit(2);
}
const out = resolve(outArg ?? "target/browser");
mkdirSync(out, { recursive: true });
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";

// A copy, so the edits below never touch the real curriculum.
const root = mkdtempSync(join(tmpdir(), "cib-journeys-"));
for (const part of ["curriculum.yaml", "schemas", "frameworks", "competencies", "lessons", "assessments", "build"]) {
  cpSync(join(resolve(rootArg), part), join(root, part), { recursive: true });
}

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures += 1;
}

// Start the server and read its address from its first line.
const server = spawn(resolve(cib), ["serve", "--port", "0", "--color", "never"], {
  cwd: root,
  stdio: ["ignore", "ignore", "pipe"],
});
const log = [];
const address = await new Promise((done, fail) => {
  const lines = createInterface({ input: server.stderr });
  lines.on("line", (line) => {
    log.push(line);
    const m = /^serving (http:\/\/[^/]+)\//.exec(line);
    if (m) done(m[1]);
  });
  server.on("exit", (code) => fail(new Error(`cib serve exited with ${code}: ${log.join("\n")}`)));
});

async function status() {
  return (await fetch(`${address}/__cib/status`)).json();
}
async function until(what, test, seconds = 120) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const s = await status();
    if (test(s)) return s;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
try {
  await until("the first build", (s) => s.generation >= 1);
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`${r.status()} for ${r.url()}`); });

  // --- The instructor: search, filter, download, open a PDF.
  await page.goto(`${address}/site/index.html`, { waitUntil: "load" });
  await page.screenshot({ path: join(out, "catalog.png"), fullPage: false });
  const bundles = page.locator("article.bundle");
  const all = await bundles.count();
  check(all > 0, `the catalog lists ${all} bundles`);

  await page.fill("#q", "micrometer");
  const shown = await page.locator("article.bundle:not([hidden])").count();
  const statusText = await page.textContent("#status");
  check(shown > 0 && shown < all && statusText.includes(`${shown} of ${all}`),
    `searching "micrometer" leaves ${shown} of ${all} bundles and says so ("${statusText.trim()}")`);
  const rows = page.locator("article.bundle:not([hidden]) tr[data-search]:not([hidden])");
  const rowTexts = await rows.evaluateAll((rs) => rs.map((r) => r.dataset.search));
  check(rowTexts.length > 0 && rowTexts.every((t) => t.includes("micrometer")),
    `every lesson row still shown (${rowTexts.length}) matches the search`);
  await page.screenshot({ path: join(out, "catalog-search.png") });
  await page.fill("#q", "");

  await page.selectOption("#audience", "student");
  const audiences = await page.locator("article.bundle:not([hidden])").evaluateAll((bs) => bs.map((b) => b.dataset.audience));
  check(audiences.length > 0 && audiences.every((a) => a === "student"),
    `the Students filter shows only student bundles (${audiences.length})`);
  await page.selectOption("#audience", "");

  const zip = page.locator("a[download][href$='.zip']").first();
  const [download] = await Promise.all([page.waitForEvent("download"), zip.click()]);
  const saved = join(out, download.suggestedFilename());
  await download.saveAs(saved);
  const head = readFileSync(saved).subarray(0, 2).toString("latin1");
  check(head === "PK" && download.suggestedFilename().endsWith(".zip"),
    `a bundle download arrives as a zip (${download.suggestedFilename()})`);

  const pdfHref = await page.locator("a[href$='.student.pdf']").first().getAttribute("href");
  const pdfUrl = new URL(pdfHref, page.url()).href;
  const pdf = await context.request.get(pdfUrl);
  const body = await pdf.body();
  check(pdf.status() === 200 && pdf.headers()["content-type"] === "application/pdf" &&
    body.subarray(0, 5).toString("latin1") === "%PDF-",
    `a lesson PDF link opens a PDF (${pdfHref})`);

  // A student bundle offers task sheets and never a score sheet; an
  // instructor bundle offers both.
  const sheets = async (audience) => page.locator(`article.bundle[data-audience='${audience}'] a[href*='/assessments/']`)
    .evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  const studentSheets = await sheets("student");
  const instructorSheets = await sheets("instructor");
  check(studentSheets.length > 0 && studentSheets.every((h) => h.endsWith(".task-sheet.pdf")) &&
    instructorSheets.some((h) => h.endsWith(".score-sheet.pdf")),
    `student bundles link ${studentSheets.length} task sheets and no score sheet; instructor bundles link score sheets`);
  await page.fill("#q", "step pin");
  const sheetRows = await page.locator("article.bundle:not([hidden]) tr[data-search]:not([hidden])")
    .evaluateAll((rs) => rs.map((r) => r.dataset.search));
  check(sheetRows.some((t) => t.includes("mtt-pa-lathe-step-pin")),
    `searching "step pin" finds the step pin assessment (${sheetRows.length} rows)`);
  await page.fill("#q", "");

  // --- Keyboard only: the skip link first, then the search, then a download.
  await page.goto(`${address}/site/index.html`, { waitUntil: "load" });
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => document.activeElement.textContent.trim());
  check(first.startsWith("Skip to"), `the first Tab reaches the skip link ("${first}")`);
  let reached = { search: false, download: false };
  let outline = "";
  for (let i = 0; i < 40 && !(reached.search && reached.download); i += 1) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const e = document.activeElement;
      return { id: e.id, download: e.hasAttribute("download"), outline: getComputedStyle(e).outlineStyle };
    });
    if (focused.id === "q") reached.search = true;
    if (focused.download) { reached.download = true; outline = focused.outline; }
  }
  check(reached.search && reached.download, "Tab reaches the search field and a download link");
  check(outline !== "" && outline !== "none", `a focused link shows a focus outline (${outline})`);
  await page.keyboard.press("Enter");
  await page.screenshot({ path: join(out, "catalog-keyboard.png") });

  // --- The auditor: the coverage report's status filter and search.
  await page.goto(`${address}/reports/coverage.html`, { waitUntil: "load" });
  await page.selectOption("#status-filter", "gap");
  const statuses = await page.locator("tr[data-status]:not([hidden])").evaluateAll((rs) => rs.map((r) => r.dataset.status));
  check(statuses.every((s) => s === "gap"), `the Gap filter shows only gaps (${statuses.length} rows)`);
  await page.selectOption("#status-filter", "demonstrated");
  const shownDemonstrated = await page.locator("tr[data-status]:not([hidden])").evaluateAll((rs) => rs.map((r) => r.dataset.status));
  check(shownDemonstrated.length > 0 && shownDemonstrated.every((s) => s === "demonstrated"),
    `the Demonstrated filter shows only demonstrated items (${shownDemonstrated.length} rows)`);
  await page.selectOption("#status-filter", "");
  await page.fill("#q", "MTT-SAF-01");
  const hits = await page.locator("tr[data-search]:not([hidden])").count();
  check(hits > 0, `searching the report for MTT-SAF-01 finds ${hits} rows`);
  await page.screenshot({ path: join(out, "coverage.png") });
  const reportLinks = await page.locator("nav.reports a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  check(["../site/index.html", "coverage.pdf", "coverage.csv", "coverage.json"].every((h) => reportLinks.includes(h)),
    `the coverage report links the catalog and its PDF, CSV and JSON (${reportLinks.join(", ")})`);
  const planLink = page.locator("a[href$='.instructor.pdf']").first();
  const planResponse = await page.request.get(new URL(await planLink.getAttribute("href"), page.url()).href);
  check(planResponse.ok(), `a lesson's instructor plan opens from the coverage report (${planResponse.status()})`);

  // --- On a phone: no sideways page scroll; wide tables scroll in their own box.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const small = await phone.newPage();
  for (const path of ["site/index.html", "reports/coverage.html"]) {
    await small.goto(`${address}/${path}`, { waitUntil: "load" });
    await small.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
    const [scroll, client] = await small.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    check(scroll <= client, `${path} at 390 px is ${scroll} px wide (viewport ${client} px)`);
    await small.screenshot({ path: join(out, `phone-${path.replace("/", "-")}.png`) });
  }
  await phone.close();
  await page.goto(`${address}/site/index.html`, { waitUntil: "load" });
  const order = await page.locator("a[href^='../reports/coverage.']").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  check(order[0] === "../reports/coverage.html" && order[1] === "../reports/coverage.pdf",
    `the catalog links the coverage report as HTML and PDF first (${order.join(", ")})`);

  // --- The student: lesson web pages, on a desktop and on a phone.
  await page.goto(`${address}/site/index.html`, { waitUntil: "load" });
  const linked = async (audience) => page.locator(`article.bundle[data-audience='${audience}'] a[href^='lessons/'][href$='.html']`)
    .evaluateAll((as) => [...new Set(as.map((a) => a.href))]);
  const studentPages = await linked("student");
  const planPages = await linked("instructor");
  check(studentPages.length > 0 && studentPages.every((h) => h.endsWith(".student.html")) &&
    planPages.length > 0 && planPages.every((h) => h.endsWith(".instructor.html")),
    `student bundles link ${studentPages.length} students' web pages and no plan; instructor bundles link ${planPages.length} plans`);
  await page.evaluate(() => document.querySelectorAll("article.bundle[data-audience='student'] details").forEach((d) => { d.open = true; }));
  await page.locator("article.bundle[data-audience='student'] a[href$='.student.html']").first().click();
  await page.waitForLoadState("load");
  const heading = (await page.textContent("h1")).trim();
  const pdfLink = await page.locator("nav.files a").first().getAttribute("href");
  const pdfReply = await context.request.get(new URL(pdfLink, page.url()).href);
  check(heading.length > 0 && pdfReply.ok() && pdfReply.headers()["content-type"] === "application/pdf",
    `a lesson's web page opens from the catalog ("${heading}") and links its PDF`);
  const widths = async (tab) => tab.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  const [wide, wideClient] = await widths(page);
  check(wide <= wideClient, `the lesson page at 1200 px is ${wide} px wide`);
  const deskSevere = await axeSevere(page);
  check(deskSevere.length === 0, `axe at 1200 px: ${deskSevere.length} serious or critical ${deskSevere.join(" ")}`);

  const handset = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const phonePage = await handset.newPage();
  const tooWide = [];
  const brokenImages = [];
  for (const href of studentPages) {
    for (const url of [href, href.replace(".student.html", ".instructor.html")]) {
      await phonePage.goto(url, { waitUntil: "load" });
      const [scroll, client] = await widths(phonePage);
      if (scroll > client) tooWide.push(`${url.split("/").pop()} (${scroll} px)`);
      const broken = await phonePage.evaluate(() => [...document.images].filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src));
      brokenImages.push(...broken);
    }
  }
  await page.goto(`${address}/site/index.html`, { waitUntil: "load" });
  const sheetPages = await page.locator("a[href^='assessments/'][href$='.html']")
    .evaluateAll((as) => [...new Set(as.map((a) => a.href))]);
  for (const url of sheetPages) {
    await phonePage.goto(url, { waitUntil: "load" });
    const [scroll, client] = await widths(phonePage);
    if (scroll > client) tooWide.push(`${url.split("/").pop()} (${scroll} px)`);
    const broken = await phonePage.evaluate(() => [...document.images].filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src));
    brokenImages.push(...broken);
  }
  check(sheetPages.length > 0, `the catalog links ${sheetPages.length} assessment sheet pages`);
  check(tooWide.length === 0, `${studentPages.length * 2} lesson and ${sheetPages.length} assessment pages at 390 px scroll sideways: ${tooWide.length} ${tooWide.join(", ")}`);
  check(brokenImages.length === 0, `every image of every lesson and assessment page loads (${brokenImages.length} broken ${brokenImages.join(" ")})`);
  const gcode = studentPages.find((h) => h.includes("cnc-mill-circular-interpolation")) ?? studentPages[0];
  await phonePage.goto(gcode, { waitUntil: "load" });
  const boxes = await phonePage.evaluate(() => [...document.querySelectorAll("pre, .scroll")].map((b) => [b.scrollWidth > b.clientWidth, b.tabIndex]));
  check(boxes.length > 0 && boxes.every(([, tab]) => tab === 0),
    `on a phone, ${boxes.filter(([over]) => over).length} of ${boxes.length} code and table boxes scroll inside themselves, each reachable by keyboard`);
  const phoneSevere = await axeSevere(phonePage);
  check(phoneSevere.length === 0, `axe at 390 px: ${phoneSevere.length} serious or critical ${phoneSevere.join(" ")}`);
  await phonePage.screenshot({ path: join(out, "phone-lesson.png"), fullPage: false });
  await handset.close();

  // --- The author: an edit reloads the page; a broken file shows its findings.
  await page.goto(`${address}/site/index.html`, { waitUntil: "load" });
  const before = (await status()).generation;
  const lessonPath = join(root, "lessons/machine-tool-technology/reading-an-outside-micrometer.md");
  const lesson = readFileSync(lessonPath, "utf8");
  const title = /^title: (.*)$/m.exec(lesson)[1];
  const renamed = `${title} (revised)`;
  const reloaded = page.waitForEvent("load", { timeout: 120000 });
  writeFileSync(lessonPath, lesson.replace(`title: ${title}`, `title: ${renamed}`));
  await reloaded;
  check((await page.content()).includes(renamed), "after an edit the open page reloads with the new title");
  check((await status()).generation === before + 1, "that edit made one rebuild");

  const compPath = join(root, "competencies/cnc-mill.yaml");
  const comp = readFileSync(compPath, "utf8");
  writeFileSync(compPath, comp.replace("level: basic", "level: expert"));
  const overlay = page.locator("#cib-overlay");
  await overlay.waitFor({ state: "visible", timeout: 120000 });
  await page.waitForFunction(() => document.getElementById("cib-overlay")?.textContent.includes("R007"), null, { timeout: 120000 });
  const said = await overlay.textContent();
  check(said.includes("competencies/cnc-mill.yaml") && said.includes("R007"),
    "a broken file's finding is shown over the page, with file and code");
  check(await overlay.getAttribute("role") === "status", "the overlay is announced to screen readers");
  await page.screenshot({ path: join(out, "overlay.png") });

  const fixed = page.waitForEvent("load", { timeout: 120000 });
  writeFileSync(compPath, comp);
  await fixed;
  await page.waitForTimeout(1500);
  check(await overlay.count() === 0, "once fixed, the page reloads without the overlay");
  check(problems.length === 0, `no script or console errors${problems.length ? ": " + problems.join("; ") : ""}`);
} catch (error) {
  failures += 1;
  console.log(`FAIL ${error.message}`);
  console.log(log.slice(-20).join("\n"));
} finally {
  await browser.close();
  server.kill();
  rmSync(root, { recursive: true, force: true });
}
console.log(failures === 0 ? `all journeys passed; screenshots in ${out}` : `${failures} failed`);
process.exit(failures === 0 ? 0 : 1);

// The public web pages in a real browser: Debian's chromium driven by playwright-core against a
// real server on a free port with a demo database. Every page renders with its security headers
// and no accessibility violation (axe-core, WCAG 2.2 A/AA); the pages read and the forms work
// without JavaScript; a script typed into every text field comes back inert; the language switch
// holds; the certificate page verifies; unknown things say so. Screenshots at phone and desktop
// widths go to $NT_SCREENSHOTS (docs/screenshots through `make screenshots`).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { SHOTS, axe, launch, startServer, stopServer } from "./lib.mjs";

let srv, base, browser, ids;

async function json(path) {
  const r = await fetch(base + path, { headers: { Accept: "application/json" } });
  return r.json();
}

before(async () => {
  srv = await startServer("niemtin-web-");
  base = srv.base;
  const restriction = (await json("/v1/restrictions?limit=1")).items[0];
  const cert = (await json("/v1/certificates?limit=1")).items[0];
  const ad = (await json("/v1/ads?limit=1")).items[0];
  const notices = (await json("/v1/notices?limit=1")).items;
  ids = { restricted: restriction.person_id, name: restriction.name, decision: restriction.decision_id,
          number: restriction.decision_number, cert: cert.id, holder: cert.person_id, ad: ad.code,
          notice: notices.length ? notices[0].id : null };
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await stopServer(srv);
});

function pages() {
  const list = [
    ["home", "/"], ["search", "/search?q=nguyen"], ["person", `/persons/${ids.restricted}`], ["holder", `/persons/${ids.holder}`],
    ["restrictions", "/restrictions"], ["decision", `/decisions/${ids.decision}`], ["ads", "/ads"], ["ad", `/ads/${ids.ad}`],
    ["ads-suspended", "/ads?state=suspended"], ["ads-bad-filter", "/ads?category=nothing", 400],
    ["notices", "/notices"], ["certificate", `/certificates/${ids.cert}`], ["log", "/log"], ["report", "/report"],
    ["not-found", "/no/such/page", 404], ["ad-unknown", "/ads/QC-0000-0000000", 404],
    ["certificate-unknown", "/certificates/cert_nothing", 404],
    ["transparency", "/transparency"], ["transparency-quarter", "/transparency?by=quarter"],
    ["transparency-bad", "/transparency?by=week", 400],
  ];
  if (ids.notice) list.push(["notice", `/notices/${ids.notice}`]);
  return list;
}

test("every page renders with its headers, in Vietnamese, with no accessibility violation", async () => {
  // axe is put in by the test (the pages' own policy refuses any script not served by the site).
  const ctx = await browser.newContext({ bypassCSP: true, locale: "vi-VN", viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  for (const [name, path, status = 200] of pages()) {
    const r = await page.goto(base + path);
    assert.equal(r.status(), status, `${path}`);
    const h = r.headers();
    assert.match(h["content-type"], /^text\/html; charset=utf-8/, path);
    assert.match(h["content-security-policy"], /script-src 'self'/, path);
    assert.doesNotMatch(h["content-security-policy"], /unsafe-inline/, path);
    assert.match(h["content-security-policy"], /frame-ancestors 'none'/, path);
    assert.equal(h["x-content-type-options"], "nosniff", path);
    assert.equal(h["referrer-policy"], "same-origin", path);
    assert.equal(await page.getAttribute("html", "lang"), "vi", path);
    assert.equal(await page.locator("h1").count(), 1, `${path}: one h1`);
    assert.deepEqual(await axe(page), [], `${path}: axe`);
    if (SHOTS && ["home", "person", "holder", "certificate", "restrictions", "decision", "notices", "transparency"].includes(name)) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `${name}-desktop.png`), fullPage: true });
    }
  }
  await ctx.close();
});

test("at a phone's width too", async () => {
  const ctx = await browser.newContext({ bypassCSP: true, locale: "vi-VN", viewport: { width: 390, height: 844 }, isMobile: true,
                                         hasTouch: true });
  const page = await ctx.newPage();
  for (const [name, path, status = 200] of pages()) {
    assert.equal((await page.goto(base + path)).status(), status, path);
    assert.deepEqual(await axe(page), [], `${path}: axe at 390 px`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path}: ${overflow} px wider than the phone`);
    if (SHOTS && ["home", "person", "certificate"].includes(name))
      await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
  }
  await ctx.close();
});

test("the pages read and their forms work without JavaScript", async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false, locale: "vi-VN" });
  const page = await ctx.newPage();
  await page.goto(base + "/");
  // The name typed without its diacritics, as people do.
  const plain = ids.name.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  await page.getByLabel("Tên, nghệ danh hoặc tài khoản").fill(plain);
  await page.getByRole("button", { name: "Tìm" }).click();
  await page.waitForURL(/\/search\?q=/);
  await page.getByRole("link", { name: ids.name, exact: true }).first().click();
  await page.waitForURL(/\/persons\//);
  assert.equal(await page.locator("h1").textContent(), ids.name);
  // Restricted: the table of restrictions in force names the decision.
  assert.ok(await page.getByRole("table").first().isVisible());
  await page.getByRole("link", { name: ids.number }).first().click();
  await page.waitForURL(/\/decisions\//);
  assert.match(await page.locator("main").textContent(), /Căn cứ pháp lý/);
  // A handle finds its person, with or without the @.
  const acct = (await json(`/v1/persons/${ids.restricted}`)).accounts[0];
  await page.goto(`${base}/search?q=${encodeURIComponent("@" + acct.handle)}`);
  assert.ok(await page.getByRole("link", { name: ids.name, exact: true }).first().isVisible());
  // An ad by its code through the form; an unknown code is said to be unrecognised, never valid.
  await page.goto(base + "/ads");
  await page.getByLabel("Mã quảng cáo").fill(ids.ad);
  await page.getByRole("button", { name: "Tra cứu" }).click();
  assert.match(await page.locator("h1").textContent(), new RegExp(ids.ad));
  await page.goto(base + "/ads?code=QC-9999-0000001");
  assert.match(await page.locator("main").textContent(), /Không nhận ra/);
  // The ad library, filtered by state: the demo's ad suspended by a recall, and no registered one.
  await page.goto(base + "/ads");
  await page.getByLabel("Trạng thái").selectOption("suspended");
  await page.getByRole("button", { name: "Lọc" }).click();
  await page.waitForURL(/state=suspended/);
  const states = await page.locator("tbody .nt-status").allTextContents();
  assert.ok(states.length > 0 && states.every((t) => t === "Bị đình chỉ"), states.join());
  // Notices filtered by a topic and a province.
  await page.goto(base + "/notices");
  await page.getByLabel("Chủ đề").selectOption("scams");
  await page.getByLabel("Tỉnh, thành phố").selectOption("79");
  await page.getByRole("button", { name: "Lọc" }).click();
  await page.waitForURL(/topic=scams&province=79/);
  await ctx.close();
});

test("the transparency page: each chart an image with its title and description, its numbers in a table beside it", async () => {
  const ctx = await browser.newContext({ locale: "vi-VN" });
  const page = await ctx.newPage();
  const api = await json("/v1/transparency");
  await page.goto(base + "/transparency");
  assert.equal(await page.locator("h1").textContent(), "Số liệu minh bạch");
  const charts = page.locator("svg[role=img]");
  assert.equal(await charts.count(), 3);
  for (let i = 0; i < 3; i++) {
    const svg = charts.nth(i);
    const [t, d] = (await svg.getAttribute("aria-labelledby")).split(" ");
    assert.ok((await page.locator(`[id="${t}"]`).textContent()).length > 5, "a title");
    assert.ok((await page.locator(`[id="${d}"]`).textContent()).length > 10, "a description");
    assert.equal(await page.locator(`[id="${t}"]`).evaluate((e) => e.tagName), "title");
  }
  // The table beside the first chart holds the API's numbers, period by period ("<5" kept as such).
  const rows = await page.locator("#ch-dec-table tbody tr").all();
  assert.equal(rows.length, api.periods.length);
  for (const [i, row] of rows.entries()) {
    const cells = await row.locator("th, td").allTextContents();
    const p = api.periods[i];
    assert.deepEqual(cells, [p.period, String(p.decisions.total), String(p.appeals.filed)], p.period);
  }
  // Each bar says its value to whoever points at it.
  const bars = await page.locator("#ch-dec-t ~ rect title").allTextContents();
  assert.equal(bars.length, 2 * api.periods.length);
  // By quarter, kept in the form and in the links to the data.
  await page.getByLabel("Chia số liệu theo").selectOption("quarter");
  await page.getByRole("button", { name: "Xem" }).click();
  await page.waitForURL(/by=quarter/);
  assert.match(await page.locator("#ch-dec-table tbody tr").first().locator("th").textContent(), /^\d{4}-Q[1-4]$/);
  const csv = await page.getByRole("link", { name: "Các số liệu trên (CSV)" }).getAttribute("href");
  assert.equal(csv, "/v1/transparency?format=csv&by=quarter");
  const r = await fetch(base + csv);
  assert.match(r.headers.get("content-type"), /^text\/csv/);
  // From every page's footer.
  await page.goto(base + "/");
  await page.locator("footer").getByRole("link", { name: "Số liệu minh bạch" }).click();
  await page.waitForURL(/\/transparency$/);
  await ctx.close();
});

test("a script typed into every text field comes back as text", async () => {
  const evil = `<script>window.__pwned=1</script>"'><img src=x onerror="window.__pwned=2">`;
  const ctx = await browser.newContext({ locale: "vi-VN" }); // the pages' own policy applies here
  const page = await ctx.newPage();
  let dialogs = 0;
  page.on("dialog", (d) => { dialogs++; d.dismiss(); });
  const forms = [["/", "Tên, nghệ danh hoặc tài khoản", "Tìm"], ["/restrictions", "Lọc theo tên", "Lọc"],
                 ["/ads", "Mã quảng cáo", "Tra cứu"], ["/report", "Người hoặc tài khoản", "Gửi báo cáo"]];
  for (const [path, label, button] of forms) {
    await page.goto(base + path);
    await page.getByLabel(label).fill(evil);
    await page.getByRole("button", { name: button, exact: true }).click();
    await page.waitForLoadState();
    assert.equal(await page.evaluate(() => window.__pwned), undefined, path);
    assert.equal(await page.locator("img[src=x]").count(), 0, path);
    assert.equal(await page.locator("main script").count(), 0, path);
    const field = page.getByLabel(label);
    if (await field.count()) assert.equal(await field.inputValue(), evil.slice(0, await field.getAttribute("maxlength") || 1000), path);
  }
  assert.equal(dialogs, 0);
  await ctx.close();
});

test("a browser asking for English gets English", async () => {
  const ctx = await browser.newContext({ locale: "en-GB" });
  const page = await ctx.newPage();
  await page.goto(base + "/");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.ok(await page.getByLabel("Name, stage name or account").isVisible());
  await ctx.close();
});

test("English on request, kept while browsing; Vietnamese back", async () => {
  const ctx = await browser.newContext({ locale: "vi-VN" });
  const page = await ctx.newPage();
  await page.goto(base + "/search?q=nguyen");
  await page.getByRole("link", { name: "English" }).click();
  await page.waitForURL(/lang=en/);
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.equal(await page.getByLabel("Name, stage name or account").inputValue(), "nguyen"); // the search kept
  await page.getByRole("link", { name: "Restrictions in force" }).click();
  assert.equal(await page.locator("h1").textContent(), "Restrictions in force");
  await page.getByRole("link", { name: "Tiếng Việt" }).click();
  assert.equal(await page.getAttribute("html", "lang"), "vi");
  await ctx.close();
});

test("a certificate's page verifies it and shows its status; times in Vietnam's time", async () => {
  const ctx = await browser.newContext({ locale: "vi-VN" });
  const page = await ctx.newPage();
  await page.goto(`${base}/certificates/${ids.cert}`);
  assert.match(await page.locator(".nt-status").textContent(), /Còn hiệu lực/);
  assert.match(await page.locator("main").textContent(), /Hợp lệ: đã kiểm tra khi mở trang này/);
  const c = await json(`/v1/certificates/${ids.cert}`); // +07:00, as every API answer
  const [d, t] = [c.valid_until.slice(0, 10).split("-").reverse().join("/"), c.valid_until.slice(11, 16)];
  assert.match(await page.locator("main").textContent(), new RegExp(`${d} ${t}`));
  // The same address answers JSON to an API client.
  const r = await fetch(`${base}/certificates/${ids.cert}`);
  assert.equal((await r.json()).id, ids.cert);
  await ctx.close();
});

test("a receipt pasted on the log's page is verified there; a changed one is not; a form from elsewhere is refused", async () => {
  const receipt = await (await fetch(base + "/v1/log/receipt?index=2")).text();
  const ctx = await browser.newContext({ bypassCSP: true, locale: "vi-VN" });
  const page = await ctx.newPage();
  await page.goto(base + "/log");
  await page.getByLabel("Kiểm tra một biên nhận").fill(receipt);
  await page.getByRole("button", { name: "Kiểm tra", exact: true }).click();
  await page.waitForLoadState();
  assert.match(await page.locator(".nt-status").textContent(), /Đã kiểm chứng/);
  assert.equal(await page.getByText("Không đạt").count(), 0);
  assert.deepEqual(await axe(page), [], "the result: axe");
  // One proof hash changed: not verified, and the page says which check failed.
  const lines = receipt.split("\n");
  const i = lines.findIndex((l) => /^[A-Za-z0-9+/]{43}=$/.test(l));
  lines[i] = (lines[i][0] === "A" ? "B" : "A") + lines[i].slice(1);
  await page.getByLabel("Kiểm tra một biên nhận").fill(lines.join("\n"));
  await page.getByRole("button", { name: "Kiểm tra", exact: true }).click();
  await page.waitForLoadState();
  assert.match(await page.locator(".nt-status").textContent(), /Không kiểm chứng được/);
  assert.ok((await page.getByText("Không đạt").count()) > 0);
  // Not a receipt at all: the field says so.
  await page.getByLabel("Kiểm tra một biên nhận").fill("xin chào");
  await page.getByRole("button", { name: "Kiểm tra", exact: true }).click();
  assert.match(await page.locator("#receipt-error").textContent(), /không phải biên nhận/);
  // The same form posted from elsewhere, without this visitor's token: refused.
  const token = await page.locator("input[name=csrf]").getAttribute("value");
  const forged = await fetch(base + "/log", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded",
                                                                          Accept: "text/html" },
                                              body: new URLSearchParams({ csrf: token, receipt }) });
  assert.equal(forged.status, 403);
  await ctx.close();
});

test("assets: hashed names, a year's caching, compressed; pages small", async () => {
  const html = await (await fetch(base + "/", { headers: { Accept: "text/html" } })).text();
  const css = /href="(\/assets\/web\.[0-9a-f]{10}\.css)"/.exec(html)[1];
  const js = /src="(\/assets\/web\.[0-9a-f]{10}\.js)"/.exec(html)[1];
  let total = Buffer.byteLength(html);
  for (const a of [css, js]) {
    const r = await fetch(base + a, { headers: { "Accept-Encoding": "gzip" } });
    assert.equal(r.status, 200);
    assert.match(r.headers.get("cache-control"), /max-age=31536000, immutable/);
    const body = await r.arrayBuffer(); // fetch decompresses; the length sent is the header's
    assert.ok(body.byteLength > 0);
    total += Number(r.headers.get("content-length") || 0);
    assert.equal(r.headers.get("content-encoding"), "gzip", a);
  }
  assert.ok(total <= 100 * 1024, `first load ${total} bytes`);
  assert.ok(Buffer.byteLength(html) <= 20 * 1024, `a page after ${Buffer.byteLength(html)} bytes`);
  assert.equal((await fetch(base + "/assets/web.0000000000.css")).status, 404);
  // No external fonts or addresses in the styles.
  const text = await (await fetch(base + css)).text();
  assert.ok(!/@font-face|@import|url\(\s*["']?(https?:)?\/\//.test(text), "a font or an address elsewhere in the styles");
});

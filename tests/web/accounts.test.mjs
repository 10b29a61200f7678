// Signing in, in a real browser: Debian's chromium driven by playwright-core against a real server
// on a free port. A regulator sent to sign in from the console, setting up the second factor from
// the key the page shows (the code computed here as an authenticator app would, RFC 6238), landing
// where they were going; a page for another role refused; lockout after wrong passwords; a form
// whose token was changed refused; a script typed into the login field inert; signing out from the
// header. axe-core on every page on the way, at desktop and phone widths.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SHOTS, axe as violations, launch, startServer, stopServer } from "./lib.mjs";

let srv, base, browser, admin, keys;

async function api(method, path, body, key = admin) {
  const r = await fetch(base + path, {
    method, headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: r.status, body: await r.json() };
}

// A user of a role in the demo's organisation of that role, with the password shown once.
async function user(role, keys) {
  const me = (await api("GET", "/v1/me", null, keys[role])).body;
  const login = `${role}.${Math.random().toString(36).slice(2, 8)}`;
  const r = await api("POST", "/v1/users", { login, name: "Phạm Thị Hồng Nhung", role, org_id: me.org_id });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

function totp(secret, at = Date.now()) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secret.replace(/ /g, "")) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30000)));
  const mac = createHmac("sha1", key).update(counter).digest();
  const o = mac[19] & 15;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, "0");
}

before(async () => {
  srv = await startServer("niemtin-web-accounts-", ["--persons", "5"]);
  ({ base, admin, keys } = srv);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await stopServer(srv);
});

async function axe(page, what) {
  assert.deepEqual(await violations(page), [], `${what}: axe`);
  // Nothing wider than a phone's screen.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), `${what}: overflow`);
}

async function shot(page, name) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

for (const [width, height, tag] of [[1280, 800, "desktop"], [390, 844, "phone"]]) {
  test(`a regulator signs in with a second factor set up on the way (${tag})`, async () => {
    const u = await user("regulator", keys);
    // axe is put in by the test (the pages' own policy refuses any script not served by the site).
    const ctx = await browser.newContext({ bypassCSP: true, locale: "vi-VN", viewport: { width, height } });
    const page = await ctx.newPage();
    const r = await page.goto(base + "/console");
    assert.equal(new URL(page.url()).pathname, "/login", "sent to sign in first");
    assert.equal(r.status(), 200);
    assert.equal(await page.locator("h1").innerText(), "Đăng nhập");
    await axe(page, "login");
    await shot(page, `login-${tag}`);
    // Nothing typed: the form says which field, at the field and in the summary.
    await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
    assert.equal(await page.locator(".govuk-error-summary").count(), 1);
    assert.match(await page.locator("#login-error").innerText(), /Hãy nhập tên đăng nhập/);
    await axe(page, "login with an error");
    await page.getByLabel("Tên đăng nhập").fill(u.login);
    await page.getByLabel("Mật khẩu").fill(u.password);
    await page.getByLabel("Mật khẩu").press("Enter");
    await page.waitForURL(/\/login\/code/);
    assert.match(await page.locator("h1").innerText(), /Xác thực hai lớp/);
    assert.equal(await page.locator("img.nt-qr").count(), 1);
    await axe(page, "second factor set-up");
    await shot(page, `second-factor-${tag}`);
    const secret = (await page.locator("#totp-secret").innerText()).replace(/ /g, "");
    await page.getByLabel("Mã 6 chữ số").fill("000000" === totp(secret) ? "111111" : "000000");
    await page.getByRole("button", { name: "Tiếp tục" }).click();
    assert.match(await page.locator("#code-error").innerText(), /Mã không đúng|mã không đúng/);
    await axe(page, "a wrong code");
    await page.getByLabel("Mã 6 chữ số").fill(totp(secret));
    await page.getByRole("button", { name: "Tiếp tục" }).click();
    await page.waitForURL(base + "/console");
    assert.equal(await page.locator("h1").innerText(), "Phạm Thị Hồng Nhung");
    await axe(page, "console");
    await shot(page, `console-${tag}`);
    // Signed in, the public pages say so; a page for another role is refused.
    await page.goto(base + "/restrictions");
    assert.equal(await page.locator("header").getByRole("link", { name: "Phạm Thị Hồng Nhung" }).count(), 1);
    const refused = await page.goto(base + "/console/users");
    assert.equal(refused.status(), 403);
    await axe(page, "refused");
    // A concern reported by a visitor (no sign-in) is in the regulator's inbox.
    const visitor = await browser.newContext({ locale: "vi-VN" });
    const vp = await visitor.newPage();
    await vp.goto(base + "/report");
    await vp.getByLabel("Người hoặc tài khoản").fill("p0000003");
    await vp.getByLabel("Loại vi phạm").selectOption("counterfeit_or_substandard_goods");
    await vp.getByLabel("Điều bạn thấy").fill("Bán mỹ phẩm giả trên livestream tối 28/11.");
    await vp.getByRole("button", { name: "Gửi báo cáo" }).click();
    const rid = await vp.locator("#report-id").innerText();
    await visitor.close();
    await page.goto(base + "/console/reports?unassigned=true");
    assert.equal(await page.locator(`tr[id="${rid}"]`).count(), 1, "the report is in the inbox");
    await axe(page, "reports inbox");
    await shot(page, `reports-${tag}`);
    // A case opened from it, and moved on.
    await page.locator(`tr[id="${rid}"]`).getByRole("button", { name: /Mở vụ việc/ }).click();
    await page.waitForURL(/\/console\/cases\/c_/);
    assert.equal(await page.locator("#case-state").innerText(), "Đang mở");
    await axe(page, "case");
    await page.getByRole("button", { name: "Chuyển sang: Đang xem xét" }).click();
    await page.waitForLoadState();
    assert.equal(await page.locator("#case-state").innerText(), "Đang xem xét");
    await shot(page, `case-${tag}`);
    // The decision with a restriction, through the form; the public profile and the check then say so.
    await page.getByRole("link", { name: "Ra quyết định" }).click();
    await axe(page, "decision form");
    await page.getByRole("button", { name: "Ban hành quyết định" }).click();
    assert.ok(await page.locator(".govuk-error-summary").count(), "errors summarised");
    await axe(page, "decision form with errors");
    await shot(page, `decision-errors-${tag}`);
    const number = `${tag}-${Date.now() % 100000}/QĐ-XPHC`;
    await page.getByLabel("Số quyết định").fill(number);
    await page.getByLabel("Người ký", { exact: true }).fill("Lê Văn An");
    await page.getByLabel("Chức vụ người ký").fill("Cục trưởng");
    await page.getByLabel("Nội dung vi phạm (sự việc)").fill("Quảng cáo mỹ phẩm giả trên livestream.");
    await page.locator("#legal-bases-0--instrument").fill("Nghị định 38/2021/NĐ-CP");
    await page.locator("#legal-bases-0--article").fill("Điều 51");
    await page.getByLabel("Hình thức thông báo").fill("văn bản");
    await page.getByLabel("Loại biện pháp").selectOption("appearance_restriction");
    await page.getByLabel("Phát trực tiếp").check();
    await page.locator("#sanctions-0--end").fill("2027-06-01T00:00");
    await page.getByRole("button", { name: "Ban hành quyết định" }).click();
    await page.waitForURL(/\/console\/cases\/c_\w+$/);
    assert.equal(await page.getByRole("link", { name: number }).count(), 1, "the case lists its decision");
    await page.goto(base + "/persons/p0000003");
    assert.ok((await page.locator("main").innerText()).includes(number), "the public profile shows the decision");
    for (let i = 0; i < 20; i++) { /* in force from its issue, to the second the form showed */
      await page.goto(base + "/console/check?subject=p0000003&scope=livestream");
      if ((await page.locator("#check-status").innerText()) === "Đang bị hạn chế") break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(await page.locator("#check-status").innerText(), "Đang bị hạn chế");
        // The check page: a restricted person, and a handle nobody holds (unverified, never allowed).
    await page.goto(base + "/console/check");
    await page.getByLabel("Người hoặc tài khoản").fill("p0000002");
    await page.getByLabel("Hình thức xuất hiện").selectOption("livestream");
    await page.getByRole("button", { name: "Kiểm tra", exact: true }).click();
    assert.equal(await page.locator("#check-status").innerText(), "Đang bị hạn chế");
    await axe(page, "check: restricted");
    await shot(page, `check-${tag}`);
    await page.getByLabel("Người hoặc tài khoản").fill("tiktok:nobody_at_all_zz");
    await page.getByRole("button", { name: "Kiểm tra", exact: true }).click();
    assert.match(await page.locator("#check-status").innerText(), /chưa xác minh/);
    await axe(page, "check: unverified");
        // A form whose token was changed is refused, and nothing is done.
    await page.goto(base + "/console");
    await page.evaluate(() => { for (const i of document.querySelectorAll("input[name=csrf]")) i.value = "0".repeat(32); });
    const forged = page.waitForResponse((resp) => resp.url().endsWith("/logout/all"));
    await page.getByRole("button", { name: "Đăng xuất khỏi mọi thiết bị" }).click();
    assert.equal((await forged).status(), 403);
    assert.equal((await page.goto(base + "/console")).status(), 200, "still signed in");
    // Signing out from the header.
    await page.locator("header").getByRole("button", { name: "Đăng xuất" }).click();
    await page.waitForURL(base + "/");
    await page.goto(base + "/console");
    assert.equal(new URL(page.url()).pathname, "/login");
    await ctx.close();
  });
}

test("an influencer appeals a decision about them, and a regulator sees it in the queue", async () => {
  // A published decision about p0000004, recorded through the API by the demo's regulator key.
  const day = 86400000, iso = (t) => new Date(t).toISOString();
  const c = await api("POST", "/v1/cases", { person_id: "p0000004", opened_at: iso(Date.now() - 60 * day) }, keys.regulator);
  await api("POST", `/v1/cases/${c.body.id}/transition`, { state: "under_review" }, keys.regulator);
  const d = await api("POST", `/v1/cases/${c.body.id}/decision`, {
    number: `${Date.now() % 100000}/QĐ-XPHC`, signer: { name: "Lê Văn A", title: "Cục trưởng" }, issued_at: iso(Date.now() - 5000),
    outcome: "violation", legal_bases: [{ instrument: "Nghị định 38/2021/NĐ-CP", article: "Điều 51" }], ground: "law",
    category: "false_advertising", facts: "Quảng cáo sai công dụng.", detection_source: "platform",
    notice: { sent_at: iso(Date.now() - 4000), channel: "văn bản" }, publish: true,
    sanctions: [{ type: "appearance_restriction", scopes: ["livestream"], end: iso(Date.now() + 30 * day) }],
  }, keys.regulator);
  assert.equal(d.status, 201, JSON.stringify(d.body));
  const me = await api("POST", "/v1/users", { login: `kol.${Date.now() % 100000}`, name: "Nguyễn Thị Hoa", role: "kol", person_id: "p0000004" });
  const ctx = await browser.newContext({ bypassCSP: true, locale: "vi-VN", viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  await page.goto(base + "/console/decisions");
  await page.getByLabel("Tên đăng nhập").fill(me.body.login);
  await page.getByLabel("Mật khẩu").fill(me.body.password);
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  await page.waitForURL(base + "/console/decisions");
  await axe(page, "my decisions");
  await page.locator(`tr[id="${d.body.id}"]`).getByRole("link", { name: /Khiếu nại/ }).click();
  await axe(page, "appeal form");
  await page.getByLabel("Lý do khiếu nại").fill("Tôi đã gỡ video ngay khi được thông báo.");
  await page.getByRole("button", { name: "Gửi khiếu nại" }).click();
  await page.waitForURL(/\/console\/appeals\/a_\w+$/);
  assert.equal(await page.locator("#appeal-state").innerText(), "Đã nộp");
  await axe(page, "appeal");
  await shot(page, "appeal-phone");
  const where = new URL(page.url()).pathname;
  await ctx.close();
  const queue = await (await fetch(base + "/v1/appeals?state=filed&limit=100", { headers: { Authorization: `Bearer ${keys.regulator}` } })).json();
  assert.ok(queue.items.some((a) => `/console/appeals/${a.id}` === where), "in the regulator's queue");
  // While the appeal is heard, a platform's check page says the restriction stands.
  const plat = await (await browser.newContext({ bypassCSP: true, locale: "vi-VN", viewport: { width: 1280, height: 800 } })).newPage();
  await signIn(plat, await user("platform", keys), "/console/check");
  await plat.getByLabel("Người hoặc tài khoản").fill("p0000004");
  await plat.getByLabel("Hình thức xuất hiện").selectOption("livestream");
  await plat.getByRole("button", { name: "Kiểm tra", exact: true }).click();
  assert.equal(await plat.locator("#check-status").innerText(), "Đang bị hạn chế");
  // A regulator hears it and upholds the decision; the decision's public page says so.
  const reg = await (await browser.newContext({ bypassCSP: true, locale: "vi-VN", viewport: { width: 1280, height: 800 } })).newPage();
  await signIn(reg, await user("regulator", keys), where);
  await reg.getByRole("button", { name: "Bắt đầu xem xét" }).click();
  await reg.waitForURL(base + where);
  await reg.getByLabel("Giữ nguyên quyết định").check();
  await reg.getByLabel("Lý do", { exact: true }).fill("Vi phạm đã được xác định rõ; video được gỡ sau thông báo.");
  await reg.getByRole("button", { name: "Giải quyết khiếu nại" }).click();
  await reg.waitForURL(base + where);
  assert.equal(await reg.locator("#appeal-state").innerText(), "Giữ nguyên quyết định");
  await axe(reg, "appeal upheld");
  await reg.goto(`${base}/decisions/${d.body.id}`);
  assert.equal(await reg.locator("#appeal-state").innerText(), "Giữ nguyên quyết định");
  await plat.goto(base + "/console/check?subject=p0000004&scope=livestream");
  assert.equal(await plat.locator("#check-status").innerText(), "Đang bị hạn chế", "upheld: still restricted");
  await plat.context().close();
  await reg.context().close();
});

test("an influencer confirms an offer's checklist, accepts it, and the ad's public page exists", async () => {
  const me = await api("POST", "/v1/users", { login: `kol0.${Date.now() % 100000}`, name: "Trần Minh Khoa", role: "kol", person_id: "p0000000" });
  for (const [width, height, tag] of [[1280, 800, "desktop"], [390, 844, "phone"]]) {
    const ctx = await browser.newContext({ bypassCSP: true, locale: "vi-VN", viewport: { width, height } });
    const page = await ctx.newPage();
    await page.goto(base + "/console/offers?state=sent"); /* the demo's accepted offers are listed too otherwise */
    await page.getByLabel("Tên đăng nhập").fill(me.body.login);
    await page.getByLabel("Mật khẩu").fill(me.body.password);
    await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
    await page.waitForURL(base + "/console/offers?state=sent");
    await axe(page, `offers (${tag})`);
    if (tag === "phone") { await ctx.close(); break; }
    await page.locator("main a[href^='/console/offers/ofr_']").first().click();
    assert.equal(await page.locator("#offer-state").innerText(), "Đang chờ trả lời");
    await axe(page, "offer");
    await shot(page, "offer-desktop");
    await page.getByRole("button", { name: "Nhận lời quảng cáo" }).click();
    assert.equal(await page.locator(".govuk-error-summary li").count(), 4, "each confirmation missing is named");
    await axe(page, "offer: not accepted");
    for (const label of ["Tôi đã dùng hoặc hiểu rõ sản phẩm", "Nội dung quảng cáo khớp với giấy tờ của sản phẩm",
                         "Tôi sẽ ghi rõ bài đăng là quảng cáo", "Quan hệ với nhà quảng cáo đã được nêu rõ"])
      await page.getByLabel(label).check();
    await page.getByRole("button", { name: "Lưu xác nhận" }).click();
    await page.getByRole("button", { name: "Nhận lời quảng cáo" }).click();
    await page.waitForLoadState();
    assert.equal(await page.locator("#offer-state").innerText(), "Đã nhận lời");
    await page.locator("#ad-code").click();
    assert.match(new URL(page.url()).pathname, /^\/ads\/QC-\d{4}-\d+$/);
    await axe(page, "the ad's public page");
    await ctx.close();
  }
});

test("an influencer's certificate page and the quiz, accessible on a phone", async () => {
  const me = await api("POST", "/v1/users", { login: `kol3.${Date.now() % 100000}`, name: "Lý Thu Hà", role: "kol", person_id: "p0000003" });
  const ctx = await browser.newContext({ bypassCSP: true, locale: "vi-VN", viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  await page.goto(base + "/console/certificate");
  await page.getByLabel("Tên đăng nhập").fill(me.body.login);
  await page.getByLabel("Mật khẩu").fill(me.body.password);
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  await page.waitForURL(base + "/console/certificate");
  assert.equal(await page.locator("#requirements li").count(), 5);
  await axe(page, "certificate requirements");
  await page.getByRole("button", { name: "Làm bài kiểm tra" }).click();
  await page.waitForURL(/\/console\/quiz\/\w+$/);
  assert.equal(await page.locator("main fieldset").count(), 20);
  await axe(page, "quiz");
  await shot(page, "quiz-phone");
  for (const fs of await page.locator("main fieldset").all()) await fs.locator("input[type=radio]").first().check();
  await page.getByRole("button", { name: "Nộp bài" }).click();
  await page.waitForLoadState();
  assert.match(await page.locator("#quiz-result").innerText(), /Đạt|Chưa đạt/);
  await axe(page, "quiz result");
  await ctx.close();
});

// Signs a context in as a user, with the second factor set up when the role needs one.
async function signIn(page, u, path) {
  await page.goto(base + path);
  await page.getByLabel("Tên đăng nhập").fill(u.login);
  await page.getByLabel("Mật khẩu").fill(u.password);
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  await page.waitForLoadState();
  if (new URL(page.url()).pathname === "/login/code") {
    const secret = (await page.locator("#totp-secret").innerText()).replace(/ /g, "");
    await page.getByLabel("Mã 6 chữ số").fill(totp(secret));
    await page.getByRole("button", { name: "Tiếp tục" }).click();
  }
  await page.waitForURL(base + path);
}

test("a certificate: joined, standards accepted, quiz, applied, reviewed, valid at the QR target, then suspended", async () => {
  const day = 86400000, iso = (t) => new Date(t).toISOString();
  const person = await api("POST", "/v1/persons", { legal_name: "Hồ Thị Ngọc Trâm" }, keys.regulator);
  assert.equal(person.status, 201, JSON.stringify(person.body));
  const pid = person.body.id;
  const kolUser = (await api("POST", "/v1/users", { login: `kol.tram.${Date.now() % 100000}`, name: "Hồ Thị Ngọc Trâm", role: "kol", person_id: pid })).body;
  const kol = await (await browser.newContext({ bypassCSP: true, locale: "vi-VN", viewport: { width: 390, height: 844 } })).newPage();
  const sec = await (await browser.newContext({ bypassCSP: true, locale: "vi-VN", viewport: { width: 1280, height: 800 } })).newPage();
  // The influencer asks to join the alliance.
  await signIn(kol, kolUser, "/console/membership");
  await axe(kol, "membership");
  await kol.getByLabel("Lĩnh vực").fill("làm đẹp, sức khỏe");
  await kol.getByLabel("Cam kết của bạn").fill("Tôi chỉ nhận quảng cáo sản phẩm đã kiểm chứng.");
  await kol.getByRole("button", { name: "Xin gia nhập" }).click();
  await kol.waitForLoadState();
  assert.equal(await kol.locator("#member-state").innerText(), "Đang chờ xét");
  // The secretariat admits them.
  await signIn(sec, await user("programme", keys), "/console/members");
  await axe(sec, "members queue");
  await sec.getByRole("link", { name: "Hồ Thị Ngọc Trâm" }).click();
  await axe(sec, "member");
  await sec.getByRole("button", { name: "Kết nạp" }).click();
  await sec.waitForLoadState();
  assert.equal(await sec.locator("#member-state").innerText(), "Thành viên");
  // The influencer reads and accepts the standards in force.
  await kol.goto(base + "/standards");
  await axe(kol, "standards");
  assert.ok((await kol.locator("main ol li").count()) >= 5);
  await kol.goto(base + "/console/membership");
  await kol.getByRole("button", { name: /Tôi đã đọc và chấp thuận phiên bản/ }).click();
  await kol.waitForLoadState();
  assert.notEqual(await kol.locator("#accepted-version").innerText(), "—");
  // The quiz, answered rightly (the right option found by its text in the bank).
  const bank = Object.fromEntries(JSON.parse(readFileSync(new URL("../../data/trust-training.json", import.meta.url))).questions.map((q) => [q.id, q]));
  await kol.goto(base + "/console/certificate");
  await kol.getByRole("button", { name: "Làm bài kiểm tra" }).click();
  await kol.waitForURL(/\/console\/quiz\/\w+$/);
  for (const fs of await kol.locator("main fieldset").all()) {
    const qid = (await fs.locator("input[type=radio]").first().getAttribute("name"));
    const right = bank[qid].options[bank[qid].answer].vi;
    await fs.getByLabel(right, { exact: true }).check();
  }
  await kol.getByRole("button", { name: "Nộp bài" }).click();
  await kol.waitForLoadState();
  assert.equal(await kol.locator("#quiz-result").innerText(), "Đạt");
  await kol.goto(base + "/console/certificate");
  assert.equal(await kol.locator("#requirements li", { hasText: "Chưa đạt" }).count(), 0, "every requirement met");
  await kol.getByRole("button", { name: "Nộp đơn xin chứng nhận" }).click();
  await kol.waitForLoadState();
  assert.match(await kol.locator("#standing").innerText(), /đang chờ Ban thư ký thẩm định/);
  // The review: a number that is not one is named; then the certificate is granted.
  await sec.goto(base + "/console/applications");
  await axe(sec, "applications");
  await sec.getByRole("link", { name: /^app_/ }).first().click();
  await axe(sec, "application");
  await shot(sec, "application-review-desktop");
  const pillars = sec.locator("main fieldset");
  await pillars.nth(0).getByLabel("Điểm").fill("mười ba");
  await pillars.nth(0).getByLabel("Lý do").fill("Đính chính kịp thời, lan toả cảnh báo lừa đảo.");
  await pillars.nth(1).getByLabel("Điểm").fill("12");
  await pillars.nth(1).getByLabel("Lý do").fill("Lượt tương tác thật, theo đánh giá của thẩm định viên.");
  await sec.getByRole("button", { name: "Ghi kết quả thẩm định" }).click();
  await sec.waitForLoadState();
  assert.equal(await sec.locator(".govuk-error-summary").count(), 1);
  await axe(sec, "review with an error");
  await pillars.nth(0).getByLabel("Điểm").fill("13");
  await sec.getByRole("button", { name: "Ghi kết quả thẩm định" }).click();
  await sec.waitForLoadState();
  assert.equal(await sec.locator("#application-state").innerText(), "Được chứng nhận");
  const certPath = await sec.locator("#certificate-link").getAttribute("href");
  // The QR code's target, as anyone opens it: valid, the signature checked in the page.
  const visitor = await (await browser.newContext({ bypassCSP: true, locale: "vi-VN", viewport: { width: 390, height: 844 } })).newPage();
  await visitor.goto(base + certPath);
  assert.equal(await visitor.locator("main .nt-status").first().innerText(), "Còn hiệu lực");
  await axe(visitor, "certificate valid");
  await shot(visitor, "certificate-valid-phone");
  // A restriction decided about them suspends it.
  const c = await api("POST", "/v1/cases", { person_id: pid, opened_at: iso(Date.now() - 60 * day) }, keys.regulator);
  await api("POST", `/v1/cases/${c.body.id}/transition`, { state: "under_review" }, keys.regulator);
  const d = await api("POST", `/v1/cases/${c.body.id}/decision`, {
    number: `${Date.now() % 100000}/QĐ-XPHC`, signer: { name: "Lê Văn A", title: "Cục trưởng" }, issued_at: iso(Date.now() - 5000),
    outcome: "violation", legal_bases: [{ instrument: "Nghị định 38/2021/NĐ-CP", article: "Điều 51" }], ground: "law",
    category: "false_advertising", facts: "Quảng cáo sai công dụng.", detection_source: "platform",
    notice: { sent_at: iso(Date.now() - 4000), channel: "văn bản" }, publish: true,
    sanctions: [{ type: "appearance_restriction", scopes: ["livestream"], end: iso(Date.now() + 30 * day) }],
  }, keys.regulator);
  assert.equal(d.status, 201, JSON.stringify(d.body));
  let status = "";
  for (let i = 0; i < 80 && status !== "Tạm đình chỉ"; i++) {
    await new Promise((res) => setTimeout(res, 100));
    await visitor.goto(base + certPath);
    status = await visitor.locator("main .nt-status").first().innerText();
  }
  assert.equal(status, "Tạm đình chỉ");
  await axe(visitor, "certificate suspended");
  for (const p of [kol, sec, visitor]) await p.context().close();
});

test("an advertiser adds a product and a document whose hash is computed in the browser", async () => {
  const u = await user("advertiser", keys);
  const page = await (await browser.newContext({ bypassCSP: true, locale: "vi-VN", viewport: { width: 390, height: 844 } })).newPage();
  await signIn(page, u, "/console/products");
  await axe(page, "products");
  await page.getByLabel("Tên sản phẩm").fill("Sữa rửa mặt Trà Xanh");
  await page.getByLabel("Nhóm sản phẩm").selectOption("cosmetics");
  await page.getByRole("button", { name: "Thêm", exact: true }).click();
  await page.waitForURL(/\/console\/products\/prd_\w+$/);
  await axe(page, "product");
  const pdf = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.from("Phiếu tiếp nhận số công bố mỹ phẩm")]);
  const digest = createHash("sha256").update(pdf).digest("hex");
  await page.getByLabel("Loại giấy tờ").selectOption("cosmetic_notification");
  await page.getByLabel("Số", { exact: true }).fill("456/25/CBMP-HCM");
  await page.getByLabel("Cơ quan cấp").fill("Sở Y tế Thành phố Hồ Chí Minh");
  await page.getByLabel("Hiệu lực từ ngày").fill("2025-03-01");
  await page.locator("#file").setInputFiles({ name: "cong-bo.pdf", mimeType: "application/pdf", buffer: pdf });
  // The hash is shown before sending, as computed on the device.
  await page.waitForFunction((d) => document.getElementById("sha256").value === d, digest);
  assert.equal(await page.locator("#sha256-shown").innerText(), `SHA-256: ${digest}`);
  await shot(page, "product-document-phone");
  await page.getByRole("button", { name: "Thêm giấy tờ" }).click();
  await page.waitForLoadState();
  assert.equal(await page.locator(`code:text("${digest}")`).count(), 1, "the document listed under its hash");
  await axe(page, "product with a document");
  await page.context().close();
});

test("a platform checks a CSV list and downloads the answers as CSV", async () => {
  const u = await user("platform", keys);
  const ctx = await browser.newContext({ bypassCSP: true, locale: "vi-VN", viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await ctx.newPage();
  await page.goto(base + "/console/check/csv");
  await page.getByLabel("Tên đăng nhập").fill(u.login);
  await page.getByLabel("Mật khẩu").fill(u.password);
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  await page.waitForURL(base + "/console/check/csv");
  await axe(page, "check a list");
  await page.getByLabel("Tệp CSV").setInputFiles({ name: "list.csv", mimeType: "text/csv",
                                                   buffer: Buffer.from("subject\np0000002\ntiktok:nobody_at_all_zz\n") });
  const [download] = await Promise.all([page.waitForEvent("download"),
                                        page.getByRole("button", { name: "Kiểm tra và tải kết quả" }).click()]);
  const text = readFileSync(await download.path(), "utf8").replace(/^\uFEFF/, "");
  const lines = text.trim().split("\r\n");
  assert.equal(lines[0], "subject,status,allowed,person_id,basis,restrictions");
  assert.match(lines[1], /^p0000002,restricted,false,p0000002,checked,/);
  assert.match(lines[2], /^tiktok:nobody_at_all_zz,unverified,,/);
  await ctx.close();
});

test("five wrong passwords lock the login; a script typed as a login stays text", async () => {
  const u = await user("platform", keys);
  const ctx = await browser.newContext({ bypassCSP: true, locale: "vi-VN", viewport: { width: 1280, height: 800 }, javaScriptEnabled: true });
  const page = await ctx.newPage();
  let ran = false;
  page.on("dialog", async (d) => { ran = true; await d.dismiss(); });
  await page.goto(base + "/login");
  for (let i = 1; i <= 5; i++) {
    await page.getByLabel("Tên đăng nhập").fill(u.login);
    await page.getByLabel("Mật khẩu").fill(`sai-${i}`);
    await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
    const text = await page.locator("#password-error").innerText();
    assert.match(text, i < 5 ? /không đúng/ : /tạm khóa đến \d\d\/\d\d\/\d{4} \d\d:\d\d/, `try ${i}`);
  }
  await page.getByLabel("Mật khẩu").fill(u.password);
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  assert.match(await page.locator("#password-error").innerText(), /tạm khóa/, "locked, right password or not");
  await axe(page, "locked");
  const evil = `<script>alert(1)</script>"'><img src=x onerror=alert(2)>`;
  await page.getByLabel("Tên đăng nhập").fill(evil);
  await page.getByLabel("Mật khẩu").fill("x");
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  assert.equal(await page.getByLabel("Tên đăng nhập").inputValue(), evil, "shown back as typed");
  assert.equal(await page.locator("img[src=x]").count(), 0);
  assert.equal(ran, false, "nothing ran");
  await ctx.close();
});

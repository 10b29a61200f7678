// Every page of every role, in a real browser: each page a role may open (docs/AUTHORIZATION.md's
// table of pages, which another test checks against the route table) renders, has no axe-core
// violation, and fits a phone's width; and every form on it that takes text is sent with a script
// and markup typed into every text field, and what comes back runs nothing and builds no element
// from it. The pages' own CSP would stop an inline script anyway: these contexts bypass it, so that
// the escaping itself is what is tested.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { axe, launch, startServer, stopServer } from "./lib.mjs";

const ROLES = ["public", "admin", "regulator", "platform", "advertiser", "kol", "programme"];
const PAYLOAD = `<script>window.__xss=1</script>"'><img src=x onerror="window.__xss=1"><b id="xss">`;
let srv, base, browser;

before(async () => {
  srv = await startServer("niemtin-web-every-", ["--persons", "5"]);
  base = srv.base;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await stopServer(srv);
});

function pages() {
  const rows = [];
  const md = readFileSync(new URL("../../docs/AUTHORIZATION.md", import.meta.url), "utf8");
  for (const line of md.split("\n")) {
    const m = /^\| page \| `([^`]+)` \|(.*)\|\s*$/.exec(line);
    if (m) rows.push({ path: m[1], allowed: Object.fromEntries(m[2].split("|").map((c, i) => [ROLES[i], c.trim() === "✓"])) });
  }
  return rows;
}

function totp(secret) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secret) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000)));
  const mac = createHmac("sha1", key).update(counter).digest();
  const o = mac[19] & 15;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, "0");
}

async function signedIn(role) {
  const ctx = await browser.newContext({ bypassCSP: true, locale: "vi-VN", viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  if (role === "public") return page;
  const key = (role === "admin" ? srv.admin : srv.keys[role]);
  const me = await (await fetch(base + "/v1/me", { headers: { Authorization: `Bearer ${key}` } })).json();
  const body = { login: `${role}.every.${Date.now() % 100000}`, name: "Đặng Thị Kiểm Tra", role };
  if (role === "kol") body.person_id = "p0000001";
  else body.org_id = me.org_id;
  const r = await fetch(base + "/v1/users", { method: "POST", headers: { Authorization: `Bearer ${srv.admin}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const u = await r.json();
  assert.equal(r.status, 201, JSON.stringify(u));
  await page.goto(base + "/login");
  await page.getByLabel("Tên đăng nhập").fill(u.login);
  await page.getByLabel("Mật khẩu").fill(u.password);
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  await page.waitForLoadState();
  if (new URL(page.url()).pathname === "/login/code") {
    const secret = (await page.locator("#totp-secret").innerText()).replace(/ /g, "");
    await page.getByLabel("Mã 6 chữ số").fill(totp(secret));
    await page.getByRole("button", { name: "Tiếp tục" }).click();
    await page.waitForLoadState();
  }
  assert.equal(new URL(page.url()).pathname, "/console", `${role} signed in`);
  return page;
}

for (const role of ROLES) {
  test(`every page of a ${role}: renders, passes axe, fits a phone; every form's text comes back inert`, async () => {
    const page = await signedIn(role);
    const mine = pages().filter((p) => p.allowed[role] && !p.path.includes("{") && !p.path.startsWith("/login"));
    assert.ok(mine.length >= 8, `${role}: ${mine.length} pages`);
    let forms = 0;
    for (const { path } of mine) {
      const r = await page.goto(base + path);
      assert.equal(r.status(), 200, `${role} ${path}`);
      assert.deepEqual(await axe(page), [], `${role} ${path}: axe`);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), `${role} ${path}: overflow`);
      // The forms that take text, each sent once with the payload in every text field.
      const count = await page.evaluate(() => [...document.querySelectorAll("main form")].length);
      for (let i = 0; i < count; i++) {
        await page.goto(base + path);
        const sent = await page.evaluate(([i, payload]) => {
          const form = document.querySelectorAll("main form")[i];
          const fields = form.querySelectorAll("input[type=text], input[type=url], input[type=search], input[type=email], input:not([type]), textarea");
          if (fields.length === 0 || /\/logout/.test(form.getAttribute("action") || "")) return false;
          fields.forEach((f) => { f.value = payload; });
          return true;
        }, [i, PAYLOAD]);
        if (!sent) continue;
        forms++;
        const arrived = page.waitForNavigation({ waitUntil: "load" });
        // As a browser sends it, without its own checks (a field typed "url" takes the text too).
        await page.evaluate((i) => setTimeout(() => document.querySelectorAll("main form")[i].submit(), 0), i);
        await arrived;
        const what = `${role} ${path} form ${i} → ${new URL(page.url()).pathname}`;
        assert.equal(await page.evaluate(() => window.__xss), undefined, `${what}: a script ran`);
        assert.equal(await page.evaluate(() => document.querySelectorAll("#xss, img[onerror]").length), 0, `${what}: markup built`);
        assert.ok(!(await page.content()).includes("<script>window.__xss=1</script>"), `${what}: the script came back as markup`);
      }
    }
    if (role !== "public") assert.ok(forms > 0, `${role}: no form took text`);
    await page.context().close();
  });
}

// Browser push for the trusted network, end to end against a push service run here: an influencer
// joins the network on the web choosing push, the page's script is there (and says so when the
// browser cannot subscribe), a browser's subscription is registered through the page as the script
// does, a regulator publishes a notice, and the push service receives it: encrypted for that
// browser (opened here with the browser's private key, RFC 8291), the server identified by an ES256
// JWT that verifies with the key it names (VAPID, RFC 8292). A subscription the push service says
// is gone (410) stops. axe on the page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createECDH, createHmac, createDecipheriv, createPublicKey, randomBytes, verify } from "node:crypto";
import { createServer } from "node:http";
import { axe as violations, launch, startServer, stopServer } from "./lib.mjs";

let srv, base, browser, admin, keys, pushService, pushUrl;
const received = [];

before(async () => {
  srv = await startServer("niemtin-web-push-", ["--persons", "5"], ["--webhook-allow-loopback", "--webhook-backoff-ms", "100"]);
  ({ base, admin, keys } = srv);
  pushService = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(req.url.endsWith("/gone") ? 410 : 201).end();
    });
  });
  await new Promise((r) => pushService.listen(0, "127.0.0.1", r));
  pushUrl = `http://127.0.0.1:${pushService.address().port}`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await new Promise((r) => (pushService ? pushService.close(r) : r()));
  await stopServer(srv);
});

async function api(method, path, body, key) {
  const r = await fetch(base + path, {
    method, headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: r.status, body: await r.json() };
}

const hmac = (key, ...parts) => createHmac("sha256", key).update(Buffer.concat(parts)).digest();

// What a browser does with a push message (RFC 8291 §3.4, RFC 8188): the plaintext, or a throw.
function open(body, ua, auth) {
  const salt = body.subarray(0, 16), idlen = body[20], asPublic = body.subarray(21, 21 + idlen), sealed = body.subarray(21 + idlen);
  assert.equal(body.readUInt32BE(16), 4096);
  const secret = ua.computeSecret(asPublic);
  const ikm = hmac(hmac(auth, secret), Buffer.from("WebPush: info\0"), ua.getPublicKey(), asPublic, Buffer.from([1]));
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from("Content-Encoding: aes128gcm\0"), Buffer.from([1])).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from("Content-Encoding: nonce\0"), Buffer.from([1])).subarray(0, 12);
  const d = createDecipheriv("aes-128-gcm", cek, nonce);
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  const plain = Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]);
  let end = plain.length - 1;
  while (end > 0 && plain[end] === 0) end--; // padding
  assert.equal(plain[end], 2, "the last record's delimiter");
  return plain.subarray(0, end).toString("utf8");
}

// The VAPID header verified as a push service does: the JWT's ES256 signature with the key k.
function vapid(header, origin) {
  const m = /^vapid t=([\w-]+)\.([\w-]+)\.([\w-]+), k=([\w-]+)$/.exec(header);
  assert.ok(m, header);
  const k = Buffer.from(m[4], "base64url");
  assert.equal(k.length, 65);
  const key = createPublicKey({ key: { kty: "EC", crv: "P-256", x: k.subarray(1, 33).toString("base64url"), y: k.subarray(33).toString("base64url") }, format: "jwk" });
  assert.ok(verify("sha256", Buffer.from(`${m[1]}.${m[2]}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(m[3], "base64url")), "ES256");
  assert.deepEqual(JSON.parse(Buffer.from(m[1], "base64url")), { typ: "JWT", alg: "ES256" });
  const claims = JSON.parse(Buffer.from(m[2], "base64url"));
  assert.equal(claims.aud, origin);
  const now = Date.now() / 1000;
  assert.ok(claims.exp > now && claims.exp <= now + 24 * 3600, "expires within a day (RFC 8292 §2)");
  return m[4];
}

test("an influencer receives a verified notice by browser push", async () => {
  const me = await api("POST", "/v1/users", { login: `kol.push.${Date.now() % 100000}`, name: "Lâm Thị Thông Báo", role: "kol", person_id: "p0000003" }, admin);
  const ctx = await browser.newContext({ bypassCSP: true, locale: "vi-VN", viewport: { width: 390, height: 844 } });
  await ctx.grantPermissions(["notifications"], { origin: base });
  const page = await ctx.newPage();
  await page.goto(base + "/console/network");
  await page.getByLabel("Tên đăng nhập").fill(me.body.login);
  await page.getByLabel("Mật khẩu").fill(me.body.password);
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  await page.waitForURL(base + "/console/network");
  await violations(page).then((v) => assert.deepEqual(v, [], "network page: axe"));
  // Join: scams, the whole country, by push (and the feed).
  await page.getByLabel("Lừa đảo và mạo danh").check();
  await page.getByLabel("Thông báo đẩy trên trình duyệt").check();
  await page.getByRole("button", { name: "Tham gia" }).click();
  await page.waitForURL(base + "/console/network");
  assert.equal(await page.getByLabel("Thông báo đẩy trên trình duyệt").isChecked(), true);
  // The script shows the button; here no push service is reachable from the browser: said, not hidden.
  const button = page.getByRole("button", { name: "Bật thông báo cho trình duyệt này" });
  assert.equal(await button.isVisible(), true);
  await button.click();
  // The status as shown (its <noscript> text is not: innerText, not textContent).
  await page.waitForFunction(() => document.getElementById("push-status").innerText.trim().length > 0, null, { timeout: 20000 });
  assert.match(await page.locator("#push-status").innerText(), /Không bật được|Đã bật|không hỗ trợ/);
  // A browser's subscription, registered through the page as its script does (its keys made here).
  const ua = createECDH("prime256v1");
  ua.generateKeys();
  const auth = randomBytes(16);
  const csrf = await button.getAttribute("data-csrf");
  const serverKey = await button.getAttribute("data-nt-push");
  assert.equal(Buffer.from(serverKey, "base64url").length, 65);
  for (const path of ["/push/abc", "/push/gone"]) {
    const status = await page.evaluate(async ([csrf, endpoint, p256dh, auth]) => {
      const r = await fetch("/console/network/push", { method: "POST", body: new URLSearchParams({ csrf, endpoint, p256dh, auth }) });
      return r.status;
    }, [csrf, pushUrl + path, ua.getPublicKey().toString("base64url"), auth.toString("base64url")]);
    assert.equal(status, 200, "subscribed (the redirect followed)");
  }
  await page.reload();
  assert.equal(await page.locator("#push-subscriptions li").count(), 2);
  // A regulator publishes a scam alert nationwide: both browsers are sent it.
  const day = 86400000;
  const n = await api("POST", "/v1/notices", {
    kind: "scam_alert", title: { vi: "Cảnh báo: mạo danh KOL bán hàng", en: "Alert: an influencer impersonated" },
    summary: { vi: "Kẻ gian lập tài khoản giống hệt để bán hàng giả." }, body: { vi: "Chi tiết." },
    topics: ["scams"], provinces: ["all"], severity: "severe", valid_until: new Date(Date.now() + 30 * day).toISOString(),
    sources: [{ title: "Công văn 7", url: "https://example.gov.vn/cv7" }],
    scam: { how: "Tài khoản giả.", what_to_do: "Không chuyển tiền.", report_to: "Công an" },
  }, keys.regulator);
  assert.equal(n.status, 201, JSON.stringify(n.body));
  for (let i = 0; i < 100 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
  const got = received.find((x) => x.path === "/push/abc");
  assert.ok(got, "delivered to the push service");
  assert.equal(got.headers["content-encoding"], "aes128gcm");
  assert.equal(got.headers["ttl"], "86400");
  assert.equal(got.headers["urgency"], "high"); // a severe alert
  assert.equal(vapid(got.headers["authorization"], pushUrl), serverKey, "the key the page gave the browser");
  const message = JSON.parse(open(got.body, ua, auth));
  assert.equal(message.title, "Cảnh báo: mạo danh KOL bán hàng");
  assert.equal(message.body, "Kẻ gian lập tài khoản giống hệt để bán hàng giả.");
  assert.equal(message.tag, n.body.id);
  assert.ok(message.url.endsWith(`/notices/${n.body.id}`), message.url);
  // The push service said the other subscription is gone: it stops, and the page lists one.
  for (let i = 0; i < 50; i++) {
    await page.reload();
    if ((await page.locator("#push-subscriptions li").count()) === 1) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(await page.locator("#push-subscriptions li").count(), 1);
  // The notice is in the influencer's list; read, it says so.
  await page.locator(`#n-${n.body.id}`).getByRole("button", { name: /Đánh dấu đã đọc/ }).click();
  await page.waitForURL(base + "/console/network");
  assert.match(await page.locator(`#n-${n.body.id}`).innerText(), /đã đọc/);
  await violations(page).then((v) => assert.deepEqual(v, [], "network page with a notice: axe"));
  // Reach counts the push channel.
  const reach = await api("GET", `/v1/notices/${n.body.id}/reach`, null, keys.regulator);
  assert.ok(reach.body.groups.some((g) => g.channel === "push"), JSON.stringify(reach.body));
  await ctx.close();
});

test("the service worker is served from the root, revalidated", async () => {
  const r = await fetch(base + "/sw.js");
  assert.equal(r.status, 200);
  assert.match(r.headers.get("content-type"), /^text\/javascript/);
  assert.equal(r.headers.get("cache-control"), "no-cache");
  assert.match(await r.text(), /addEventListener\("push"/);
});

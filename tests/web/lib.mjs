// What the browser suites share: a real niemtin server on a free port with a demo database (stopped
// by its PID), Debian's chromium through playwright-core, and axe-core's findings on a page.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SOURCE = process.env.NT_SOURCE;
export const BIN = process.env.NIEMTIN_BIN;
const require = createRequire(join(SOURCE, "web", "package.json"));
export const { chromium } = require("playwright-core");
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
export const SHOTS = process.env.NT_SCREENSHOTS;

function serverPort(proc) {
  return new Promise((resolve, reject) => {
    let log = "";
    const timer = setTimeout(() => reject(new Error(`no port in 30 s: ${log}`)), 30000);
    proc.stderr.on("data", (d) => {
      log += d;
      const m = /"msg":"listening".*?"port":(\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.on("exit", (code) => reject(new Error(`server exited ${code}: ${log}`)));
  });
}

// A demo database and a server on it: {dir, base, proc, admin (init's key), keys (the demo's, by role)}.
export async function startServer(prefix, demoArgs = [], serveArgs = []) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const db = join(dir, "niemtin.db");
  const init = execFileSync(BIN, ["init", "--db", db], { encoding: "utf8" });
  execFileSync(BIN, ["demo", "--db", db, ...demoArgs, "--keys-out", join(dir, "keys.env")], { stdio: "ignore" });
  const keys = Object.fromEntries(readFileSync(join(dir, "keys.env"), "utf8").trim().split("\n")
    .filter((l) => /_KEY=/.test(l)).map((l) => {
      const [k, v] = l.split("=");
      return [k.slice("NIEMTIN_".length, -"_KEY".length).toLowerCase(), v];
    }));
  const proc = spawn(BIN, ["serve", "--db", db, "--listen", "127.0.0.1:0", "--threads", "4", ...serveArgs],
    { stdio: ["ignore", "ignore", "pipe"] });
  const base = `http://127.0.0.1:${await serverPort(proc)}`;
  for (let i = 0; i < 100; i++) {
    if ((await fetch(base + "/readyz").catch(() => ({ status: 0 }))).status === 200) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { dir, base, proc, admin: /^(k_\S+\.\S+)$/m.exec(init)[1], keys };
}

export async function stopServer(s) {
  if (s?.proc && s.proc.exitCode === null) {
    s.proc.kill("SIGTERM");
    await new Promise((r) => s.proc.on("exit", r));
  }
  if (s?.dir) rmSync(s.dir, { recursive: true, force: true });
}

export function launch() {
  return chromium.launch({ executablePath: process.env.NT_CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox"] });
}

// axe-core's violations of WCAG 2.2 A/AA and best practice on the page, as lines. axe is put in by
// the test (the pages' own policy refuses any script not served by the site: contexts bypass CSP).
export async function axe(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  });
}

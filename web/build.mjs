// Compiles the web pages' styles and scripts into OUT (web.css, web.js, sw.js: the service worker), which the build embeds in
// the binary; the server serves them under their content hash with a year's caching.
// usage: node build.mjs OUT
import * as sass from "sass";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
  console.error("usage: node build.mjs OUT");
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const css = sass.compile(join(here, "src/niemtin.scss"), {
  style: "compressed",
  importers: [new sass.NodePackageImporter(here)],
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "web.css"), css.css);
writeFileSync(join(out, "web.js"), readFileSync(join(here, "src/niemtin.js")));
writeFileSync(join(out, "sw.js"), readFileSync(join(here, "src/sw.js")));

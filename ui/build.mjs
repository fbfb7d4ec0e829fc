// Bundles the UI into dist/: one script, one stylesheet, one page. No
// inline script or style, so the window's strict CSP holds.
import { build } from "esbuild";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";

await rm("dist", { recursive: true, force: true });
await mkdir("dist", { recursive: true });
await build({
  entryPoints: ["src/main.ts"],
  bundle: true,
  format: "esm",
  target: ["safari15"],
  minify: true,
  outdir: "dist/assets",
  entryNames: "app",
  logLevel: "warning",
});
const page = (await readFile("index.html", "utf8")).replace(
  '<script type="module" src="./src/main.ts"></script>',
  '<link rel="stylesheet" href="./assets/app.css" />\n    <script type="module" src="./assets/app.js"></script>',
);
if (!page.includes("./assets/app.js")) throw new Error("index.html lost its script tag");
await writeFile("dist/index.html", page);
console.log("ui/dist built");

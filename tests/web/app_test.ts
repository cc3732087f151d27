// The page in a real browser: headless Chromium (WebGPU on SwiftShader here) runs NMF on the
// ORL faces at 32x32 for 50 iterations with facet's kernels; its final loss must equal the same
// fit under Deno (same data, init and seed) within 1e-3 relative, and the basis images it drew
// must not be blank. Skipped, with the reason printed, where no Chromium is installed (.ci/run
// installs it, so CI always runs this test).
import { Image } from "imagescript";
import { encodePng } from "../../eval/encode_png.ts";
import { ok } from "node:assert/strict";
import { orlPayload, servePage } from "../../pipeline/page_server.ts";
import { runPageFit } from "../../web/page_fit.ts";
import { testGpu } from "../_reference.ts";
import { Chromium, findChromium } from "../_chromium.ts";

const chromium = findChromium();
if (!chromium) {
  console.error(
    "tests/web/app_test.ts: browser test skipped: no Chromium on PATH " +
      "(apt-get install chromium, or set CHROMIUM to a Chrome binary)",
  );
}

const FIT = { model: "nmf-mu", sizes: [16], maxIter: 50, seed: 3, every: 10 } as const;

/** A test with the page served and a headless Chromium on about:blank, both closed after. */
function pageTest(name: string, fn: (url: string, browser: Chromium) => Promise<void>) {
  Deno.test({
    name: `page in headless Chromium${name}`,
    ignore: !chromium,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const server = await servePage({ port: 0 });
      const browser = await Chromium.open(chromium!, "about:blank");
      try {
        await fn(server.url, browser);
      } finally {
        await browser.close();
        await server.shutdown();
      }
    },
  });
}

pageTest(": ORL 32x32 NMF, 50 iterations, the loss of the Deno fit", async (url, browser) => {
  const q = `auto=1&model=${FIT.model}&sizes=${FIT.sizes}&iter=${FIT.maxIter}` +
    `&seed=${FIT.seed}&every=${FIT.every}`;
  await browser.send("Page.navigate", { url: `${url}?${q}` });
  type Result = { loss: number[]; iteration: number; stopReason: string; adapter: string };
  const page = await browser.waitFor<Result>("facetResult", "facetError", 240);
  ok(page.iteration === 50 && page.stopReason === "maxIter", JSON.stringify(page));

  // The same fit under Deno, on the same X as the page (d x n, columns = faces).
  const orl = await orlPayload();
  const { n, d } = orl.meta;
  const here = await runPageFit(await testGpu(), { data: orl.x, d, n }, { ...FIT, sizes: [16] });
  const [a, b] = [page.loss.at(-1)!, here.loss.at(-1)!];
  const rel = Math.abs(a - b) / b;
  ok(rel <= 1e-3, `page loss ${a} (${page.adapter}) vs Deno ${b}: relative ${rel}`);
  ok(page.loss[0] > a, "the page's loss fell");

  // The basis images the page drew: a clip of the screenshot with real contrast.
  const rect = await browser.evaluate(
    "JSON.stringify(document.getElementById('basis').getBoundingClientRect())",
  ) as string;
  const { x: cx, y: cy, width, height } = JSON.parse(rect);
  ok(width > 50 && height > 50, `basis canvas is ${width}x${height}`);
  const shot = await Image.decode(await browser.screenshot({ x: cx, y: cy, width, height }));
  const gray: number[] = [];
  for (const [, , rgba] of shot.iterateWithColors()) gray.push((rgba >>> 24) & 255);
  const mean = gray.reduce((s, v) => s + v, 0) / gray.length;
  const sd = Math.sqrt(gray.reduce((s, v) => s + (v - mean) ** 2, 0) / gray.length);
  const levels = new Set(gray).size;
  ok(sd > 20 && levels > 32, `basis screenshot looks blank: sd ${sd}, ${levels} gray levels`);
});

pageTest(" without WebGPU: one clear message, no fit", async (url, browser) => {
  // The page as a browser without WebGPU sees it: no navigator.gpu.
  await browser.send("Page.enable");
  await browser.send("Page.addScriptToEvaluateOnNewDocument", {
    source: "delete Navigator.prototype.gpu;",
  });
  await browser.send("Page.navigate", { url: `${url}?auto=1` });
  const error = await browser.until("globalThis.facetError", 30, "an error message") as string;
  ok(error.startsWith("This browser has no WebGPU (navigator.gpu is missing)"), error);
  const shown = await browser.evaluate("document.getElementById('status').textContent");
  ok(shown === error, `status line: ${shown}`);
  ok(!(await browser.evaluate("globalThis.facetResult")), "no fit ran");
});

pageTest(
  ": a picked folder (PGM and PNG) decoded, resized, deep relu fit",
  async (url, browser) => {
    const dir = await Deno.makeTempDir({ prefix: "facet-folder-" });
    try {
      for (const person of ["s1", "s2"]) {
        for (let i = 1; i <= 10; i++) {
          await Deno.copyFile(`data/att_faces/${person}/${i}.pgm`, `${dir}/${person}_${i}.pgm`);
        }
      }
      for (let k = 0; k < 2; k++) { // two PNGs, decoded by the browser itself
        const pixels = Uint8Array.from({ length: 40 * 30 }, (_, i) => (i * (k + 3)) % 256);
        await Deno.writeFile(
          `${dir}/ramp${k}.png`,
          await encodePng({ width: 40, height: 30, pixels }),
        );
      }
      await Deno.writeTextFile(`${dir}/notes.txt`, "not an image");
      await browser.send("Page.navigate", { url });
      await browser.until("document.getElementById('model')?.options.length", 30, "its models");
      await browser.setFiles("#folder", [dir]); // a webkitdirectory input takes the folder
      // Chromium lists the folder's files asynchronously.
      await browser.until(
        "document.getElementById('folder').files.length >= 23",
        30,
        "the folder's 23 files in its input",
      );
      await browser.evaluate(`(() => {
      const set = (id, v) => { const e = document.getElementById(id); e.value = v;
        e.dispatchEvent(new Event("change")); };
      set("source", "folder"); set("model", "deep-relu"); set("sizes", "8,4");
      set("width", "24"); set("height", "28"); set("iterations", "20");
      document.getElementById("controls").requestSubmit();
    })()`);
      type Result = {
        loss: number[];
        iteration: number;
        stopReason: string;
        reportBytes: number;
        samples: number;
      };
      const r = await browser.waitFor<Result>("facetResult", "facetError", 240);
      ok(r.iteration === 20 && r.stopReason === "maxIter", JSON.stringify(r));
      ok(r.samples === 22, `${r.samples} images used: 20 PGMs and 2 PNGs, not the text file`);
      ok(r.loss.every(Number.isFinite) && r.loss.at(-1)! < r.loss[0], `loss ${r.loss}`);
      ok(r.reportBytes > 10_000, `report of ${r.reportBytes} bytes`);
      const links = await browser.evaluate(
        "[...document.querySelectorAll('#downloads a')].map((a) => a.download).join(' ')",
      );
      ok(links === "Z1.npy Z2.npy H1.npy H2.npy report.html", `downloads: ${links}`);
      // The deepest basis (4 columns of Z1 Z2) as 2 x 2 tiles of 24 x 28 at scale 2, 1-px borders.
      const size = await browser.evaluate(
        "[document.getElementById('basis').width, document.getElementById('basis').height].join('x')",
      );
      ok(size === `${2 * 48 + 3}x${2 * 56 + 3}`, `basis canvas ${size}`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

import { equal, ok, throws } from "node:assert/strict";
import { join } from "node:path";
import { decode, Image } from "imagescript";
import { confusionMatrixSvg } from "../../eval/confusion_matrix_svg.ts";
import { encodePng } from "../../eval/encode_png.ts";
import { imageGrid } from "../../eval/image_grid.ts";
import { lossCurveSvg } from "../../eval/loss_curve_svg.ts";
import { renderReport, type ReportInput } from "../../eval/render_report.ts";
import { writeRunFiles } from "../../eval/write_run_files.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { checkMarkup } from "./_markup.ts";

async function sampleReport(): Promise<{ input: ReportInput; sizes: [number, number][] }> {
  const rand = seededRandom(1);
  const basis = imageGrid({ data: randomArray(rand, 64 * 12), rows: 64, cols: 12 }, {
    height: 8,
    width: 8,
  });
  const pairs = imageGrid({ data: randomArray(rand, 64 * 8), rows: 64, cols: 8 }, {
    height: 8,
    width: 8,
    columns: 4,
    stretch: "shared",
  });
  const input: ReportInput = {
    title: "Test run <NMF & friends>",
    createdAt: "2025-01-01T00:00:00Z",
    config: { model: "nmf", k: 12, seeds: [1, 2], note: 'quote " and <tag>' },
    adapter: { name: "llvmpipe (LLVM 15)", vendor: "mesa", isSoftware: true },
    timings: [{ phase: "factorize", seconds: 1.5 }, { phase: "evaluate", seconds: 0.25 }],
    metrics: {
      probes: [{
        layer: "H1",
        attribute: "glasses",
        probe: { accuracy: 0.91, balancedAccuracy: 0.88, auc: 0.95, majorityAccuracy: 0.6, c: 1 },
        rawPixel: { accuracy: 0.85, balancedAccuracy: 0.8, auc: 0.9, majorityAccuracy: 0.6 },
      }, {
        layer: "H2",
        attribute: "glasses",
        probe: { accuracy: 0.605, balancedAccuracy: 0.5, auc: 0.52, majorityAccuracy: 0.6 },
        rawPixel: null,
      }],
      clustering: [{ layer: "H1", accuracy: 0.66, nmi: 0.8, k: 40, replicates: 10 }],
      reconstruction: [{ layer: "1", relativeError: 0.15, medianSampleError: 0.14 }],
      sparsity: [{ factor: "W", hoyer: 0.55 }],
    },
    images: [
      { title: "Basis images", caption: "Columns of W", png: await encodePng(basis) },
      { title: "Reconstructions", png: await encodePng(pairs) },
    ],
    figures: [
      {
        title: "Loss",
        svg: lossCurveSvg([{ name: "nmf", values: [10, 5, 2, 1.5, 1.2] }, {
          name: "gnmf",
          values: [12, 4, 1.8, 1.1],
        }]),
      },
      { title: "Confusion (H1, glasses)", svg: confusionMatrixSvg([50, 10, 8, 32], ["no", "yes"]) },
    ],
  };
  return { input, sizes: [[basis.width, basis.height], [pairs.width, pairs.height]] };
}

Deno.test("renderReport: self-contained, well-formed, every image inlined and decodable", async () => {
  const { input, sizes } = await sampleReport();
  const html = renderReport(input);
  const counts = checkMarkup(html);
  equal(counts.get("img"), 2);
  equal(counts.get("svg"), 2);
  equal(counts.get("script"), undefined);
  equal(counts.get("link"), undefined);
  // Nothing is fetched: every src/href is a data: URI, no CSS url(), and the only
  // http text is the SVG namespace.
  const refs = [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
  equal(refs.length, 2);
  ok(!/url\(/.test(html));
  ok(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', "").search(/https?:/) < 0);
  const imgs = [...html.matchAll(/<img src="([^"]*)" width="(\d+)" height="(\d+)"/g)];
  equal(imgs.length, 2);
  for (const [i, m] of imgs.entries()) {
    ok(m[1].startsWith("data:image/png;base64,"));
    const bytes = Uint8Array.from(atob(m[1].slice(22)), (c) => c.charCodeAt(0));
    const img = (await decode(bytes)) as Image;
    equal(img.width, sizes[i][0]);
    equal(img.height, sizes[i][1]);
    const zoom = Number(m[2]) / img.width;
    ok(Number.isInteger(zoom) && zoom >= 1 && Number(m[3]) === img.height * zoom);
  }
  // Baselines beside the probe; the weak H2 probe is flagged; text is escaped.
  ok(
    /<td class="main">0\.910<\/td>.*<td class="base">0\.600<\/td><td class="base">0\.850/.test(
      html,
    ),
  );
  ok(html.includes('<tr class="weak"><td class="l">H2</td>'));
  ok(html.includes("Test run &lt;NMF &amp; friends&gt;"));
  ok(html.includes("software fallback"));
  ok(html.includes("<th>1.75</th>")); // total time
  throws(() => renderReport({ ...input, figures: [{ title: "x", svg: "<div></div>" }] }), /<svg>/);
  throws(
    () => renderReport({ ...input, images: [{ title: "x", png: new Uint8Array(30) }] }),
    /PNG/,
  );

  // Extra check where Debian's chromium is installed: it renders the file to a non-blank page.
  const chromium = ["chromium", "chromium-browser"].find((c) => {
    try {
      return new Deno.Command(c, { args: ["--version"], stdout: "null", stderr: "null" })
        .outputSync().success;
    } catch {
      return false;
    }
  });
  if (!chromium) {
    console.log("render_report_test: chromium not installed; screenshot check not run");
    return;
  }
  const dir = await Deno.makeTempDir({ prefix: "facet_report_" });
  try {
    const [page] = await writeRunFiles(dir, { "report.html": html });
    const shot = join(dir, "shot.png");
    const out = await new Deno.Command(chromium, {
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        `--user-data-dir=${join(dir, "profile")}`,
        "--window-size=1000,1400",
        `--screenshot=${shot}`,
        `file://${page}`,
      ],
      stdout: "null",
      stderr: "piped",
      signal: AbortSignal.timeout(60_000),
    }).output();
    ok(out.success, new TextDecoder().decode(out.stderr));
    const img = (await decode(await Deno.readFile(shot))) as Image;
    equal(img.width, 1000);
    equal(img.height, 1400);
    let dark = 0;
    for (let i = 0; i < img.bitmap.length; i += 4) if (img.bitmap[i] < 128) dark++;
    const frac = dark / (img.width * img.height);
    ok(frac > 0.005 && frac < 0.5, `dark pixel fraction ${frac}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

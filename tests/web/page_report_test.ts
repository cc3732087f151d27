import { encodePng } from "../../eval/encode_png.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { runPageFit } from "../../web/page_fit.ts";
import { pageDecode, pageReport } from "../../web/page_report.ts";
import { assertClose, testGpu } from "../_reference.ts";
import { deepEqual, match, ok } from "node:assert/strict";

function mat(rows: number, cols: number, seed: number, lo = -1) {
  return { rows, cols, data: randomArray(seededRandom(seed), rows * cols, lo, 1) };
}

/** float64 A B */
function ref(a: { rows: number; cols: number; data: ArrayLike<number> }, b: typeof a) {
  const out = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < b.cols; j++) {
      for (let p = 0; p < a.cols; p++) {
        out[i * b.cols + j] += a.data[i * a.cols + p] * b.data[p * b.cols + j];
      }
    }
  }
  return { rows: a.rows, cols: b.cols, data: out };
}

Deno.test("pageDecode: W H, Z1 Z2 H2, and Z1 relu(Z2 H2) against float64", () => {
  const [w, h] = [mat(7, 3, 1, 0), mat(3, 5, 2, 0)];
  assertClose(pageDecode({ W: w, H: h }, { model: "nmf-mu" }).xHat.data, ref(w, h).data, 1e-6);
  const [z1, z2, h1, h2] = [mat(7, 4, 3), mat(4, 2, 4), mat(4, 5, 5, 0), mat(2, 5, 6, 0)];
  const factors = { Z1: z1, Z2: z2, H1: h1, H2: h2 };
  const lin = pageDecode(factors, { model: "deep-linear" });
  assertClose(lin.xHat.data, ref(z1, ref(z2, h2)).data, 1e-6, "linear");
  assertClose(lin.basis.data, ref(z1, z2).data, 1e-6, "basis Z1 Z2");
  const pre = ref(z2, h2);
  const act = { ...pre, data: pre.data.map((v) => Math.max(v, 0)) };
  ok(pre.data.some((v) => v < 0), "the test needs negative pre-activations");
  const relu = pageDecode(factors, { model: "deep-relu" });
  assertClose(relu.xHat.data, ref(z1, act).data, 1e-6, "relu");
  deepEqual(relu.code, h2);
});

Deno.test("pageReport: one self-contained page with pictures, loss, errors and clustering", async () => {
  const gpu = await testGpu();
  // Two planted groups of 6 samples: clustering the codes recovers them.
  const d = 16;
  const x = new Float32Array(d * 12);
  const rand = seededRandom(9);
  for (let j = 0; j < 12; j++) {
    for (let i = 0; i < d; i++) {
      const on = j < 6 ? i < 8 : i >= 8;
      x[i * 12 + j] = (on ? 1 : 0) + 0.05 * rand();
    }
  }
  const labels = Int32Array.from({ length: 12 }, (_, j) => (j < 6 ? 0 : 1));
  const fit = { model: "nmf-hals" as const, sizes: [2], maxIter: 30 };
  const result = await runPageFit(gpu, { data: x, d, n: 12 }, fit);
  const data = {
    x: { rows: d, cols: 12, data: x },
    width: 4,
    height: 4,
    pixelOrder: "row-major" as const,
    labels,
    name: "planted",
  };
  const html = await pageReport(data, { fit, result, png: encodePng, createdAt: "today" });
  for (const part of ["Basis images", "Reconstructions", "Loss of NMF, HALS", "planted"]) {
    ok(html.includes(part), part);
  }
  match(html, /<img [^>]*src="data:image\/png;base64,/);
  ok(!/<script|https?:\/\//.test(html.replace(/xmlns="http:\/\/www.w3.org\/2000\/svg"/g, "")));
  // k-means on the codes recovers the planted groups: accuracy and NMI 1.
  match(
    html,
    /<td class="l">deepest code<\/td><td>2<\/td><td>10<\/td><td>1\.000<\/td><td>1\.000<\/td>/,
  );
});

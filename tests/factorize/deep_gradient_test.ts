import { ok } from "node:assert/strict";
import { recordForward, recordGradients } from "../../factorize/deep_gradient.ts";
import type { Activation } from "../../factorize/deep_semi_nmf_options.ts";
import { DataMatrix } from "../../factorize/data_matrix.ts";
import { seededNormal, seededRandom } from "../../factorize/seeded_random.ts";
import { GpuCsr } from "../../gpu/gpu_csr.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { testGpu } from "../_reference.ts";
import { randomGraph } from "../gpu/_random_graph.ts";

// g and g' in float64, as the authors define them (tanh: LeCun's 1.7159 tanh(2x/3)).
const G: Record<Activation, [(x: number) => number, (x: number) => number]> = {
  linear: [(x) => x, () => 1],
  relu: [(x) => Math.max(x, 0), (x) => (x > 0 ? 1 : 0)],
  sigmoid: [(x) => 1 / (1 + Math.exp(-x)), (x) => Math.exp(-x) / (1 + Math.exp(-x)) ** 2],
  tanh: [
    (x) => 1.7159 * Math.tanh(2 * x / 3),
    (x) => 1.7159 * 2 / 3 * (1 - Math.tanh(2 * x / 3) ** 2),
  ],
  softplus: [(x) => Math.log1p(Math.exp(x)), (x) => 1 / (1 + Math.exp(-x))],
};

function mul(a: Float64Array, b: Float64Array, r: number, k: number, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    for (let p = 0; p < k; p++) {
      const v = a[i * k + p];
      for (let j = 0; j < c; j++) out[i * c + j] += v * b[p * c + j];
    }
  }
  return out;
}

interface Case {
  x: Float64Array;
  d: number;
  n: number;
  ks: number[];
  activation: Activation;
  free: boolean;
  graphs: ({ dense: Float64Array; degrees: Float32Array; lambda: number } | null)[];
}

/** The codes H₁ … H_m of parameters Z₁ … Z_m and the top (H̃ or H_m), in float64. */
function forward(c: Case, zs: Float64Array[], top: Float64Array): Float64Array[] {
  const m = c.ks.length;
  const codes: Float64Array[] = new Array(m);
  codes[m - 1] = c.free ? top.map((v) => Math.max(v, 0)) : top;
  for (let i = m - 2; i >= 0; i--) {
    codes[i] = mul(zs[i + 1], codes[i + 1], c.ks[i], c.ks[i + 1], c.n).map(G[c.activation][0]);
  }
  return codes;
}

/** ‖X − Z₁H₁‖² + Σ λᵢ tr(Hᵢ Lᵢ Hᵢᵀ) in float64. */
function cost(c: Case, zs: Float64Array[], top: Float64Array): number {
  const codes = forward(c, zs, top);
  const xHat = mul(zs[0], codes[0], c.d, c.ks[0], c.n);
  let s = 0;
  for (let i = 0; i < xHat.length; i++) s += (c.x[i] - xHat[i]) ** 2;
  c.graphs.forEach((g, i) => {
    if (!g) return;
    const h = codes[i];
    for (let r = 0; r < c.ks[i]; r++) {
      for (let a = 0; a < c.n; a++) {
        s += g.lambda * g.degrees[a] * h[r * c.n + a] ** 2;
        for (let b = 0; b < c.n; b++) {
          s -= g.lambda * g.dense[a * c.n + b] * h[r * c.n + a] * h[r * c.n + b];
        }
      }
    }
  });
  return s;
}

Deno.test("deep gradients: every activation, depth 1-3, free or projected H, graphs: GPU vs float64 finite differences", async () => {
  const gpu = await testGpu();
  const [d, n] = [7, 9];
  const rand = seededRandom(31);
  const normal = seededNormal(rand);
  const x = Float64Array.from({ length: d * n }, normal);
  const g = randomGraph(n, 2, 3, 4);
  const graph = { dense: g.dense, degrees: g.graph.degrees, lambda: 0.3 };
  const csr = GpuCsr.fromGraph(gpu, g.graph);
  const data = DataMatrix.upload(gpu, { data: Float32Array.from(x), d, n });
  let worst = 0;
  for (const ks of [[5], [5, 3], [5, 4, 2]]) {
    for (const activation of Object.keys(G) as Activation[]) {
      for (const free of [true, false]) {
        const m = ks.length;
        const graphs = ks.map((_, i) => (i === 0 || i === m - 1 ? graph : null));
        const c: Case = { x, d, n, ks, activation, free, graphs };
        const rows = [d, ...ks];
        // f32-exact parameters, kept away from relu's kink at 0.
        const f32 = (len: number, positive: boolean) =>
          Float64Array.from({ length: len }, () => {
            const v = Math.fround((0.2 + rand()) * (positive || rand() < 0.6 ? 1 : -1));
            return v;
          });
        const zs = ks.map((k, i) => f32(rows[i] * k, false).map((v) => Math.fround(v * 0.7)));
        const top = f32(ks[m - 1] * n, !free);
        const up = (r: number, cols: number, v: Float64Array) =>
          GpuMatrix.fromArray(gpu, r, cols, Float32Array.from(v));
        const layers = ks.map((k, i) => ({
          z: up(rows[i], k, zs[i]),
          h: GpuMatrix.fromArray(gpu, k, n, new Float32Array(k * n)),
          pre: i < m - 1 ? GpuMatrix.empty(gpu, k, n) : null,
          graph: graphs[i] ? csr : null,
          lambda: graphs[i]?.lambda ?? 0,
        }));
        const freeM = free ? up(ks[m - 1], n, top) : null;
        if (!free) layers[m - 1].h = up(ks[m - 1], n, top);
        const model = { layers, activation, free: freeM };
        recordForward(model);
        const dZ = layers.map((l) => GpuMatrix.empty(gpu, l.z.rows, l.z.cols));
        const dH = layers.map((l) => GpuMatrix.empty(gpu, l.h.rows, l.h.cols));
        const scratch = {
          kk: GpuMatrix.empty(gpu, ks[0], ks[0]),
          ztx: GpuMatrix.empty(gpu, ks[0], n),
          xht: GpuMatrix.empty(gpu, d, ks[0]),
        };
        recordGradients(data, model, { dZ, dH }, scratch);
        const label = `layers ${ks} ${activation} ${free ? "free" : "projected"}`;
        // The forward pass against float64.
        const want = forward(c, zs, top);
        for (let i = 0; i < m; i++) {
          const got = await layers[i].h.toArray();
          const err = Math.max(...got.map((v, j) => Math.abs(v - want[i][j])));
          ok(err < 1e-5 * (1 + Math.max(...want[i].map(Math.abs))), `${label}: H${i + 1} ${err}`);
        }
        // Every parameter's gradient against central differences of the float64 cost.
        const params = [...zs, top];
        const grads = [...dZ, dH[m - 1]];
        for (let p = 0; p < params.length; p++) {
          const got = await grads[p].toArray();
          const fd = params[p].map((v, j) => {
            const h = 1e-6 * Math.max(1, Math.abs(v));
            params[p][j] = v + h;
            const up2 = cost(c, params.slice(0, m), params[m]);
            params[p][j] = v - h;
            const down = cost(c, params.slice(0, m), params[m]);
            params[p][j] = v;
            return (up2 - down) / (2 * h);
          });
          const scale = Math.max(...fd.map(Math.abs), 1e-12);
          const err = Math.max(...got.map((v, j) => Math.abs(v - fd[j]))) / scale;
          worst = Math.max(worst, err);
          ok(err < 1e-4, `${label}: parameter ${p} gradient off by ${err} of its largest entry`);
        }
        for (const mtx of [...layers.flatMap((l) => [l.z, l.h, l.pre]), freeM, ...dZ, ...dH]) {
          mtx?.dispose();
        }
        Object.values(scratch).forEach((mtx) => mtx.dispose());
      }
    }
  }
  ok(worst > 0, "the comparison compared something");
});

import { deepSemiNmf, openDeepSemiNmfFit } from "../../factorize/deep_semi_nmf.ts";
import type { DeepSemiNmfOptions } from "../../factorize/deep_semi_nmf_options.ts";
import { checkResume } from "./_resume_check.ts";
import { plantedRelu } from "./_planted_relu.ts";
import { normalizeColumns } from "../../factorize/normalize_columns.ts";
import { attributeGraphs } from "../../factorize/sample_graph.ts";
import { randomArray, seededNormal, seededRandom } from "../../factorize/seeded_random.ts";
import { kmeansInitH } from "../../factorize/kmeans_init.ts";
import { symmetricEigen } from "../../factorize/symmetric_eigen.ts";
import type { HostMatrix } from "../../factorize/factorization_result.ts";
import { transposeMatrix } from "../../eval/dense_matrix.ts";
import { assertClose, refGemm, testGpu } from "../_reference.ts";
import { randomGraph } from "../gpu/_random_graph.ts";
import { map, type Mat, mat, mul, refSemi } from "./_nmf_reference.ts";
import { clusterScores, loadOrl } from "./_orl.ts";
import { deepEqual, ok, rejects } from "node:assert/strict";
import { OptionError } from "../../factorize/option_schema.ts";
import type { StageProgress } from "../../factorize/stage_progress.ts";

/** X = Z H with Z of both signs, H >= 0 (d x n). */
function mixedData(d: number, n: number, k: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  const normal = seededNormal(rand);
  const z = Float32Array.from({ length: d * k }, normal);
  const h = randomArray(rand, k * n);
  return Float32Array.from(refGemm(z, h, d, k, n));
}

/** Float64 Moore-Penrose pseudo-inverse through the eigen-decomposition of the Gram. */
function pinv(a: Mat): Mat {
  const wide = a.r <= a.c;
  const g = wide ? mul(a, a, false, true) : mul(a, a, true);
  const k = g.r;
  const { values, vectors } = symmetricEigen(g.v, k);
  const gi = new Float64Array(k * k);
  for (let e = 0; e < k; e++) {
    if (!(values[e] > 1e-10 * values[0])) continue;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        gi[i * k + j] += vectors[i * k + e] * vectors[j * k + e] / values[e];
      }
    }
  }
  const gInv = mat(k, k, gi);
  return wide ? mul(a, gInv, true) : mul(gInv, a, false, true);
}

/** One sweep of the authors' deep_seminmf.m (with ssdeep's graph terms), literally, in float64. */
function refSweep(x: Mat, zs: Mat[], hs: Mat[], w: (Float64Array | null)[], lambdas: number[]) {
  const m = hs.length;
  const n = x.c;
  const ht: Mat[] = [];
  ht[m - 1] = hs[m - 1];
  for (let i = m - 2; i >= 0; i--) ht[i] = mul(zs[i + 1], ht[i + 1]);
  let psi: Mat | null = null;
  for (let i = 0; i < m; i++) {
    zs[i] = psi ? mul(mul(pinv(psi), x), pinv(ht[i])) : mul(x, pinv(ht[0]));
    psi = psi ? mul(psi, zs[i]) : zs[0];
    const a = mul(psi, x, true);
    const b = mul(psi, psi, true);
    const h = hs[i];
    const bn = mul(map(b, (v) => Math.max(-v, 0)), h);
    const bp = mul(map(b, (v) => Math.max(v, 0)), h);
    const hw = w[i] ? mul(h, mat(n, n, w[i]!)) : null;
    hs[i] = map(h, (v, idx) => {
      const col = idx % n;
      let deg = 0;
      if (w[i]) { for (let j = 0; j < n; j++) deg += w[i]![col * n + j]; }
      const num = Math.max(a.v[idx], 0) + bn.v[idx] + (hw ? lambdas[i] * hw.v[idx] : 0);
      const den = Math.max(-a.v[idx], 0) + bp.v[idx] + lambdas[i] * deg * v;
      return v * Math.sqrt(num / Math.max(den, 1e-12));
    });
  }
}

// Pretraining with 0 iterations leaves the k-means starts with their least-squares Z's,
// which the reference rebuilds; then one sweep. f32 on the GPU vs float64: within 2e-3.
Deno.test("Deep WSF: one fine-tuning sweep matches the authors' update in float64", async () => {
  const gpu = await testGpu();
  const [d, n, k1, k2] = [30, 40, 8, 4];
  const input = { data: mixedData(d, n, 6, 1), d, n };
  const g1 = randomGraph(n, 2, 9, 3);
  const g2 = randomGraph(n, 3, 0, 4);
  const lambdas = [0.5, 0.3];
  const r = await deepSemiNmf(gpu, input, {
    layers: [k1, k2],
    pretrainInit: "kmeans",
    pretrainMaxIter: 0,
    maxIter: 1,
    tol: 0,
    seed: 5,
    graphs: [g1.graph, g2.graph],
    lambdas,
  });
  const xn = normalizeColumns(input);
  const x = mat(d, n, xn.data);
  const h1 = await kmeansInitH(gpu, xn, { k: k1, seed: 5 });
  const h2 = await kmeansInitH(gpu, { data: h1, d: k1, n }, { k: k2, seed: 6 });
  const hs = [mat(k1, n, h1), mat(k2, n, h2)];
  const zs = [mul(x, pinv(hs[0])), mul(hs[0], pinv(hs[1]))];
  refSweep(x, zs, hs, [g1.dense, g2.dense], lambdas);
  assertClose(r.factors.Z[0].data, zs[0].v, 2e-3, "Z1");
  assertClose(r.factors.Z[1].data, zs[1].v, 2e-3, "Z2");
  assertClose(r.factors.H[0].data, hs[0].v, 2e-3, "H1");
  assertClose(r.factors.H[1].data, hs[1].v, 2e-3, "H2");
});

// Uniform random bytes share a large mean, so the k-means start's H Hᵀ (0.2 + indicators) is
// ill-conditioned and X Hᵀ has nearly parallel columns: forming Ψᵀ Ψ as R (Xᵀ-side Gram) R
// from them was 8x further from float64 than the Gram of Ψ itself (2.1e-4 vs 2.6e-5 here; at
// n = 20,000, k = 64: 0.11 vs 0.003). One pretraining step vs float64 semi-NMF: H within 2.5e-5
// (measured 1.3e-5; 5.1e-5 with the former Gram), Z within 5e-5 (measured 2.3e-5).
Deno.test("Deep Semi-NMF: a pretraining step on data with a large common mean matches float64", async () => {
  const gpu = await testGpu();
  const [d, n, k] = [48, 3000, 32];
  const rand = seededRandom(17);
  const bytes = Uint8Array.from({ length: d * n }, () => (rand() * 256) | 0);
  const input = { data: bytes, d, n };
  const r = await deepSemiNmf(gpu, input, {
    layers: [k],
    pretrainMaxIter: 1,
    maxIter: 0,
    tol: 0,
    seed: 2,
  });
  const xn = normalizeColumns(input);
  const h0 = await kmeansInitH(gpu, xn, { k, seed: 2 });
  const [z, h] = refSemi(mat(d, n, xn.data), mat(k, n, h0));
  assertClose(r.factors.Z[0].data, z.v, 5e-5, "Z");
  assertClose(r.factors.H[0].data, h.v, 2.5e-5, "H");
});

Deno.test("Deep Semi-NMF: the cost never rises, in pretraining or fine-tuning", async () => {
  const gpu = await testGpu();
  const [d, n] = [30, 40];
  const r = await deepSemiNmf(gpu, { data: mixedData(d, n, 5, 7), d, n }, {
    layers: [8, 4],
    pretrainMaxIter: 15,
    maxIter: 25,
    checkEvery: 1,
    tol: 0,
  });
  for (const loss of [...r.pretraining.map((p) => p.loss), r.loss]) {
    for (let i = 1; i < loss.length; i++) {
      ok(loss[i] <= loss[i - 1] * (1 + 1e-5), `cost rose at ${i}: ${loss}`);
    }
  }
  ok(r.loss.at(-1)! < 0.9 * r.loss[0], `fine-tuning barely helped: ${r.loss}`);
  ok(r.factors.H.every((h) => h.data.every((v) => v >= 0)), "H >= 0");
  // every iteration of each phase is checked (checkEvery 1), iteration 0 too
  deepEqual([...r.pretraining.map((p) => p.loss.length), r.loss.length], [16, 16, 26]);
  ok(r.messages[0].startsWith("Pretraining layer 1/2: 15 iterations"), r.messages[0]);
});

Deno.test('Deep Semi-NMF: init "custom" skips pretraining and continues fine-tuning', async () => {
  const gpu = await testGpu();
  const [d, n] = [30, 40];
  const input = { data: mixedData(d, n, 5, 3), d, n };
  const base = { layers: [8, 4], pretrainMaxIter: 10, tol: 0 };
  const first = await deepSemiNmf(gpu, input, { ...base, maxIter: 10 });
  const { Z, H } = first.factors;
  const next = await deepSemiNmf(gpu, input, { ...base, maxIter: 10, init: "custom", Z, H });
  ok(next.pretraining.length === 0, "no pretraining");
  ok(Math.abs(next.loss[0] - first.loss.at(-1)!) < 1e-4 * next.loss[0], "starts where it ended");
  ok(next.loss.at(-1)! < next.loss[0], `continues to lower the cost: ${next.loss}`);
  await rejects(() => deepSemiNmf(gpu, input, { ...base, init: "custom", Z }), /needs H with one/);
  await rejects(
    () => deepSemiNmf(gpu, input, { ...base, init: "custom", Z: [Z[1], Z[0]], H }),
    /Option Z\[0\] must be 30 x 8/,
  );
});

// CelebA-sized X exceeds one storage binding and is held as blocks of samples; blocked and
// whole X differ only in the f32 summation order of the streamed products. Deep WSF (a graph
// on layer 1) after 5 pretraining and 5 fine-tuning iterations: within 1e-3 of the largest entry.
Deno.test("Deep WSF: X streamed in 3 blocks of samples gives the whole-X factors", async () => {
  const gpu = await testGpu();
  const [d, n] = [30, 42];
  const xt = Float32Array.from(
    transposeMatrix({ rows: d, cols: n, data: mixedData(d, n, 5, 13) }).data,
  );
  const input = { data: xt, d, n, samplesAsRows: true };
  const blocked = { ...input, maxBlockBytes: 16 * d * 4 }; // blocks of 16, 16, 10 samples
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  const graphs = await attributeGraphs(gpu, input, { labels: [labels, null], k: 4 });
  const o = { layers: [8, 4], graphs, lambdas: [0.5, 0], pretrainMaxIter: 5, maxIter: 5, tol: 0 };
  const whole = await deepSemiNmf(gpu, input, o);
  const split = await deepSemiNmf(gpu, blocked, o);
  for (let i = 0; i < 2; i++) {
    assertClose(split.factors.Z[i].data, whole.factors.Z[i].data, 1e-3, `Z${i + 1}`);
    assertClose(split.factors.H[i].data, whole.factors.H[i].data, 1e-3, `H${i + 1}`);
  }
  assertClose(split.loss, whole.loss, 1e-4, "loss");
  // the option reaches the data upload (a block smaller than one sample is refused)
  await rejects(
    () => deepSemiNmf(gpu, { ...input, maxBlockBytes: 40 }, o),
    /maxBlockBytes 40 is smaller than one sample/,
  );
});

/** Mean distance between columns of H (scaled to unit mean norm) of the same label over that of different labels. */
function sameOverOther(h: HostMatrix, labels: Int32Array): number {
  const { rows: k, cols: n, data } = h;
  const sum = [0, 0], count = [0, 0];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let r = 0; r < k; r++) s += (data[r * n + i] - data[r * n + j]) ** 2;
      const c = labels[i] === labels[j] ? 0 : 1;
      sum[c] += Math.sqrt(s);
      count[c]++;
    }
  }
  return sum[0] / count[0] / (sum[1] / count[1]);
}

Deno.test("Deep WSF: a strong label graph pulls same-label samples together", async () => {
  const gpu = await testGpu();
  const [d, n] = [30, 40];
  const input = { data: mixedData(d, n, 5, 11), d, n };
  const labels = Int32Array.from({ length: n }, (_, i) => i % 4);
  const graphs = await attributeGraphs(gpu, input, { labels: [labels, null], k: 4 });
  const fit = (lambda: number) =>
    deepSemiNmf(gpu, input, {
      layers: [8, 4],
      pretrainMaxIter: 20,
      maxIter: 20,
      graphs,
      lambdas: [lambda, 0],
    });
  const plain = sameOverOther((await fit(0)).factors.H[0], labels);
  const pulled = sameOverOther((await fit(10)).factors.H[0], labels);
  ok(pulled < 0.6 * plain, `same/other distance ratio: λ=0 ${plain}, λ=10 ${pulled}`);
});

Deno.test("Deep Semi-NMF: bad options name the option", async () => {
  const gpu = await testGpu();
  const x = { data: new Float32Array(12 * 10), d: 12, n: 10 };
  const g = randomGraph(9, 2, 0, 1).graph;
  await rejects(() => deepSemiNmf(gpu, x, { layers: [] }), /Option layers/);
  await rejects(() => deepSemiNmf(gpu, x, { layers: [4, 5] }), /Option layers must not grow/);
  await rejects(() => deepSemiNmf(gpu, x, { layers: [0] }), OptionError);
  await rejects(() => deepSemiNmf(gpu, x, { layers: [11] }), /Option rank 11 is larger/);
  await rejects(() => deepSemiNmf(gpu, x, { layers: [4], maxIter: -1 }), /Option maxIter/);
  await rejects(
    () => deepSemiNmf(gpu, x, { layers: [4], pretrainMaxIter: 0.5 }),
    /pretrainMaxIter/,
  );
  await rejects(() => deepSemiNmf(gpu, x, { layers: [4, 2], graphs: [null] }), /Option graphs/);
  await rejects(() => deepSemiNmf(gpu, x, { layers: [4], graphs: [g] }), /graphs\[0\] has n = 9/);
  await rejects(() => deepSemiNmf(gpu, x, { layers: [4], lambdas: [-1] }), /Option lambdas/);
  await rejects(() => deepSemiNmf(gpu, x, { layers: [4, 2, 1], lambdas: [1, 2] }), /2 values/);
  await rejects(
    () =>
      deepSemiNmf(gpu, x, { layers: [4], pretrainInit: "pca" } as unknown as DeepSemiNmfOptions),
    /Option pretrainInit/,
  );
  await rejects(
    () => deepSemiNmf(gpu, x, { layers: [4], rank: 3 } as unknown as DeepSemiNmfOptions),
    /Unknown Deep Semi-NMF option rank/,
  );
});

// ORL (400 faces, 40 people, 23x28 pixels), layers [80, 40], k-means init, 100 pretraining
// iterations, then 100 fine-tuning sweeps continued from the pretrained factors (init "custom").
// Measured ACC / NMI, pretraining alone -> fine-tuned: seed 0 0.545 / 0.727 -> 0.563 / 0.756,
// seed 1 0.522 / 0.689 -> 0.575 / 0.757 (seeds 2, 3: +0.071 / +0.053, +0.035 / +0.028).
// One seed's gain moves by a few faces with any change of f32 rounding, so the mean over two
// seeds is asserted: >= 0.02 in both.
//
// The stronger property (2-layer Deep Semi-NMF beats semi-NMF of rank 40 on ORL) is
// NOT asserted: it does not hold here. k-means (40 clusters, 10 starts) on the raw last-layer
// H (the authors' protocol), ACC/NMI, seeds 0/1/2, unit-norm samples, tol 1e-5:
//   semi-NMF k=40, NNDSVD init, 300 it.:   0.565/0.774  0.593/0.791  0.647/0.813
//   deep [80, 40], NNDSVD, 300 + 300 it.:  0.623/0.796  0.542/0.749  0.542/0.758
//   semi-NMF k=40, k-means init, 300 it.:  0.603/0.807  0.657/0.810
//   deep [80, 40], k-means, 300 + 300 it.: 0.575/0.763
//   semi-NMF k=40, "svd" init:             0.573/0.744  0.565/0.755
//   deep [80, 40], "svd":                  0.480/0.675  0.540/0.710
// ([60|120|160|400, 40] with NNDSVD were no better: 0.535, 0.520, 0.515, 0.495 ACC.) The
// linear model cannot help by itself: fine-tuning's Ψ_m = Z₁⋯Z_m is X H_m⁺, so its H_m
// update is semi-NMF's; the layers only change where H_m starts. examples/orl_clustering_study.ts
// repeats the comparison over 10 seeds at 32x32 (k-means init, 200 iterations per phase):
// semi-NMF 0.642 ± 0.027 / 0.810 ± 0.015, [80, 40] 0.556 ± 0.028 / 0.742 ± 0.030,
// [120, 40] 0.480 ± 0.036 / 0.679 ± 0.025; deep beats semi-NMF with the same seed 0 times in 10.
// Again with the explicit Ψᵢᵀ Ψᵢ (5 seeds): semi-NMF 0.619 ± 0.026 / 0.804 ± 0.018, [80, 40]
// 0.541 ± 0.045 / 0.730 ± 0.026 (ACC better in 1 seed of 5), [120, 40] 0.482 ± 0.020 / 0.681;
// and scored with greedy k-means++ starts: semi-NMF 0.705 ± 0.033 / 0.833, [80, 40] 0.584 ±
// 0.040 / 0.746 (0 of 5), [120, 40] 0.500 / 0.689, NMF 0.728 / 0.862, GNMF 0.738 / 0.880.
Deno.test("Deep Semi-NMF on ORL: fine-tuning improves identity clustering over pretraining", async () => {
  const gpu = await testGpu();
  const orl = await loadOrl();
  const input = { data: orl.x, d: orl.d, n: orl.n };
  const gain = [0, 0];
  for (const seed of [0, 1]) {
    const base = { layers: [80, 40], pretrainInit: "kmeans" as const, tol: 0, seed };
    const pre = await deepSemiNmf(gpu, input, { ...base, pretrainMaxIter: 100, maxIter: 0 });
    const { Z, H } = pre.factors;
    const fine = await deepSemiNmf(gpu, input, { ...base, maxIter: 100, init: "custom", Z, H });
    const before = await clusterScores(H[1], orl.labels);
    const after = await clusterScores(fine.factors.H[1], orl.labels);
    gain[0] += (after[0] - before[0]) / 2;
    gain[1] += (after[1] - before[1]) / 2;
    ok(fine.loss.at(-1)! < 0.7 * fine.loss[0], `cost ${fine.loss[0]} -> ${fine.loss.at(-1)}`);
  }
  ok(gain[0] >= 0.02 && gain[1] >= 0.02, `mean gains: ACC ${gain[0]}, NMI ${gain[1]}`);
});

Deno.test("openDeepSemiNmfFit: Deep Semi-NMF and Deep WSF resume bit for bit from a snapshot", async () => {
  const gpu = await testGpu();
  const [d, n] = [27, 38];
  const input = { data: mixedData(d, n, 5, 13), d, n };
  const { graph } = randomGraph(n, 3, 0, 14);
  for (const extra of [{}, { graphs: [graph, null, graph], lambdas: [0.1, 0, 0.2] }]) {
    await checkResume(
      (from) =>
        openDeepSemiNmfFit(gpu, input, {
          layers: [9, 6, 3],
          pretrainMaxIter: 10,
          maxIter: 30,
          tol: 0,
          ...extra,
          from,
        }),
      30,
    );
  }
});

Deno.test("openDeepSemiNmfFit with Adam: every activation resumes bit for bit, moments included", async () => {
  const gpu = await testGpu();
  const [d, n] = [27, 38];
  const input = { data: mixedData(d, n, 5, 13), d, n };
  const { graph } = randomGraph(n, 3, 0, 14);
  const cases: Partial<DeepSemiNmfOptions>[] = [
    { activation: "relu" },
    { activation: "sigmoid", nonnegative: "project" },
    { activation: "tanh", graphs: [graph, null, graph], lambdas: [0.1, 0, 0.2] },
    { activation: "softplus" },
    { activation: "linear", nonnegative: "project" },
  ];
  for (const extra of cases) {
    await checkResume(
      (from) =>
        openDeepSemiNmfFit(gpu, input, {
          layers: [9, 6, 3],
          pretrainMaxIter: 10,
          pretrainInit: "svd",
          optimizer: "adam",
          maxIter: 30,
          tol: 0,
          ...extra,
          from,
        }),
      30,
    );
  }
});

// Measured (llvmpipe): relative error 2.8e-1 after k-means pretraining, 2.6e-2 after 500 steps,
// 8.1e-4 after 3500, 3.0e-4 after 5000, 9.6e-7 after 8000 (Adam is not monotone: 9.2e-4 at 6500).
// With lr 1e-2 it stalled at 1.6e-1 and from the SVD pretraining at 2.5e-2 (dead relu units).
Deno.test("Deep Semi-NMF with Adam recovers a planted two-layer relu model from its product", async () => {
  const gpu = await testGpu();
  const [d, n, k1, k2] = [20, 40, 6, 3];
  const x = plantedRelu(d, n, k1, k2);
  const r = await deepSemiNmf(gpu, { data: x, d, n }, {
    layers: [k1, k2],
    normalize: false,
    pretrainMaxIter: 100,
    optimizer: "adam",
    activation: "relu",
    lr: 3e-3,
    maxIter: 5000,
    tol: 0,
    checkEvery: 500,
  });
  const xNorm = Math.hypot(...x);
  const rel = r.loss.at(-1)! / xNorm;
  ok(rel < 1e-3, `relative reconstruction error ${rel}`);
  ok(r.factors.H.every((h) => h.data.every((v) => v >= 0)), "every code is >= 0");
});

Deno.test("Deep Semi-NMF: onStage hears each pretraining layer start, go and end; factors unchanged", async () => {
  const gpu = await testGpu();
  const x = { data: randomArray(seededRandom(4), 40 * 30, -1, 1), d: 40, n: 30 };
  const heard: StageProgress[] = [];
  const options = { layers: [6, 3], pretrainMaxIter: 30, maxIter: 10, tol: 0 };
  const a = await deepSemiNmf(gpu, x, { ...options, onStage: (p) => heard.push(p) });
  const b = await deepSemiNmf(gpu, x, options);
  deepEqual(
    heard.map((p) => [p.stage, p.done, p.summary !== undefined]),
    [1, 2].flatMap((l) => [
      [`pretraining layer ${l}/2`, 0, false],
      [`pretraining layer ${l}/2`, 10, false],
      [`pretraining layer ${l}/2`, 20, false],
      [`pretraining layer ${l}/2`, 30, true],
    ]),
  );
  ok(heard.every((p) => p.total === 30 && p.unit === "iteration"));
  deepEqual([...a.factors.H[1].data], [...b.factors.H[1].data]);
});

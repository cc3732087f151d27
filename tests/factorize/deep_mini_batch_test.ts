import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { deepSemiNmf, openDeepSemiNmfFit } from "../../factorize/deep_semi_nmf.ts";
import type { DeepSemiNmfOptions } from "../../factorize/deep_semi_nmf_options.ts";
import type { HostMatrix } from "../../factorize/factorization_result.ts";
import { OptionError } from "../../factorize/option_schema.ts";
import { sampleBatches } from "../../factorize/sample_batches.ts";
import { randomArray, seededNormal, seededRandom } from "../../factorize/seeded_random.ts";
import { assertClose, testGpu } from "../_reference.ts";
import { plantedRelu } from "./_planted_relu.ts";
import { randomGraph } from "../gpu/_random_graph.ts";
import { checkResume } from "./_resume_check.ts";

const [d, n, ks, b] = [13, 23, [5, 3], 7];

/** Columns `cols` of a k x n matrix. */
function columns(m: HostMatrix, cols: ArrayLike<number>): HostMatrix {
  const out = new Float32Array(m.rows * cols.length);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < cols.length; j++) out[i * cols.length + j] = m.data[i * m.cols + cols[j]];
  }
  return { rows: m.rows, cols: cols.length, data: out };
}

/** Seeded starting factors: Z's of both signs, H's >= 0. */
function start(seed: number, samples: number) {
  const rand = seededRandom(seed);
  const normal = seededNormal(rand);
  const sizes = [d, ...ks];
  return {
    Z: ks.map((k, i) => ({
      rows: sizes[i],
      cols: k,
      data: Float32Array.from({ length: sizes[i] * k }, normal),
    })),
    H: ks.map((k) => ({ rows: k, cols: samples, data: randomArray(rand, k * samples) })),
  };
}

// One step on a batch of 7 of 23 samples (X streamed in blocks of 4 samples) against one
// full-batch step on just those 7 samples from the same start: the same Z's and the same
// columns of H̃ and its moments, up to f32 rounding of GEMMs of other shapes (1e-5); the
// other samples' columns exactly as they were.
Deno.test("Deep Semi-NMF mini-batch: one step equals a full-batch step on the batch's samples", async () => {
  const gpu = await testGpu();
  const rand = seededRandom(5);
  const rows = randomArray(rand, n * d, -1, 1); // samples as rows, n x d
  const init = start(6, n);
  const batch = sampleBatches(n, b, { seed: 9 })(0);
  const xb = new Float32Array(b * d);
  batch.forEach((s, j) => xb.set(rows.subarray(s * d, (s + 1) * d), j * d));
  for (const nonnegative of ["relu", "project"] as const) {
    const options: DeepSemiNmfOptions = {
      layers: ks,
      normalize: false,
      optimizer: "adam",
      activation: "tanh",
      nonnegative,
      lr: 0.05,
      init: "custom",
      maxIter: 1,
      tol: 0,
      seed: 9,
    };
    const once = async (x: Float32Array, count: number, extra: Partial<DeepSemiNmfOptions>) => {
      const input = { data: x, d, n: count, samplesAsRows: true, maxBlockBytes: 4 * d * 4 };
      const fit = await openDeepSemiNmfFit(gpu, input, { ...options, ...extra });
      await fit.run();
      const snap = await fit.snapshot();
      fit.close();
      return snap.matrices;
    };
    const mini = await once(rows, n, { ...init, batchSize: b });
    const full = await once(xb, b, { Z: init.Z, H: init.H.map((h) => columns(h, batch)) });
    const top = nonnegative === "relu" ? "Hfree" : "H2";
    for (const name of ["Z1", "Z2", "adam1_Z1", "adam2_Z2"]) {
      assertClose(mini[name].data, full[name].data, 1e-5, `${nonnegative}: ${name}`);
    }
    for (const name of [top, `adam1_${top}`, `adam2_${top}`]) {
      assertClose(
        columns(mini[name], batch).data,
        full[name].data,
        1e-5,
        `${nonnegative}: ${name}`,
      );
    }
    const others = Array.from({ length: n }, (_, i) => i).filter((i) => !batch.includes(i));
    deepEqual(columns(mini[top], others).data, columns(init.H[1], others).data, "others' H");
    ok(columns(mini[`adam2_${top}`], others).data.every((v) => v === 0), "other moments stay 0");
  }
});

Deno.test("Deep Semi-NMF mini-batch: resumes bit for bit, X in blocks, the batch order included", async () => {
  const gpu = await testGpu();
  const data = randomArray(seededRandom(8), n * d, -1, 1);
  const input = { data, d, n, samplesAsRows: true, maxBlockBytes: 8 * d * 4 };
  await checkResume(
    (from) =>
      openDeepSemiNmfFit(gpu, input, {
        layers: ks,
        pretrainMaxIter: 5,
        pretrainInit: "svd",
        optimizer: "adam",
        activation: "relu",
        batchSize: b,
        maxIter: 30,
        tol: 0,
        from,
      }),
    30,
  );
});

// A planted two-layer relu model (d 13, n 40, layers [5, 3]). Measured (llvmpipe, lr 1e-2, 600
// steps): batches of 10 take the cost 25.65 -> 6.50 (0.25 of it) in 150 epochs; the full batch
// gets 3.27 in 600 steps (600 epochs) and 5.09 in 200. 0.35 is the bound.
Deno.test("Deep Semi-NMF mini-batch: epochs of batches lower the cost of all samples", async () => {
  const gpu = await testGpu();
  const samples = 40;
  const x = plantedRelu(d, samples, ks[0], ks[1]);
  const r = await deepSemiNmf(gpu, { data: x, d, n: samples }, {
    layers: ks,
    normalize: false,
    pretrainMaxIter: 20,
    optimizer: "adam",
    activation: "relu",
    lr: 1e-2,
    batchSize: 10,
    maxIter: 600,
    tol: 0,
    checkEvery: 100,
  });
  equal(r.nIter, 600);
  ok(r.loss.at(-1)! < 0.35 * r.loss[0], `cost ${r.loss[0]} -> ${r.loss.at(-1)}`);
  ok(r.factors.H.every((h) => h.data.every((v) => v >= 0)), "every code is >= 0");
});

Deno.test("Deep Semi-NMF mini-batch: batchSize without Adam or with graphs names the option", async () => {
  const gpu = await testGpu();
  const input = { data: randomArray(seededRandom(3), d * n), d, n };
  const { graph } = randomGraph(n, 3, 0, 4);
  await rejects(
    deepSemiNmf(gpu, input, { layers: ks, batchSize: 5 }),
    (e: Error) => e instanceof OptionError && /batchSize needs optimizer "adam"/.test(e.message),
  );
  await rejects(
    deepSemiNmf(gpu, input, {
      layers: ks,
      batchSize: 5,
      optimizer: "adam",
      graphs: [graph, null],
      lambdas: [0.1],
    }),
    (e: Error) =>
      e instanceof OptionError && /batchSize cannot be used with graphs/.test(e.message),
  );
});

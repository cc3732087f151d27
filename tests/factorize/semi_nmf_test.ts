import { DataMatrix } from "../../factorize/data_matrix.ts";
import { nndsvdInit } from "../../factorize/init.ts";
import { openSemiNmfFit, semiNmf, semiNmfUpdateH } from "../../factorize/semi_nmf.ts";
import { checkResume } from "./_resume_check.ts";
import { symmetricEigen } from "../../factorize/symmetric_eigen.ts";
import { gemm } from "../../gpu/gemm.ts";
import { GpuCsr } from "../../gpu/gpu_csr.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { randomGraph } from "../gpu/_random_graph.ts";
import { randomArray, seededNormal, seededRandom } from "../../factorize/seeded_random.ts";
import { assertClose, refGemm, testGpu } from "../_reference.ts";
import { mat, refSemi } from "./_nmf_reference.ts";
import { ok, rejects } from "node:assert/strict";

/** X = Z H with Z of both signs, H >= 0. */
function mixedData(d: number, n: number, k: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  const normal = seededNormal(rand);
  const z = Float32Array.from({ length: d * k }, normal);
  const h = randomArray(rand, k * n);
  return Float32Array.from(refGemm(z, h, d, k, n));
}

// Cholesky solve in float64, products in f32, 3 iterations: within 1e-3 of float64.
Deno.test("semi-NMF: 3 iterations match a float64 CPU implementation", async () => {
  const gpu = await testGpu();
  const [d, n, k] = [23, 17, 3];
  const x = mixedData(d, n, k, 1);
  const h0 = randomArray(seededRandom(2), k * n, 0.1, 1);
  const r = await semiNmf(gpu, { data: x, d, n }, {
    rank: k,
    init: "custom",
    H: { rows: k, cols: n, data: h0 },
    maxIter: 3,
    tol: 0,
  });
  let h = mat(k, n, h0);
  let z = mat(d, k, []);
  for (let i = 0; i < 3; i++) [z, h] = refSemi(mat(d, n, x), h);
  assertClose(r.factors.W.data, z.v, 1e-3, "Z");
  assertClose(r.factors.H.data, h.v, 1e-3, "H");
});

Deno.test("semi-NMF beats the best rank-k NMF on data with negative entries", async () => {
  const gpu = await testGpu();
  const [d, n, k] = [40, 30, 4];
  const x = mixedData(d, n, k, 3);
  const semi = await semiNmf(gpu, { data: x, d, n }, { rank: k, maxIter: 100 });
  ok(semi.factors.H.data.every((v) => v >= 0), "H >= 0");
  ok(semi.factors.W.data.some((v) => v < 0), "Z has negative entries");
  // Any W H >= 0 is at least |x| away from every negative x, so the best rank-k NMF has
  // ‖X − WH‖² >= Σ_{x<0} x².
  let negMass = 0;
  for (const v of x) if (v < 0) negMass += v * v;
  const nmfBound = Math.sqrt(negMass);
  ok(semi.loss.at(-1)! < 0.5 * nmfBound, `semi ${semi.loss.at(-1)} vs NMF >= ${nmfBound}`);
  for (let i = 1; i < semi.loss.length; i++) {
    ok(semi.loss[i] <= semi.loss[i - 1] * (1 + 1e-5), `semi-NMF loss rose: ${semi.loss}`);
  }
});

// The authors' NNDSVD(abs(X), k, 0) start: H equals NNDSVD's H of |X| (X has negative
// entries), its zeros stay zero under the multiplicative update, the cost never rises.
Deno.test('semi-NMF init "nndsvd": NNDSVD of |X|, zeros kept, cost falls', async () => {
  const gpu = await testGpu();
  const [d, n, k] = [30, 25, 4];
  const x = mixedData(d, n, k, 5);
  const abs = DataMatrix.upload(gpu, { data: x.map(Math.abs), d, n });
  const ref = (await nndsvdInit(abs, k, { seed: 3 })).h;
  abs.dispose();
  const start = await semiNmf(gpu, { data: x, d, n }, {
    rank: k,
    init: "nndsvd",
    seed: 3,
    maxIter: 0,
  });
  assertClose(start.factors.H.data, ref, 1e-6, "H0");
  ok(ref.some((v) => v === 0), "NNDSVD leaves zeros");
  const r = await semiNmf(gpu, { data: x, d, n }, {
    rank: k,
    init: "nndsvd",
    seed: 3,
    maxIter: 30,
    checkEvery: 1,
    tol: 0,
  });
  ref.forEach((v, i) => ok(v !== 0 || r.factors.H.data[i] === 0, `zero at ${i} filled`));
  for (let i = 1; i < r.loss.length; i++) {
    ok(r.loss[i] <= r.loss[i - 1] * (1 + 1e-5), `loss rose: ${r.loss}`);
  }
});

// The authors' Python appr_seminmf start: H >= 0 whose least-squares Z reproduces the
// rank-(k − 1) truncated SVD. Z is refit to H (rank k, the lift adds a direction), so the
// starting error lies between the rank-k and rank-(k − 1) truncated SVD errors (float64
// eigenvalues of XᵀX; randomized SVD and f32: 0.1% slack).
Deno.test('semi-NMF init "svd": starts within the rank-(k − 1) truncated SVD error', async () => {
  const gpu = await testGpu();
  const [d, n, k] = [40, 30, 6];
  const rand = seededRandom(8);
  const normal = seededNormal(rand);
  const x = mixedData(d, n, k - 1, 7).map((v) => v + 0.05 * normal());
  const r = await semiNmf(gpu, { data: x, d, n }, { rank: k, init: "svd", maxIter: 0 });
  ok(r.factors.H.data.every((v) => v >= 0), "H >= 0");
  const xtx = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      for (let f = 0; f < d; f++) xtx[i * n + j] += x[f * n + i] * x[f * n + j];
    }
  }
  const { values } = symmetricEigen(xtx, n);
  const tail = (r: number) => Math.sqrt(values.slice(r).reduce((a, v) => a + Math.max(v, 0), 0));
  const [lo, hi] = [tail(k), tail(k - 1)];
  ok(r.loss[0] >= lo * 0.999 && r.loss[0] <= hi * 1.001, `start ${r.loss[0]}, SVD ${lo}..${hi}`);
  await rejects(() => semiNmf(gpu, { data: x, d, n }, { rank: 1, init: "svd" }), /rank >= 2/);
});

Deno.test("semi-NMF: bad options", async () => {
  const gpu = await testGpu();
  const x = { data: new Float32Array(12), d: 4, n: 3 };
  await rejects(() => semiNmf(gpu, x, { rank: 0 }), /Option rank/);
  await rejects(() => semiNmf(gpu, x, { rank: 4 }), /Option rank 4 is larger/);
  await rejects(() => semiNmf(gpu, x, { rank: 2, maxIter: 1.5 }), /Option maxIter/);
  await rejects(() => semiNmf(gpu, x, { rank: 2, init: "custom" }), /^OptionError: Option init "c/);
  await rejects(
    () => semiNmf(gpu, x, { rank: 2, lambda: -1 }),
    /Option lambda must be a number >= 0/,
  );
  await rejects(
    () => semiNmf(gpu, x, { rank: 2, ridge: -1 }),
    /Option ridge must be a number >= 0/,
  );
  await rejects(
    () => semiNmf(gpu, x, { rank: 2, bogus: 1 } as never),
    /Unknown semi-NMF option bogus/,
  );
  await rejects(
    () => semiNmf(gpu, x, { rank: 2, init: "pca" as "svd" }),
    /Option init must be one of kmeans, nndsvd, svd/,
  );
});

Deno.test("semiNmfUpdateH with a graph: ‖X − ZH‖² + λ tr(H L Hᵀ) never rises", async () => {
  const gpu = await testGpu();
  const [d, n, k, lambda] = [20, 30, 4, 0.7];
  const rand = seededRandom(9);
  const normal = seededNormal(rand);
  const x = Float32Array.from({ length: d * n }, normal);
  const zv = Float32Array.from({ length: d * k }, normal);
  const { graph, dense } = randomGraph(n, 3, 5, 10);
  const z = GpuMatrix.fromArray(gpu, d, k, zv);
  const xm = GpuMatrix.fromArray(gpu, d, n, x);
  const h = GpuMatrix.fromArray(gpu, k, n, randomArray(rand, k * n, 0.1, 1));
  const gram = GpuMatrix.empty(gpu, k, k);
  const numer = GpuMatrix.empty(gpu, k, n);
  const csr = GpuCsr.fromGraph(gpu, graph);
  gemm(z, z, gram, { transA: true });
  gemm(z, xm, numer, { transA: true });
  const cost = (hv: Float32Array) => {
    const zh = refGemm(zv, hv, d, k, n);
    let c = 0;
    for (let i = 0; i < d * n; i++) c += (x[i] - zh[i]) ** 2;
    for (let r = 0; r < k; r++) {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          c += lambda / 2 * dense[i * n + j] * (hv[r * n + i] - hv[r * n + j]) ** 2;
        }
      }
    }
    return c;
  };
  let prev = cost(await h.toArray());
  for (let it = 0; it < 20; it++) {
    semiNmfUpdateH(h, { gram, numer, graph: csr, lambda });
    const c = cost(await h.toArray());
    ok(c <= prev * (1 + 1e-6), `cost rose at step ${it}: ${prev} -> ${c}`);
    prev = c;
  }
  for (const m of [z, xm, h, gram, numer, csr]) m.dispose();
});

Deno.test("openSemiNmfFit: resumes bit for bit from a snapshot, with and without a graph", async () => {
  const gpu = await testGpu();
  const [d, n, k] = [23, 41, 4];
  const input = { data: mixedData(d, n, k, 11), d, n };
  const { graph } = randomGraph(n, 4, 0, 12);
  for (const extra of [{}, { graph, lambda: 0.5 }]) {
    await checkResume(
      (from) => openSemiNmfFit(gpu, input, { rank: k, maxIter: 30, tol: 0, ...extra, from }),
      30,
    );
  }
});

import { SparseDataMatrix } from "../../factorize/sparse_data_matrix.ts";
import { NmfProblem } from "../../factorize/nmf_problem.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { assertClose, testGpu } from "../_reference.ts";
import { planted } from "./_nmf_reference.ts";
import { sparsified, toCsr } from "./_solver_check.ts";
import { ok, rejects, throws } from "node:assert/strict";

// 41 terms x 29 documents, 70% zeros, term 2 and document 5 empty; k = 4.
const [d, n, k] = [41, 29, 4];
const x = sparsified(planted(d, n, k, 31, 0.05), d, n, 32);
const rand = seededRandom(33);
const w = randomArray(rand, d * k, 0.1, 1);
const h = randomArray(rand, k * n, 0.1, 1);

function product(a: ArrayLike<number>, b: ArrayLike<number>, r: number, m: number, c: number) {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    for (let t = 0; t < m; t++) {
      for (let j = 0; j < c; j++) out[i * c + j] += a[i * m + t] * b[t * c + j];
    }
  }
  return out;
}

const transpose = (a: ArrayLike<number>, r: number, c: number) =>
  Float64Array.from({ length: r * c }, (_, i) => a[(i % r) * c + Math.floor(i / r)]);

// Sums of at most 41 products of values below ~3: f32 within 1e-5 of the largest entry.
Deno.test("SparseDataMatrix: X Hᵀ, Wᵀ X, Σ X and ‖X‖² against float64 dense", async () => {
  const gpu = await testGpu();
  const sx = SparseDataMatrix.upload(gpu, toCsr(x, d, n));
  ok(sx.d === d && sx.n === n && sx.nnz === x.filter((v) => v !== 0).length);
  const gw = GpuMatrix.fromArray(gpu, d, k, w);
  const gh = GpuMatrix.fromArray(gpu, k, n, h);
  const xht = GpuMatrix.fromArray(gpu, d, k, new Float32Array(d * k).fill(1));
  sx.timesHt(gh, xht, 2, 0.5);
  const want = product(x, transpose(h, k, n), d, n, k);
  assertClose(await xht.toArray(), want.map((v) => 2 * v + 0.5), 1e-5, "2 X Hᵀ + 0.5");
  const wtx = GpuMatrix.empty(gpu, k, n);
  sx.wtTimes(gw, wtx);
  assertClose(await wtx.toArray(), product(transpose(w, d, k), x, k, d, n), 1e-5, "Wᵀ X");
  let [sum, sq] = [0, 0];
  for (const v of x) [sum, sq] = [sum + v, sq + v * v];
  ok(Math.abs((await sx.sum()) - sum) < 1e-9 * sum, "Σ X");
  ok(Math.abs((await sx.sumSquares()) - sq) < 1e-9 * sq, "‖X‖²");
  for (const m of [gw, gh, xht, wtx]) m.dispose();
  sx.dispose();
});

// The Frobenius error by the trace identity: absolute error ~1e-6 ‖X‖²; KL from W H at
// X's entries plus Σ W H: relative 1e-5.
Deno.test("NmfProblem on sparse X: Frobenius and KL errors equal the dense float64 definitions", async () => {
  const gpu = await testGpu();
  const problem = await NmfProblem.create(gpu, toCsr(x, d, n));
  const gw = GpuMatrix.fromArray(gpu, d, k, w);
  const gh = GpuMatrix.fromArray(gpu, k, n, h);
  const wh = product(w, h, d, k, n);
  let [fro, kl, xx] = [0, 0, 0];
  x.forEach((v, i) => {
    fro += (v - wh[i]) ** 2;
    kl += (v > 0 ? v * Math.log(v / wh[i]) : 0) - v + wh[i];
    xx += v * v;
  });
  const gotFro = await problem.error(gw, gh, "frobenius");
  ok(Math.abs(gotFro ** 2 - fro) < 1e-6 * xx + 1e-5 * fro, `Frobenius² ${gotFro ** 2} vs ${fro}`);
  const gotKl = await problem.error(gw, gh, "kullback-leibler");
  const wantKl = Math.sqrt(2 * kl);
  ok(Math.abs(gotKl - wantKl) < 1e-5 * wantKl, `KL error ${gotKl} vs ${wantKl}`);
  throws(() => problem.wh(), /needs a dense X and the data is sparse/);
  gw.dispose();
  gh.dispose();
  problem.dispose();
  await rejects(
    NmfProblem.create(gpu, toCsr(x, d, n), new Uint8Array(d * n)),
    /Option mask is not supported for sparse data/,
  );
  const empty = {
    d,
    n,
    indptr: new Uint32Array(n + 1),
    indices: new Uint32Array(),
    values: new Float32Array(),
  };
  throws(() => SparseDataMatrix.upload(gpu, empty), /no non-zero entries/);
});

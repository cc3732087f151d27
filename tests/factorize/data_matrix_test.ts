import { DataMatrix } from "../../factorize/data_matrix.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { assertClose, refGemm, testGpu } from "../_reference.ts";
import { equal, ok, throws } from "node:assert/strict";

// f32 GEMMs over inner sizes <= 30 of values in [0, 1], compared with float64: 1e-5 of the
// largest |expected|; sums over 600 values: 1e-5 relative.
const TOL = 1e-5;

/** Xᵀ (n x d samples as rows) as the d x n X. */
function _x(xt: ArrayLike<number>, n: number, d: number): Float64Array {
  const x = new Float64Array(d * n);
  for (let s = 0; s < n; s++) for (let f = 0; f < d; f++) x[f * n + s] = xt[s * d + f];
  return x;
}

async function _checkProducts(dm: DataMatrix, xt: ArrayLike<number>, label: string) {
  const gpu = await testGpu();
  const { d, n } = dm;
  const k = 5;
  const rand = seededRandom(d + n);
  const x = _x(xt, n, d);
  const w = randomArray(rand, d * k);
  const h = randomArray(rand, k * n);
  const c0 = randomArray(rand, d * k);
  const [gw, gh] = [GpuMatrix.fromArray(gpu, d, k, w), GpuMatrix.fromArray(gpu, k, n, h)];
  const xht = GpuMatrix.fromArray(gpu, d, k, c0);
  const wtx = GpuMatrix.empty(gpu, k, n);
  dm.timesHt(gh, xht, 2, 0.5);
  dm.wtTimes(gw, wtx);
  const wantXht = refGemm(x, h, d, n, k, false, true).map((v, i) => 2 * v + 0.5 * c0[i]);
  assertClose(await xht.toArray(), wantXht, TOL, `${label}: 2 X Hᵀ + 0.5 C`);
  assertClose(await wtx.toArray(), refGemm(w, x, k, d, n, true), TOL, `${label}: Wᵀ X`);
  const wh = refGemm(w, h, d, k, n);
  let ss = 0, sum = 0, res = 0;
  for (let i = 0; i < x.length; i++) {
    ss += x[i] * x[i];
    sum += x[i];
    res += (x[i] - wh[i]) ** 2;
  }
  assertClose([await dm.sumSquares(), await dm.sum()], [ss, sum], TOL, `${label}: ‖X‖², ΣX`);
  assertClose([await dm.squaredResidual(gw, gh)], [res], 1e-4, `${label}: ‖X − WH‖²`);
  const prod = dm.like();
  prod.setProduct(gw, gh);
  const parts = await Promise.all(prod.blocks.map((b) => b.toArray()));
  const got = new Float32Array(n * d);
  parts.forEach((p, i) => got.set(p, prod.blockStarts[i] * d));
  assertClose(_x(got, n, d), wh, TOL, `${label}: W H into blocks`);
  for (const m of [gw, gh, xht, wtx, prod]) m.dispose();
}

Deno.test("DataMatrix: X over maxBlockBytes is split into blocks of samples (ragged last)", async () => {
  const gpu = await testGpu();
  const [d, n] = [20, 30];
  const xt = randomArray(seededRandom(1), n * d);
  // 12 samples of 20 f32 fit 960 bytes; 1000 bytes would allow 12.5 samples.
  const dm = DataMatrix.upload(gpu, { data: xt, d, n, samplesAsRows: true, maxBlockBytes: 1000 });
  equal(dm.blocks.length, 3);
  equal(dm.blockStarts.join(), "0,12,24,30");
  equal(dm.d, d);
  equal(dm.n, n);
  throws(() => dm.stored, /held as 3 blocks of samples/);
  await _checkProducts(dm, xt, "f32 blocks");
  dm.dispose();
  const whole = DataMatrix.upload(gpu, { data: xt, d, n, samplesAsRows: true });
  ok(!whole.isBlocked);
  await _checkProducts(whole, xt, "one block");
  whole.dispose();
  throws(
    () => DataMatrix.upload(gpu, { data: xt, d, n, maxBlockBytes: 1000 }),
    /pass it as samples x features \(samplesAsRows: true\)/,
  );
  throws(
    () => DataMatrix.upload(gpu, { data: xt, d, n, samplesAsRows: true, maxBlockBytes: 40 }),
    /maxBlockBytes 40 is smaller than one sample/,
  );
});

Deno.test("DataMatrix.uploadBlocks: u8 blocks (e.g. dataset shards) are unpacked to / 255", async () => {
  const gpu = await testGpu();
  const d = 16;
  const rand = seededRandom(2);
  const sizes = [7, 9, 3];
  const blocks = sizes.map((r) =>
    Uint8Array.from({ length: r * d }, () => Math.floor(rand() * 256))
  );
  const dm = DataMatrix.uploadBlocks(gpu, blocks, { d });
  equal(dm.n, 19);
  const xt = new Float64Array(19 * d);
  let at = 0;
  for (const b of blocks) for (const v of b) xt[at++] = v / 255;
  await _checkProducts(dm, xt, "u8 blocks");
  dm.dispose();
  throws(() => DataMatrix.uploadBlocks(gpu, [new Uint8Array(15)], { d }), /block 0 has 15 values/);
});

import { sddmm } from "../../gpu/sddmm.ts";
import { GpuCsr } from "../../gpu/gpu_csr.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { testGpu } from "../_reference.ts";
import { ok, throws } from "node:assert/strict";

// Sums of k <= 13 products of values in [0, 1]: f32 error well under 1e-5 (relative).
const TOL = 1e-5;

Deno.test("sddmm: W H at the stored entries against float64, both orientations, empty rows", async () => {
  const gpu = await testGpu();
  const rand = seededRandom(3);
  const [d, n, k] = [53, 37, 13];
  const w = randomArray(rand, d * k, 0, 1);
  const h = randomArray(rand, k * n, 0, 1);
  const gw = GpuMatrix.fromArray(gpu, d, k, w);
  const gh = GpuMatrix.fromArray(gpu, k, n, h);
  const wh = (t: number, j: number) => {
    let s = 0;
    for (let r = 0; r < k; r++) s += w[t * k + r] * h[r * n + j];
    return s;
  };
  for (const rowsAreSamples of [true, false]) {
    const [rows, cols] = rowsAreSamples ? [n, d] : [d, n];
    // ~15% entries, row 4 empty, row 0 full (several segments of 8).
    const indptr = [0], indices: number[] = [];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) if (r !== 4 && (r === 0 || rand() < 0.15)) indices.push(c);
      indptr.push(indices.length);
    }
    const a = GpuCsr.fromMatrix(gpu, {
      rows,
      cols,
      indptr: Uint32Array.from(indptr),
      indices: Uint32Array.from(indices),
      values: new Float32Array(indices.length).fill(1),
    }, { segment: 8 });
    const out = GpuMatrix.empty(gpu, indices.length, 1);
    sddmm(gw, gh, a, out, { rowsAreSamples });
    const got = await out.toArray();
    let worst = 0;
    for (let r = 0; r < rows; r++) {
      for (let e = indptr[r]; e < indptr[r + 1]; e++) {
        const want = rowsAreSamples ? wh(indices[e], r) : wh(r, indices[e]);
        worst = Math.max(worst, Math.abs(got[e] - want) / want);
      }
    }
    ok(worst < TOL, `rowsAreSamples=${rowsAreSamples}: max relative error ${worst}`);
    throws(() => sddmm(gh, gw, a, out, { rowsAreSamples }), /Cannot sample W H: W is 13x37/);
    throws(
      () => sddmm(gw, gh, a, GpuMatrix.empty(gpu, 2, 1), { rowsAreSamples }),
      /output holds 2/,
    );
    out.dispose();
    a.dispose();
  }
  gw.dispose();
  gh.dispose();
});

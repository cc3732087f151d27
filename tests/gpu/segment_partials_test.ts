import { segmentPartials } from "../../gpu/segment_partials.ts";
import { GpuCsr } from "../../gpu/gpu_csr.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { testGpu } from "../_reference.ts";
import { ok, throws } from "node:assert/strict";

Deno.test("segmentPartials: each segment's sum of w · H[r, c] against float64, H either way round", async () => {
  const gpu = await testGpu();
  const rand = seededRandom(5);
  // A: 3 x 50, row 0 has 50 entries (4 segments of 16), row 1 none, row 2 three.
  const indptr = new Uint32Array([0, 50, 50, 53]);
  const indices = Uint32Array.from([...Array(50).keys(), 3, 17, 49]);
  const values = randomArray(rand, 53, -1, 1);
  const a = GpuCsr.fromMatrix(gpu, { rows: 3, cols: 50, indptr, indices, values }, { segment: 16 });
  const k = 3;
  const h = randomArray(rand, k * 50, 0, 1);
  const ht = new Float32Array(50 * k).map((_, i) => h[(i % k) * 50 + Math.floor(i / k)]);
  const segs = [[0, 16], [16, 32], [32, 48], [48, 50], [50, 53]];
  ok(a.segments === segs.length, `segments ${a.segments}`);
  for (const transH of [false, true]) {
    const gh = transH ? GpuMatrix.fromArray(gpu, 50, k, ht) : GpuMatrix.fromArray(gpu, k, 50, h);
    const partial = segmentPartials(gh, a, "product", { transH });
    const got = new Float32Array(await gpu.read(partial, k * segs.length * 4));
    gpu.pool.release(partial);
    for (let r = 0; r < k; r++) {
      segs.forEach(([start, end], s) => {
        let want = 0;
        for (let e = start; e < end; e++) want += values[e] * h[r * 50 + indices[e]];
        const g = got[r * segs.length + s];
        ok(Math.abs(g - want) < 1e-5, `transH=${transH} r=${r} segment ${s}: ${g} vs ${want}`);
      });
    }
    gh.dispose();
  }
  throws(
    () => segmentPartials(GpuMatrix.empty(gpu, k, 50), a, "trace"),
    /needs a square graph, not 3x50/,
  );
  a.dispose();
});

import { scaleColumns, spmm } from "../../gpu/spmm.ts";
import { GpuCsr } from "../../gpu/gpu_csr.ts";
import { randomGraph } from "./_random_graph.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { assertClose, testGpu } from "../_reference.ts";
import { throws } from "node:assert/strict";

// Sums of at most a few thousand products of values in [0, 1.1]: f32 relative error
// well under 1e-5; 1e-5 relative to the largest entry.
const TOL = 1e-5;

async function check(n: number, k: number, perRow: number, hub: number, segment?: number) {
  const gpu = await testGpu();
  const { graph, dense } = randomGraph(n, perRow, hub, n + k + hub);
  const rand = seededRandom(n * 3 + k);
  const h = randomArray(rand, k * n, 0, 1);
  const old = randomArray(rand, k * n, -1, 1);
  const s = GpuCsr.fromGraph(gpu, graph, { segment });
  const gh = GpuMatrix.fromArray(gpu, k, n, h);
  const out = GpuMatrix.fromArray(gpu, k, n, old);
  const label = `n=${n} k=${k} hub=${hub} segment=${segment ?? "default"}`;
  // H S, and alpha/beta
  const hs = new Float64Array(k * n);
  for (let r = 0; r < k; r++) {
    for (let i = 0; i < n; i++) {
      const v = h[r * n + i];
      for (let j = 0; j < n; j++) hs[r * n + j] += v * dense[i * n + j];
    }
  }
  spmm(gh, s, out, { alpha: 2, beta: 0.5 });
  assertClose(await out.toArray(), hs.map((v, i) => 2 * v + 0.5 * old[i]), TOL, `${label} 2HS+.5O`);
  spmm(gh, s, out);
  assertClose(await out.toArray(), hs, TOL, `${label} H S`);
  // H D
  const hd = h.map((v, i) => v * graph.degrees[i % n]);
  scaleColumns(gh, s, out);
  assertClose(await out.toArray(), hd, TOL, `${label} H D`);
  out.write(old);
  scaleColumns(gh, s, out, { alpha: -1, beta: 1 });
  assertClose(await out.toArray(), hd.map((v, i) => old[i] - v), TOL, `${label} O - H D`);
  gh.dispose();
  out.dispose();
  s.dispose();
}

Deno.test("spmm and scaleColumns: equal dense float64 references", async () => {
  await check(1, 1, 0, 0);
  await check(7, 3, 2, 0);
  await check(300, 5, 4, 0);
  await check(301, 2, 3, 150, 7); // many rows split across segments
  await check(130, 65, 5, 130, 16);
});

Deno.test("spmm: a row longer than one default segment (4096 entries)", async () => {
  await check(4500, 2, 1, 4500);
});

Deno.test("spmm and scaleColumns: mismatched shapes are RangeErrors", async () => {
  const gpu = await testGpu();
  const { graph } = randomGraph(10, 2, 0, 1);
  const s = GpuCsr.fromGraph(gpu, graph);
  const h = GpuMatrix.empty(gpu, 2, 11);
  const o = GpuMatrix.empty(gpu, 2, 10);
  throws(() => spmm(h, s, h), /H is 2x11 but the graph has n = 10/);
  throws(() => scaleColumns(o, s, h), /output is 2x11, expected 2x10/);
  throws(() => spmm(o, s, o), /different matrix/);
  h.dispose();
  o.dispose();
  s.dispose();
});

import { scaleColumns, spmm } from "../../gpu/spmm.ts";
import { CSR_SEGMENT, GpuCsr } from "../../gpu/gpu_csr.ts";
import { graphTrace } from "../../gpu/graph_trace.ts";
import { randomGraph } from "./_random_graph.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { assertClose, testGpu } from "../_reference.ts";
import { ok, rejects, throws } from "node:assert/strict";

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

Deno.test("spmm with a rectangular sparse matrix: out = H Aᵀ against float64, long rows segmented", async () => {
  const gpu = await testGpu();
  const rand = seededRandom(11);
  // A: 37 x 301 with ~5% entries, one empty row, and row 5 dense (longer than the segment).
  const [rows, cols, k] = [37, 301, 5];
  const dense = Array.from(
    { length: rows },
    (_, r) =>
      Array.from(
        { length: cols },
        () => r === 9 ? 0 : r === 5 || rand() < 0.05 ? rand() * 2 - 0.5 : 0,
      ),
  );
  const indptr = [0], indices: number[] = [], values: number[] = [];
  for (const row of dense) {
    row.forEach((v, c) => {
      if (v === 0) return;
      indices.push(c);
      values.push(v);
    });
    indptr.push(indices.length);
  }
  const h = Array.from({ length: k * cols }, () => rand());
  for (const segment of [undefined, 64, CSR_SEGMENT]) {
    const a = GpuCsr.fromMatrix(gpu, {
      rows,
      cols,
      indptr: Uint32Array.from(indptr),
      indices: Uint32Array.from(indices),
      values: Float32Array.from(values),
    }, { segment });
    const gh = GpuMatrix.fromArray(gpu, k, cols, Float32Array.from(h));
    const out = GpuMatrix.fromArray(gpu, k, rows, new Float32Array(k * rows).fill(1));
    spmm(gh, a, out, { alpha: 2, beta: 0.5 });
    const got = await out.toArray();
    let worst = 0;
    for (let r = 0; r < k; r++) {
      for (let j = 0; j < rows; j++) {
        let want = 0;
        for (let c = 0; c < cols; c++) want += h[r * cols + c] * dense[j][c];
        worst = Math.max(worst, Math.abs(got[r * rows + j] - (2 * want + 0.5)));
      }
    }
    ok(worst < 1e-4, `segment ${segment}: max error ${worst}`);
    // The layouts a corpus needs: H read as its transpose (Wᵀ X from W, m x k), out written
    // as its transpose (X Hᵀ, n x k), and other values on A's structure (X / WH for KL).
    const other = values.map(() => rand());
    const gv = GpuMatrix.fromArray(gpu, values.length, 1, Float32Array.from(other));
    const ht = Array.from({ length: cols * k }, (_, i) => h[(i % k) * cols + Math.floor(i / k)]);
    const ght = GpuMatrix.fromArray(gpu, cols, k, Float32Array.from(ht));
    const outT = GpuMatrix.empty(gpu, rows, k);
    for (
      const [transH, transOut, useValues] of [[true, false, false], [false, true, true], [
        true,
        true,
        false,
      ]]
    ) {
      const o = transOut ? outT : out;
      spmm(transH ? ght : gh, a, o, { transH, transOut, values: useValues ? gv : undefined });
      const g = await o.toArray();
      let err = 0;
      for (let r = 0; r < k; r++) {
        for (let j = 0; j < rows; j++) {
          let want = 0;
          for (let e = indptr[j]; e < indptr[j + 1]; e++) {
            want += h[r * cols + indices[e]] * (useValues ? other[e] : values[e]);
          }
          err = Math.max(err, Math.abs(g[transOut ? j * k + r : r * rows + j] - want));
        }
      }
      ok(err < 1e-4, `segment ${segment} transH=${transH} transOut=${transOut}: max error ${err}`);
    }
    throws(
      () => spmm(gh, a, outT, { transOut: true, transH: true }),
      /H is 5x301 but the sparse matrix has 301 columns/,
    );
    throws(() => spmm(gh, a, out, { values: GpuMatrix.empty(gpu, 3, 1) }), /values hold 3 entries/);
    ght.dispose();
    outT.dispose();
    gv.dispose();
    throws(() => spmm(gh, a, GpuMatrix.empty(gpu, k, cols)), /output is 5x301, expected 5x37/);
    throws(
      () => spmm(GpuMatrix.empty(gpu, k, rows), a, out),
      /H is 5x37 but the sparse matrix has 301 columns/,
    );
    await rejects(graphTrace(gh, a), /needs a square graph, not 37x301/);
    a.dispose();
  }
  throws(
    () =>
      GpuCsr.fromMatrix(gpu, {
        rows: 1,
        cols: 2,
        indptr: new Uint32Array([0, 1]),
        indices: new Uint32Array([2]),
        values: new Float32Array([1]),
      }),
    /entry 0 has column 2, not below 2/,
  );
});

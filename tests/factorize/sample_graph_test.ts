import { knnGraph } from "../../factorize/knn_graph.ts";
import { attributeGraphs, sampleGraph } from "../../factorize/sample_graph.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { assertClose, testGpu } from "../_reference.ts";
import { deepEqual, equal, ok, rejects } from "node:assert/strict";

Deno.test("sampleGraph: same graph from X (d x n) as knnGraph on the samples as rows", async () => {
  const gpu = await testGpu();
  const [d, n] = [7, 33];
  const rows = randomArray(seededRandom(1), n * d);
  const cols = new Float32Array(d * n);
  for (let s = 0; s < n; s++) for (let f = 0; f < d; f++) cols[f * n + s] = rows[s * d + f];
  const want = await knnGraph(gpu, rows, { dim: d, k: 3 });
  const got = await sampleGraph(gpu, { data: cols, d, n }, { k: 3 });
  deepEqual(got.rowOffsets, want.rowOffsets);
  deepEqual(got.cols, want.cols);
});

Deno.test("attributeGraphs: one graph per labelled layer, edges only within a label", async () => {
  const gpu = await testGpu();
  const [d, n] = [5, 30];
  const x = { data: randomArray(seededRandom(2), d * n), d, n };
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  const [g0, g1] = await attributeGraphs(gpu, x, { labels: [labels, null], k: 2 });
  equal(g1, null);
  if (!g0) throw new Error("layer 0 has labels but no graph");
  ok(g0.cols.length > 0);
  for (let i = 0; i < n; i++) {
    for (let e: number = g0.rowOffsets[i]; e < g0.rowOffsets[i + 1]; e++) {
      equal(labels[g0.cols[e]], labels[i], `edge ${i}-${g0.cols[e]} crosses labels`);
    }
  }
  await rejects(() => attributeGraphs(gpu, x, { labels: [new Int32Array(3)] }), /labels\[0\]/);
});

Deno.test("attributeGraphs reduce: one projection, the graphs knnGraph builds with reduce", async () => {
  const gpu = await testGpu();
  const [d, n] = [12, 40];
  const x = { data: randomArray(seededRandom(4), d * n), d, n, samplesAsRows: true };
  const a = Int32Array.from({ length: n }, (_, i) => i % 2);
  const b = Int32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 1 : 0));
  const o = { k: 3, reduce: 4, weight: "heat" as const, normalize: false };
  const graphs = await attributeGraphs(gpu, x, { ...o, labels: [a, b] });
  for (const [i, labels] of [a, b].entries()) {
    const want = await knnGraph(gpu, x.data, { ...o, labels, dim: d });
    const got = graphs[i]!;
    deepEqual([...got.rowOffsets], [...want.rowOffsets], `layer ${i} rows`);
    deepEqual([...got.cols], [...want.cols], `layer ${i} columns`);
    assertClose(got.weights, want.weights, 1e-6, `layer ${i} weights`);
  }
});

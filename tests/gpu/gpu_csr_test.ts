import { CSR_SEGMENT, GpuCsr } from "../../gpu/gpu_csr.ts";
import { testGpu } from "../_reference.ts";
import { randomGraph } from "./_random_graph.ts";
import { deepEqual, equal, ok, throws } from "node:assert/strict";

Deno.test("GpuCsr: segments tile every row in pieces of at most `segment` entries", async () => {
  const gpu = await testGpu();
  const { graph } = randomGraph(120, 3, 100, 9);
  for (const segment of [1, 7, CSR_SEGMENT]) {
    const s = GpuCsr.fromGraph(gpu, graph, { segment });
    const start = new Uint32Array(await gpu.read(s.segStart, (s.segments + 1) * 4));
    const row = new Uint32Array(await gpu.read(s.segRow, s.segments * 4));
    const rowSeg = new Uint32Array(await gpu.read(s.rowSeg, (graph.n + 1) * 4));
    equal(s.nnz, graph.cols.length);
    equal(start[0], 0);
    equal(start[s.segments], s.nnz);
    for (let j = 0; j < graph.n; j++) {
      const len = graph.rowOffsets[j + 1] - graph.rowOffsets[j];
      equal(rowSeg[j + 1] - rowSeg[j], Math.ceil(len / segment), `row ${j} segment count`);
      for (let q = rowSeg[j]; q < rowSeg[j + 1]; q++) {
        equal(row[q], j);
        ok(start[q + 1] - start[q] <= segment && start[q + 1] > start[q]);
      }
    }
    deepEqual(
      new Float32Array(await gpu.read(s.degrees, graph.n * 4)),
      graph.degrees,
      "degrees uploaded",
    );
    s.dispose();
    s.dispose(); // safe twice
  }
});

Deno.test("GpuCsr: inconsistent arrays and bad options are RangeErrors", async () => {
  const gpu = await testGpu();
  const { graph } = randomGraph(10, 2, 0, 1);
  throws(() => GpuCsr.fromGraph(gpu, { ...graph, degrees: new Float32Array(3) }), /disagree/);
  throws(() => GpuCsr.fromGraph(gpu, graph, { segment: 0 }), /option segment is 0/);
  throws(() => GpuCsr.fromGraph(gpu, graph, { segment: CSR_SEGMENT + 1 }), /option segment/);
});

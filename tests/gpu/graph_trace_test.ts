import { graphTrace } from "../../gpu/graph_trace.ts";
import { GpuCsr } from "../../gpu/gpu_csr.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { testGpu } from "../_reference.ts";
import { randomGraph } from "./_random_graph.ts";
import { equal, ok } from "node:assert/strict";

Deno.test("graphTrace: equals ½ Σ W_ij ‖h_i − h_j‖² and tr(H (D − W) Hᵀ) in float64", async () => {
  const gpu = await testGpu();
  for (const [n, k, hub, segment] of [[1, 1, 0, 0], [200, 7, 0, 0], [301, 3, 200, 9]]) {
    const { graph, dense } = randomGraph(n, 3, hub, n + 1);
    const h = randomArray(seededRandom(n), k * n, 0, 1);
    let pairs = 0;
    let laplacian = 0;
    for (let r = 0; r < k; r++) {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const w = dense[i * n + j];
          laplacian += w * h[r * n + i] ** 2;
          pairs += w * (h[r * n + i] - h[r * n + j]) ** 2 / 2;
          laplacian -= w * h[r * n + i] * h[r * n + j];
        }
      }
    }
    const s = GpuCsr.fromGraph(gpu, graph, segment ? { segment } : {});
    const gh = GpuMatrix.fromArray(gpu, k, n, h);
    const got = await graphTrace(gh, s);
    const label = `n=${n} k=${k}`;
    if (n === 1) equal(got, 0, label);
    // f32 sums of a few thousand non-negative terms: 1e-5 relative
    ok(Math.abs(got - pairs) <= 1e-5 * pairs, `${label}: ${got} vs ${pairs}`);
    ok(Math.abs(laplacian - pairs) <= 1e-9 * pairs, `${label}: reference forms disagree`);
    gh.dispose();
    s.dispose();
  }
});

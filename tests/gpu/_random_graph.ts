// A random sparse symmetric graph for the graph-kernel tests.

import type { CsrGraph } from "../../gpu/gpu_csr.ts";
import { seededRandom } from "../../factorize/seeded_random.ts";

/**
 * A random symmetric graph on n samples: about `perRow` random edges per sample plus
 * sample 0 joined to the first `hub` samples (a row longer than one segment), as CSR
 * and as a dense float64 matrix for the reference.
 */
export function randomGraph(
  n: number,
  perRow: number,
  hub: number,
  seed: number,
): { graph: CsrGraph; dense: Float64Array } {
  const rand = seededRandom(seed);
  const dense = new Float64Array(n * n);
  const put = (i: number, j: number, w: number) => {
    if (i === j) return;
    dense[i * n + j] = w;
    dense[j * n + i] = w;
  };
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < perRow; t++) put(i, Math.floor(rand() * n), 0.1 + rand());
  }
  for (let j = 1; j < Math.min(hub, n); j++) put(0, j, 0.1 + rand());
  const rowOffsets = new Uint32Array(n + 1);
  const cols: number[] = [];
  const weights: number[] = [];
  const degrees = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let deg = 0;
    for (let j = 0; j < n; j++) {
      const w = dense[i * n + j];
      if (w === 0) continue;
      cols.push(j);
      weights.push(w);
      deg += Math.fround(w);
    }
    rowOffsets[i + 1] = cols.length;
    degrees[i] = deg;
  }
  // the reference uses the f32-rounded weights the GPU sees
  const graph = {
    n,
    rowOffsets,
    cols: Uint32Array.from(cols),
    weights: Float32Array.from(weights),
    degrees,
  };
  for (let i = 0; i < n * n; i++) dense[i] = Math.fround(dense[i]);
  return { graph, dense };
}

/**
 * The up-front check of a sample-graph option (GNMF's graph, a Deep WSF layer's).
 *
 * @module
 */

import { OptionError } from "./option_schema.ts";
import type { CsrGraph } from "../gpu/gpu_csr.ts";

/**
 * Returns `graph` when it is null or a CsrGraph over `n` samples; throws a
 * TypeError (not a graph) or RangeError (another n) naming option `name`.
 *
 * @example
 * ```ts
 * import { checkGraph } from "./check_graph.ts";
 * const g = {
 *   n: 2,
 *   rowOffsets: new Uint32Array([0, 1, 2]),
 *   cols: new Uint32Array([1, 0]),
 *   weights: new Float32Array([1, 1]),
 *   degrees: new Float32Array([1, 1]),
 * };
 * console.log(checkGraph("graph", g, 2) === g); // true
 * ```
 */
export function checkGraph(name: string, graph: unknown, n: number): CsrGraph | null {
  if (graph === null || graph === undefined) return null;
  const g = graph as CsrGraph;
  if (typeof g !== "object" || !(g.rowOffsets instanceof Uint32Array)) {
    throw new OptionError(`Option ${name} must be a CsrGraph (see knnGraph) or null`);
  }
  if (g.n !== n) {
    throw new OptionError(`Option ${name} has n = ${g.n} samples, the data has ${n}`);
  }
  return g;
}

import { deepEqual, throws } from "node:assert/strict";
import { topTerms } from "../../eval/top_terms.ts";

Deno.test("topTerms: heaviest first, ties to the lower index, zeros left out, shape checked", () => {
  // 4 terms x 2 topics.
  const W = { rows: 4, cols: 2, data: new Float32Array([1, 0, 3, 0, 1, 0, 0.5, 2]) };
  const [a, b] = topTerms(W, ["a", "b", "c", "d"], { count: 3 });
  deepEqual([a.terms, a.weights, a.indices], [["b", "a", "c"], [3, 1, 1], [1, 0, 2]]);
  deepEqual([b.terms, b.weights], [["d"], [2]]);
  throws(() => topTerms(W, ["a"]), /W has 4 rows but the vocabulary 1 terms/);
});

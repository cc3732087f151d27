import { deepEqual, equal, throws } from "node:assert/strict";
import { contingencyTable } from "../../eval/contingency_table.ts";

Deno.test("contingencyTable: counts pairs over sorted label values", () => {
  const t = contingencyTable([3, 3, -1, 3, -1], [7, 5, 5, 7, 5]);
  deepEqual(t.rowLabels, [-1, 3]);
  deepEqual(t.colLabels, [5, 7]);
  deepEqual(Array.from(t.table), [2, 0, 1, 2]);
  equal(t.n, 5);
  throws(() => contingencyTable([], []), /empty/);
});

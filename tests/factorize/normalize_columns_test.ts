import { normalizeColumns } from "../../factorize/normalize_columns.ts";
import { assertClose } from "../_reference.ts";
import { equal } from "node:assert/strict";

Deno.test("normalizeColumns: unit samples in either orientation, u8 as byte / 255, zeros kept", () => {
  // d = 2, n = 3 (features x samples): samples (3, 4), (0, 0), (255, 0)
  const x = normalizeColumns({ data: new Float32Array([3, 0, 255, 4, 0, 0]), d: 2, n: 3 });
  assertClose(x.data, [0.6, 0, 1, 0.8, 0, 0], 1e-7, "columns");
  const rows = normalizeColumns({
    data: new Uint8Array([3, 4, 0, 0, 255, 0]),
    d: 2,
    n: 3,
    samplesAsRows: true,
    maxBlockBytes: 8,
  });
  assertClose(rows.data, [0.6, 0.8, 0, 0, 1, 0], 1e-7, "rows");
  equal(rows.samplesAsRows, true);
  equal(rows.maxBlockBytes, 8, "the block size travels with the copy");
});

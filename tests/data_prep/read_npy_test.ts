import { deepEqual, throws } from "node:assert/strict";
import { readNpy } from "../../data_prep/read_npy.ts";
import { npyBytes } from "./_fixtures.ts";

Deno.test("readNpy reads u1, f4 and f8 in C and Fortran order", () => {
  const u = readNpy(npyBytes("|u1", [2, 3], false, new Uint8Array([1, 2, 3, 4, 5, 6])));
  deepEqual([u.rows, u.cols, u.order, ...Array.from(u.data)], [2, 3, "C", 1, 2, 3, 4, 5, 6]);
  const f4 = new Float32Array([0.5, 0.25, 1, 0]);
  const a = readNpy(npyBytes("<f4", [2, 2], true, new Uint8Array(f4.buffer)));
  deepEqual([a.order, ...Array.from(a.data)], ["F", 0.5, 0.25, 1, 0]);
  const f8 = new Float64Array([1.5, -2]);
  deepEqual(Array.from(readNpy(npyBytes("<f8", [1, 2], false, new Uint8Array(f8.buffer))).data), [
    1.5,
    -2,
  ]);
});

Deno.test("readNpy rejects other shapes, dtypes and truncated files", () => {
  const d = new Uint8Array(8);
  throws(() => readNpy(npyBytes("|u1", [2, 2, 2], false, d), "a.npy"), /a\.npy: shape .* not 2-D/);
  throws(() => readNpy(npyBytes("<i4", [1, 2], false, d), "b.npy"), /b\.npy: dtype <i4/);
  throws(() => readNpy(npyBytes("<f8", [2, 2], false, d), "c.npy"), /c\.npy: truncated data/);
  throws(() => readNpy(new Uint8Array(20), "d.npy"), /d\.npy: not a NumPy/);
});

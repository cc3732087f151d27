import { checkInput } from "../../factorize/check_input.ts";
import { nmf } from "../../factorize/nmf.ts";
import { testGpu } from "../_reference.ts";
import { rejects, throws } from "node:assert/strict";

Deno.test("checkInput: one clear error per kind of bad input", () => {
  const x = { data: new Float32Array(12).fill(1), d: 4, n: 3 };
  throws(
    () => checkInput({ ...x, data: new Float64Array(12) as unknown as Float32Array }, { rank: 2 }),
    TypeError,
  );
  throws(() => checkInput({ ...x, n: 4 }, { rank: 2 }), /expected d x n/);
  throws(() => checkInput(x, { rank: 4 }), /Option rank 4 is larger than min\(d, n\) = 3/);
  const nan = x.data.slice();
  nan[5] = NaN;
  throws(() => checkInput({ ...x, data: nan }, { rank: 2 }), /NaN at index 5.*mask/);
  const neg = x.data.slice();
  neg[2] = -1;
  throws(() => checkInput({ ...x, data: neg }, { rank: 2 }), /negative.*semiNmf/);
  checkInput({ ...x, data: neg }, { rank: 2, allowNegative: true });
  throws(() => checkInput(x, { rank: 2, mask: new Float32Array(11) }), /Option mask has 11 values/);
  throws(() => checkInput(x, { rank: 2, mask: new Float32Array(12).fill(0.5) }), /only 0 and 1/);
  const mask = new Float32Array(12).fill(1);
  mask[5] = 0;
  checkInput({ ...x, data: nan }, { rank: 2, mask });
  const W = { rows: 4, cols: 2, data: new Float32Array(8) };
  throws(() => checkInput(x, { rank: 2, W: { ...W, rows: 3 } }), /Option W is 3x2/);
  throws(
    () => checkInput(x, { rank: 2, W: { ...W, data: new Float32Array(8).fill(-1) } }),
    /Option W has -1/,
  );
  throws(
    () => checkInput(x, { rank: 2, H: { rows: 2, cols: 3, data: new Float32Array(6).fill(NaN) } }),
    /Option H/,
  );
});

Deno.test("checkInput: sparse data (documents x terms CSR), one clear error per kind of bad input", () => {
  // 3 documents over 4 terms, document 1 empty
  const x = {
    d: 4,
    n: 3,
    indptr: new Uint32Array([0, 2, 2, 3]),
    indices: new Uint32Array([0, 3, 1]),
    values: new Float32Array([1, 2, 3]),
  };
  checkInput(x, { rank: 2 });
  const bad = (change: Partial<typeof x>, re: RegExp, rank = 2) =>
    throws(() => checkInput({ ...x, ...change }, { rank }), re);
  bad({ indptr: new Uint32Array([0, 2, 3]) }, /indptr must hold n \+ 1 = 4 offsets from 0 to 3/);
  bad({ indptr: new Uint32Array([0, 2, 1, 3]) }, /indptr falls at document 1/);
  bad({ indices: new Uint32Array([0, 4, 1]) }, /entry 1 has term 4, not below d = 4/);
  bad({ values: new Float32Array([1, NaN, 3]) }, /NaN at entry 1/);
  bad({ values: new Float32Array([1, -2, 3]) }, /negative entry -2 at entry 1/);
  bad({ values: new Float32Array([1, 2]) }, /3 indices but 2 values/);
  bad(
    { indices: new Int32Array([0, 3, 1]) as unknown as typeof x.indices },
    /must be Uint32Arrays/,
  );
  bad(
    { indptr: new Uint32Array(4), indices: new Uint32Array(), values: new Float32Array() },
    /no non-zero/,
  );
  bad({}, /Option rank 4 is larger than min\(d, n\) = 3/, 4);
  throws(
    () => checkInput(x, { rank: 2, mask: new Uint8Array(12) }),
    /mask is not supported for sparse/,
  );
  throws(
    () => checkInput(x, { rank: 2, W: { rows: 3, cols: 2, data: new Float32Array(6) } }),
    /Option W is 3x2/,
  );
});

Deno.test("nmf: bad input fails before GPU work, with the option named", async () => {
  const gpu = await testGpu();
  const x = { data: new Float32Array(12).fill(1), d: 4, n: 3 };
  await rejects(() => nmf(gpu, x, { rank: 2, init: "custom" }), /Option init "custom" needs/);
  await rejects(
    () => nmf(gpu, x, { rank: 2, solver: "cd", mask: new Float32Array(12) }),
    /Option mask/,
  );
  await rejects(() => nmf(gpu, x, { rank: 5 }), /Option rank/);
});

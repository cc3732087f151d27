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

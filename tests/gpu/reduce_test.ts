import { type ReduceTerm, reduceToNumber } from "../../gpu/reduce.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { testGpu } from "../_reference.ts";
import { ok, rejects } from "node:assert/strict";

// f32 sums in a tree of fan-in <= 256 over positive terms: relative error below 1e-5
// (measured ~1e-7); sums of signed terms are compared against the sum of |terms|.
const TOL = 1e-5;

function refTerm(term: ReduceTerm, x: number, y: number, w: number): number {
  switch (term) {
    case "sum":
      return x;
    case "sumSquares":
      return x * x;
    case "squaredDistance":
      return (x - y) ** 2;
    case "dot":
      return x * y;
    case "weightedSquaredDistance":
      return w * (x - y) ** 2;
    case "kl":
      return (x > 0 ? x * Math.log(x / y) : 0) - x + y;
    case "klAtEntries":
      return (x > 0 ? x * Math.log(x / y) : 0) - x;
    case "weightedKl":
      return w * ((x > 0 ? x * Math.log(x / y) : 0) - x + y);
  }
}

const TERMS: ReduceTerm[] = [
  "sum",
  "sumSquares",
  "squaredDistance",
  "dot",
  "weightedSquaredDistance",
  "kl",
  "klAtEntries",
  "weightedKl",
];

Deno.test("reduce: every term vs float64, sizes 1..200,000", async () => {
  const gpu = await testGpu();
  for (const n of [1, 7, 63, 65, 257, 65537, 200_000]) {
    const rand = seededRandom(n);
    const x = randomArray(rand, n, -1, 1);
    const y = randomArray(rand, n, 0.1, 2);
    const w = randomArray(rand, n).map((v) => (v < 0.3 ? 0 : 1));
    for (let i = 0; i < n; i += 5) x[i] = 0; // KL's x = 0 branch
    const gx = GpuMatrix.fromArray(gpu, 1, n, x);
    const gy = GpuMatrix.fromArray(gpu, 1, n, y);
    const gw = GpuMatrix.fromArray(gpu, 1, n, w);
    for (const term of TERMS) {
      const kl = /kl/i.test(term);
      const xs = kl ? x.map(Math.abs) : x;
      const gxs = kl ? GpuMatrix.fromArray(gpu, 1, n, xs) : gx;
      let want = 0;
      let scale = 0;
      for (let i = 0; i < n; i++) {
        const t = refTerm(term, xs[i], y[i], w[i]);
        want += t;
        scale += Math.abs(t);
      }
      const got = await reduceToNumber(term, gxs, { y: gy, w: gw });
      const err = Math.abs(got - want);
      ok(
        err <= TOL * Math.max(scale, 1e-30),
        `${term} n=${n}: got ${got}, expected ${want} (|err| ${err} > ${TOL} x ${scale})`,
      );
      if (gxs !== gx) gxs.dispose();
    }
    gx.dispose();
    gy.dispose();
    gw.dispose();
  }
});

Deno.test("reduce: a prefix of n elements, and bad lengths", async () => {
  const gpu = await testGpu();
  const x = randomArray(seededRandom(5), 1000, 0, 1);
  const gx = GpuMatrix.fromArray(gpu, 10, 100, x);
  let want = 0;
  for (let i = 0; i < 333; i++) want += x[i];
  const got = await reduceToNumber("sum", gx, { n: 333 });
  ok(Math.abs(got - want) <= TOL * want, `prefix sum ${got} vs ${want}`);
  const short = GpuMatrix.fromArray(gpu, 1, 10, new Float32Array(10));
  await rejects(() => reduceToNumber("dot", gx, { y: short }), RangeError);
  gx.dispose();
  short.dispose();
});

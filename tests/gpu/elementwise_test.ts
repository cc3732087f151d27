import { elementwise, type ElementwiseOp } from "../../gpu/elementwise.ts";
import { GpuMatrix } from "../../gpu/gpu_matrix.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { assertClose, testGpu } from "../_reference.ts";
import { throws } from "node:assert/strict";

// One f32 operation chain per element: relative error below 1e-6 of the largest value.
const TOL = 1e-6;

type Ref = (o: number, a: number, b: number, c: number, i: number) => number;
const S = [0.25, 0.5, 1e-3, 0.1];
const U = [3, 4];

const REFS: Record<ElementwiseOp, Ref> = {
  scale: (_o, a) => S[0] * a,
  affine: (o) => S[0] * o + S[1],
  clampMin: (_o, a) => Math.max(a, S[0]),
  multiply: (o, a) => o * a,
  maskSelect: (_o, a, b) => (b > 0 ? a : 0),
  signedPart: (_o, a) => Math.max(S[0] * a, 0),
  ratio: (o, a) => a / Math.max(o, S[0]),
  mu: (o, a, b) => (o * a) / Math.max(b + S[0] + S[1] * o, S[2]),
  muBroadcast: (o, a, _b, _c, i) => (o * a) / Math.max(bvec(i) + S[0] + S[1] * o, S[2]),
  semiNmf: (o, a, b, c) =>
    o * Math.sqrt((Math.max(a, 0) + b) / Math.max(Math.max(-a, 0) + c, S[2])),
  projectedGradient: (o, a, b) => Math.max(o - S[3] * (a - b + S[0] + S[1] * o), 0),
  projectedGradientStep: (o, a, b) => Math.max(o - cArr[1] * (a - b + S[0] + S[1] * o), 0),
  axpby: (o, a) => S[0] * o + S[1] * a,
  nonNegative: (o) => Math.max(o, 0),
  relu: (_o, a) => Math.max(a, 0),
  reluGrad: (o, a) => (a > 0 ? o : 0),
  sigmoid: (_o, a) => 1 / (1 + Math.exp(-a)),
  sigmoidGrad: (o, a) => o * Math.exp(-a) / (1 + Math.exp(-a)) ** 2,
  tanhScaled: (_o, a) => 1.7159 * Math.tanh(2 * a / 3),
  tanhScaledGrad: (o, a) => o * 1.7159 * 2 / 3 * (1 - Math.tanh(2 * a / 3) ** 2),
  softplus: (_o, a) => Math.log1p(Math.exp(a)),
  softplusGrad: (o, a) => o / (1 + Math.exp(-a)),
};
let bArr: Float32Array = new Float32Array(0);
let cArr: Float32Array = new Float32Array(0);
function bvec(i: number): number {
  return bArr[Math.floor(i / U[0]) % U[1]];
}

Deno.test("elementwise: every op vs float64 on sizes not dividing 64", async () => {
  const gpu = await testGpu();
  for (const n of [1, 7, 65, 1000, 4099]) {
    const rand = seededRandom(n + 11);
    const o = randomArray(rand, n, 0, 2);
    const a = randomArray(rand, n, -1, 1);
    const b = randomArray(rand, n, -0.2, 1);
    const c = randomArray(rand, n, 0, 1);
    b[0] = -1; // a denominator under the floor
    bArr = b;
    cArr = c;
    const ga = GpuMatrix.fromArray(gpu, 1, n, a);
    const gb = GpuMatrix.fromArray(gpu, 1, n, b);
    const gc = GpuMatrix.fromArray(gpu, 1, n, c);
    for (const op of Object.keys(REFS) as ElementwiseOp[]) {
      if (op === "projectedGradientStep" && n < 2) continue; // reads c[1]
      const out = GpuMatrix.fromArray(gpu, 1, n, o);
      elementwise(op, out, { a: ga, b: gb, c: gc, s: S, u: U });
      const want = Array.from(o, (v, i) => REFS[op](v, a[i], b[i], c[i], i));
      assertClose(await out.toArray(), want, TOL, `${op} n=${n}`);
      out.dispose();
    }
    ga.dispose();
    gb.dispose();
    gc.dispose();
  }
});

Deno.test("elementwise: maskSelect zeroes NaN where the mask is 0; inputs must not alias out", async () => {
  const gpu = await testGpu();
  const out = GpuMatrix.empty(gpu, 1, 3);
  const x = GpuMatrix.fromArray(gpu, 1, 3, new Float32Array([NaN, 2, Infinity]));
  const m = GpuMatrix.fromArray(gpu, 1, 3, new Float32Array([0, 1, 0]));
  elementwise("maskSelect", out, { a: x, b: m });
  assertClose(await out.toArray(), [0, 2, 0], 0, "maskSelect");
  throws(() => elementwise("multiply", out, { a: out }), RangeError);
  out.dispose();
  x.dispose();
  m.dispose();
});

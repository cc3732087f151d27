import { ok, rejects } from "node:assert/strict";
import { deepTransform } from "../../factorize/deep_transform.ts";
import { randomArray, seededNormal, seededRandom } from "../../factorize/seeded_random.ts";
import { assertClose, refGemm, testGpu } from "../_reference.ts";

Deno.test("deepTransform: pinv recovers exact coefficients; MU refines a rough start", async () => {
  const gpu = await testGpu();
  const [d, n, k1, k2] = [30, 25, 6, 3];
  const rand = seededRandom(21);
  const normal = seededNormal(rand);
  const z1 = Float32Array.from({ length: d * k1 }, normal);
  const z2 = Float32Array.from({ length: k1 * k2 }, normal);
  const h2 = randomArray(rand, k2 * n, 0.1, 1);
  const h1 = refGemm(z2, h2, k1, k2, n);
  const x = Float32Array.from(refGemm(z1, h1, d, k1, n));
  const factors = {
    Z: [{ rows: d, cols: k1, data: z1 }, { rows: k1, cols: k2, data: z2 }],
    H: [],
    normalized: false,
  };
  const [p1, p2] = await deepTransform(gpu, { data: x, d, n }, { factors });
  assertClose(p2.data, h2, 1e-3, "H2 by pinv");
  assertClose(p1.data, h1.map((v) => Math.max(v, 0)), 1e-3, "H1 by pinv");
  const [, m2] = await deepTransform(gpu, { data: x, d, n }, {
    factors,
    method: "mu",
    iterations: 200,
  });
  ok(m2.data.every((v) => v >= 0));
  assertClose(m2.data, h2, 0.05, "H2 by MU");
});

Deno.test("deepTransform: bad options name the option", async () => {
  const gpu = await testGpu();
  const x = { data: new Float32Array(12 * 10), d: 12, n: 10 };
  const z = { rows: 12, cols: 2, data: new Float32Array(24) };
  await rejects(
    () => deepTransform(gpu, x, { factors: { Z: [], H: [], normalized: false } }),
    /factors.Z/,
  );
  await rejects(
    () =>
      deepTransform(gpu, x, {
        factors: { Z: [z], H: [], normalized: false },
        method: "svd" as "mu",
      }),
    /^OptionError: Option method must be one of pinv, mu, got "svd"/,
  );
  await rejects(() => deepTransform(gpu, x, {} as never), /Option factors is required/);
});

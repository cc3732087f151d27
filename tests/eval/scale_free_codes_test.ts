import { scaleFreeCodes } from "../../eval/scale_free_codes.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { assertClose } from "../_reference.ts";

Deno.test("scaleFreeCodes: codes of W D⁻¹ with unit columns, the same X̂; D cancels", () => {
  const [d, k, n] = [7, 3, 5];
  const rand = seededRandom(11);
  const w = randomArray(rand, d * k, 0, 1);
  const h = randomArray(rand, k * n, 0, 1);
  const scale = [0.001, 1, 1000]; // a solver's diagonal, as HALS leaves it
  const ws = w.map((v, i) => v / scale[i % k]);
  const hs = h.map((v, i) => v * scale[Math.floor(i / n)]);
  const got = scaleFreeCodes({
    basis: { rows: d, cols: k, data: ws },
    codes: { rows: k, cols: n, data: hs },
  });
  const want = new Float64Array(k * n);
  for (let r = 0; r < k; r++) {
    let norm = 0;
    for (let i = 0; i < d; i++) norm += w[i * k + r] ** 2;
    for (let j = 0; j < n; j++) want[r * n + j] = h[r * n + j] * Math.sqrt(norm);
  }
  assertClose(got.data, want, 1e-6, "scaled codes");
  const plain = scaleFreeCodes({
    basis: { rows: d, cols: k, data: w },
    codes: { rows: k, cols: n, data: h },
  });
  assertClose(plain.data, want, 1e-6, "the diagonal does not change them");
});

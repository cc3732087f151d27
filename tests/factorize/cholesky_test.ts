import { invertSpd, solveSpd } from "../../factorize/cholesky.ts";
import { symmetricEigen } from "../../factorize/symmetric_eigen.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { assertClose, refGemm } from "../_reference.ts";
import { ok, throws } from "node:assert/strict";

Deno.test("solveSpd: solves an SPD system to 1e-10; raises the ridge once for a singular one", () => {
  const k = 7;
  const b = randomArray(seededRandom(1), k * 9, -1, 1);
  const a = refGemm(b, b, k, 9, k, false, true); // B Bᵀ, SPD
  const rhs = randomArray(seededRandom(2), k * 3, -1, 1);
  const { x, message } = solveSpd(a, rhs, k, { ridge: 0 });
  ok(message === null);
  assertClose(refGemm(a, x, k, k, 3), rhs, 1e-10, "A X = B");
  const singular = new Float64Array([1, 1, 1, 1]);
  const s = invertSpd(singular, 2, { ridge: 0 });
  ok(s.message && /ridge raised/.test(s.message), String(s.message));
  throws(
    () => solveSpd(new Float64Array([NaN, 0, 0, 1]), new Float64Array(2), 2),
    /not positive definite/,
  );
});

Deno.test("symmetricEigen: A V = V diag(λ), descending, to 1e-10", () => {
  const k = 9;
  const b = randomArray(seededRandom(3), k * k, -1, 1);
  const a = refGemm(b, b, k, k, k, false, true);
  const { values, vectors } = symmetricEigen(a, k);
  for (let i = 1; i < k; i++) ok(values[i] <= values[i - 1]);
  const av = refGemm(a, vectors, k, k, k);
  assertClose(av, vectors.map((v, i) => v * values[i % k]), 1e-10, "A V = V Λ");
});

import { ok, throws } from "node:assert/strict";
import { reconstructionErrors } from "../../eval/reconstruction_errors.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { assertClose } from "../_reference.ts";

Deno.test("reconstructionErrors: matches a direct float64 computation", () => {
  const rand = seededRandom(2);
  const d = 37;
  const n = 11;
  const x = randomArray(rand, d * n, 0, 1);
  const xHat = randomArray(rand, d * n, 0, 1);
  const r = reconstructionErrors({ data: x, rows: d, cols: n }, { data: xHat, rows: d, cols: n });
  let e = 0;
  let s = 0;
  const per: number[] = [];
  for (let j = 0; j < n; j++) {
    let ej = 0;
    let sj = 0;
    for (let i = 0; i < d; i++) {
      ej += (x[i * n + j] - xHat[i * n + j]) ** 2;
      sj += x[i * n + j] ** 2;
    }
    per.push(Math.sqrt(ej / sj));
    e += ej;
    s += sj;
  }
  ok(Math.abs(r.relative - Math.sqrt(e / s)) < 1e-12);
  assertClose(r.perSample, per, 1e-12, "per sample");
  const exact = reconstructionErrors({ data: x, rows: d, cols: n }, { data: x, rows: d, cols: n });
  ok(exact.relative === 0 && exact.perSample.every((v) => v === 0));
  throws(
    () => reconstructionErrors({ data: x, rows: d, cols: n }, { data: x, rows: n, cols: d }),
    /xHat is 11x37/,
  );
});

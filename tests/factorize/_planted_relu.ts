// The planted two-layer relu model the Adam tests recover: X = Z₁ relu(Z₂ H₂) (d x n), Z's
// standard normal, H₂ uniform in [0, 1), all seeded.
import { randomArray, seededNormal, seededRandom } from "../../factorize/seeded_random.ts";
import { refGemm } from "../_reference.ts";

/** X (d x n) of the planted model with layers [k1, k2]. */
export function plantedRelu(d: number, n: number, k1: number, k2: number, seed = 41): Float32Array {
  const rand = seededRandom(seed);
  const normal = seededNormal(rand);
  const z1 = Float32Array.from({ length: d * k1 }, normal);
  const z2 = Float32Array.from({ length: k1 * k2 }, normal);
  const h2 = randomArray(rand, k2 * n, 0, 1);
  const h1 = refGemm(z2, h2, k1, k2, n).map((v) => Math.max(v, 0));
  return Float32Array.from(refGemm(z1, h1, d, k1, n));
}

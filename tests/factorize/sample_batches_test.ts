import { deepEqual, equal, notDeepEqual, throws } from "node:assert/strict";
import { sampleBatches } from "../../factorize/sample_batches.ts";

Deno.test("sampleBatches: distinct samples per batch, every sample each epoch, seeded and stateless", () => {
  for (const [n, size] of [[10, 3], [7, 7], [101, 16], [5, 1]]) {
    const batch = sampleBatches(n, size, { seed: 3 });
    const perEpoch = Math.ceil(n / size);
    for (let e = 0; e < 3; e++) {
      const seen = new Set<number>();
      for (let j = 0; j < perEpoch; j++) {
        const b = batch(e * perEpoch + j);
        equal(b.length, size);
        equal(new Set(b).size, size, `n ${n} size ${size}: batch ${j} has a repeat`);
        for (const s of b) {
          equal(s < n, true);
          seen.add(s);
        }
      }
      equal(seen.size, n, `n ${n} size ${size}: epoch ${e} missed a sample`);
    }
    // Batch t does not depend on the batches drawn before it (a resumed fit draws the same).
    deepEqual(sampleBatches(n, size, { seed: 3 })(2 * perEpoch + 1), batch(2 * perEpoch + 1));
  }
  const a = sampleBatches(100, 10, { seed: 1 });
  notDeepEqual(a(0), sampleBatches(100, 10, { seed: 2 })(0));
  notDeepEqual(a(0), a(10), "each epoch reshuffles");
  throws(() => sampleBatches(5, 6, { seed: 0 }), /Batch size 6/);
  throws(() => sampleBatches(5, 0, { seed: 0 }), /Batch size 0/);
});

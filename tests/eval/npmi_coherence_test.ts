import { equal, ok } from "node:assert/strict";
import { npmiCoherence } from "../../eval/npmi_coherence.ts";
import { seededRandom } from "../../factorize/seeded_random.ts";

Deno.test("npmiCoherence equals its float64 definition on a seeded corpus, in [-1, 1]", () => {
  const rand = seededRandom(3);
  const n = 97;
  // Terms 0..4 come together (a theme); the rest at random; duplicates within a document.
  const docs = Array.from({ length: n }, () => {
    const theme = rand() < 0.3 ? [0, 1, 2, 3, 4].filter(() => rand() < 0.8) : [];
    return [
      ...theme,
      ...Array.from({ length: 4 }, () => 5 + Math.floor(rand() * 20)),
      theme[0] ?? 6,
    ];
  });
  const indptr = [0];
  const indices: number[] = [];
  for (const d of docs) indptr.push(indices.push(...d));
  const topics = [[0, 1, 2, 3], [5, 9, 17, 21], [0, 7, 22, 3]];
  const got = npmiCoherence(topics, { n, indptr, indices });
  const has = docs.map((d) => new Set(d));
  const p = (...t: number[]) => has.filter((s) => t.every((x) => s.has(x))).length / n;
  topics.forEach((words, i) => {
    let sum = 0, pairs = 0;
    for (let a = 0; a < words.length; a++) {
      for (let b = a + 1; b < words.length; b++) {
        const pab = p(words[a], words[b]);
        sum += pab === 0 ? -1 : Math.log(pab / (p(words[a]) * p(words[b]))) / -Math.log(pab);
        pairs++;
      }
    }
    ok(Math.abs(got[i] - sum / pairs) < 1e-12, `topic ${i}: ${got[i]} vs ${sum / pairs}`);
    ok(got[i] >= -1 && got[i] <= 1);
  });
  ok(got[0] > 0.3 && got[0] > got[1], `the theme is coherent: ${got}`);
  equal(npmiCoherence([[3]], { n, indptr, indices })[0], 0, "no pairs");
});

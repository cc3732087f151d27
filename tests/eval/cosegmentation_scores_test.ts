import { deepEqual, equal, throws } from "node:assert/strict";
import {
  argmaxLabels,
  centrePriorMask,
  foregroundConcept,
  maskScores,
} from "../../eval/cosegmentation_scores.ts";

Deno.test("maskScores: Jaccard and precision on hand cases, both empty counts as agreement", () => {
  const m = (s: string) => Uint8Array.from(s, Number);
  deepEqual(maskScores(m("1100"), m("1100")), { jaccard: 1, precision: 1 });
  deepEqual(maskScores(m("1100"), m("0011")), { jaccard: 0, precision: 0 });
  deepEqual(maskScores(m("1110"), m("0111")), { jaccard: 0.5, precision: 0.5 });
  deepEqual(maskScores(m("0000"), m("0000")), { jaccard: 1, precision: 1 });
  throws(() => maskScores(m("01"), m("011")), /2 pixels, its truth 3/);
});

Deno.test("foregroundConcept: the concept that stays off the grid's border, over every image", () => {
  // 3 concepts, 2 images of 4 x 3 cells: concept 2 in the middle cells of both images
  const inside = [0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0];
  const outside = inside.map((v) => 1 - v);
  const half = inside.map(() => 0.5);
  const rows = [[...outside, ...outside], [...half, ...half], [...inside, ...inside]];
  const h = { rows: 3, cols: 24, data: Float32Array.from(rows.flat()) };
  equal(foregroundConcept(h, { width: 4, height: 3 }), 2);
});

Deno.test("argmaxLabels and centrePriorMask: ties to the first concept; the box has the area asked", () => {
  deepEqual(Array.from(argmaxLabels([new Float32Array([1, 2]), new Float32Array([1, 3])])), [0, 1]);
  for (const [w, h, area] of [[10, 10, 36], [20, 10, 50], [7, 5, 0], [4, 4, 99]]) {
    const m = centrePriorMask({ width: w, height: h }, area);
    const got = m.reduce((s, v) => s + v, 0);
    const want = Math.min(area, w * h);
    equal(Math.abs(got - want) <= Math.max(w, h), true, `${w}x${h} area ${area}: ${got}`);
    // centred: the mask's bounding box is as far from the left as from the right (± 1)
    const cols = [...Array(w).keys()].filter((x) => [...Array(h).keys()].some((y) => m[y * w + x]));
    if (cols.length) equal(Math.abs(cols[0] - (w - 1 - cols.at(-1)!)) <= 1, true);
  }
});

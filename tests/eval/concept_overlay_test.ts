import { deepEqual, throws } from "node:assert/strict";
import { CONCEPT_COLOURS, conceptOverlay } from "../../eval/concept_overlay.ts";

Deno.test("conceptOverlay: each pixel half itself, half its strongest concept's colour times its heat", () => {
  const image = { width: 2, height: 1, rgb: new Uint8Array([200, 100, 0, 10, 20, 30]) };
  const maps = [new Float32Array([1, 0]), new Float32Array([0.5, 0.5])];
  const o = conceptOverlay(image, maps);
  const [c0, c1] = [CONCEPT_COLOURS[0], CONCEPT_COLOURS[1]];
  const want = [
    ...[0, 1, 2].map((c) => Math.round(0.5 * image.rgb[c] + 0.5 * c0[c])),
    ...[0, 1, 2].map((c) => Math.round(0.5 * image.rgb[3 + c] + 0.25 * c1[c])),
  ];
  deepEqual(Array.from(o.rgb), want);
  throws(() => conceptOverlay(image, [new Float32Array(3)]), /heatmaps of 2x1 pixels/);
});

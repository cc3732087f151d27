import { deepEqual, throws } from "node:assert/strict";
import { conceptHeatmaps, upsampleBilinear } from "../../eval/concept_heatmaps.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { assertClose } from "../_reference.ts";

/** Float64 bilinear interpolation with cell centres aligned, written from its definition. */
function reference(map: Float32Array, w: number, h: number, W: number, H: number): number[] {
  const at = (x: number, y: number) => map[y * w + x];
  const out: number[] = [];
  for (let Y = 0; Y < H; Y++) {
    for (let X = 0; X < W; X++) {
      const sx = Math.min(Math.max((X + 0.5) * (w / W) - 0.5, 0), w - 1);
      const sy = Math.min(Math.max((Y + 0.5) * (h / H) - 0.5, 0), h - 1);
      const [x0, y0] = [Math.floor(sx), Math.floor(sy)];
      const [x1, y1] = [Math.min(x0 + 1, w - 1), Math.min(y0 + 1, h - 1)];
      const [fx, fy] = [sx - x0, sy - y0];
      out.push(
        (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x1, y0)) +
          fy * ((1 - fx) * at(x0, y1) + fx * at(x1, y1)),
      );
    }
  }
  return out;
}

// f32 arithmetic against float64: 1e-6 of the map's range.
Deno.test("upsampleBilinear: against float64 on odd sizes, exact at the same size, edges clamped", () => {
  const rand = seededRandom(3);
  for (const [w, h, W, H] of [[3, 2, 7, 5], [17, 17, 299, 301], [1, 1, 4, 3], [5, 4, 5, 4]]) {
    const map = randomArray(rand, w * h);
    const up = upsampleBilinear(map, { width: w, height: h }, { width: W, height: H });
    assertClose(up, reference(map, w, h, W, H), 1e-6, `${w}x${h} -> ${W}x${H}`);
  }
  const same = randomArray(rand, 6);
  deepEqual(upsampleBilinear(same, { width: 3, height: 2 }, { width: 3, height: 2 }), same);
  throws(
    () => upsampleBilinear(new Float32Array(5), { width: 3, height: 2 }, { width: 4, height: 4 }),
    /5 values/,
  );
});

Deno.test("conceptHeatmaps: each concept over its own per-image maximum; an absent concept stays 0", () => {
  // k = 2, 2 images of 2 x 1 cells; concept 1 is absent from image 1
  const h = { rows: 2, cols: 4, data: new Float32Array([1, 4, 3, 6, 2, 1, 0, 0]) };
  const grid = { width: 2, height: 1 };
  deepEqual(conceptHeatmaps(h, 0, grid, grid).map((m) => Array.from(m)), [[0.25, 1], [1, 0.5]]);
  deepEqual(conceptHeatmaps(h, 1, grid, grid).map((m) => Array.from(m)), [[0.5, 1], [0, 0]]);
  throws(() => conceptHeatmaps(h, 2, grid, grid), /image 2 needs 6/);
});

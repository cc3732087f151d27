import { deepEqual, equal, throws } from "node:assert/strict";
import { decode, Image } from "imagescript";
import { encodePng } from "../../eval/encode_png.ts";
import { imageGrid } from "../../eval/image_grid.ts";

/** Two 2x2 images as columns of a 4 x 2 matrix: [0 1; 1 0] and [2 3; 5 2] (row-major). */
const W = { data: new Float32Array([0, 2, 1, 3, 1, 5, 0, 2]), rows: 4, cols: 2 };

Deno.test("imageGrid: tiny known case, through PNG and back", async () => {
  const img = imageGrid(W, { height: 2, width: 2, border: 1, borderValue: 9 });
  equal(img.width, 2 * 2 + 3);
  equal(img.height, 2 + 2);
  const png = (await decode(await encodePng(img))) as Image;
  equal(png.width, 7);
  equal(png.height, 4);
  const gray = Array.from({ length: 28 }, (_, i) => png.bitmap[4 * i]);
  // Per-image stretch: [0 1; 1 0] -> [0 255; 255 0]; [2 3; 5 2] -> min 2, max 5.
  // deno-fmt-ignore
  deepEqual(gray, [
    9, 9, 9, 9, 9, 9, 9,
    9, 0, 255, 9, 0, 85, 9,
    9, 255, 0, 9, 255, 0, 9,
    9, 9, 9, 9, 9, 9, 9,
  ]);
});

Deno.test("imageGrid: column-major pixels, shared stretch, scale and grid shape", () => {
  const cm = imageGrid(W, { height: 2, width: 2, border: 0, pixelOrder: "column-major" });
  // Column-major reading of image 2 [2, 3, 5, 2] is [2 5; 3 2].
  deepEqual(Array.from(cm.pixels), [0, 255, 0, 255, 255, 0, 85, 0]);
  const shared = imageGrid(W, { height: 2, width: 2, border: 0, stretch: "shared" });
  deepEqual(Array.from(shared.pixels), [0, 51, 102, 153, 51, 0, 255, 102]);
  const big = imageGrid(W, { height: 2, width: 2, border: 2, scale: 3, columns: 1 });
  equal(big.width, 6 + 4);
  equal(big.height, 2 * 6 + 3 * 2);
  equal(big.pixels[2 * big.width + 2], 0); // top-left pixel of tile 1, upscaled
  equal(big.pixels[4 * big.width + 4], 0);
  equal(big.pixels[2 * big.width + 5], 255);
  // 5 tiles in 3 columns: 2 grid rows, the last one partly empty (border colour).
  const five = imageGrid({ data: new Float32Array(4 * 5), rows: 4, cols: 5 }, {
    height: 2,
    width: 2,
    columns: 3,
  });
  deepEqual([five.width, five.height], [3 * 2 + 4, 2 * 2 + 3]);
  throws(() => imageGrid(W, { height: 3, width: 2 }), /expected height x width = 6/);
});

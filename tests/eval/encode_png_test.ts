import { deepEqual, equal, rejects } from "node:assert/strict";
import { decode, Image } from "imagescript";
import { encodePng } from "../../eval/encode_png.ts";

Deno.test("encodePng: decodes back to the same gray levels", async () => {
  const pixels = new Uint8Array([0, 50, 100, 150, 200, 255]);
  const png = await encodePng({ width: 3, height: 2, pixels });
  deepEqual(Array.from(png.subarray(0, 4)), [137, 80, 78, 71]);
  const img = (await decode(png)) as Image;
  equal(img.width, 3);
  equal(img.height, 2);
  for (let i = 0; i < 6; i++) {
    deepEqual(Array.from(img.bitmap.subarray(4 * i, 4 * i + 4)), [
      pixels[i],
      pixels[i],
      pixels[i],
      255,
    ]);
  }
  await rejects(encodePng({ width: 2, height: 2, pixels }), /6 pixels for a 2x2/);
});

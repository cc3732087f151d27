// A synthetic co-segmentation set built from the ORL faces the repository ships: each face
// (shrunk to 64 x 78) pasted at a seeded place on a seeded coloured texture (stripes of a random
// angle and period under noise), saved as PNG beside its paste mask, so DFF's masks can be scored.
import { join } from "node:path";
import { decodeImage } from "../../data_prep/decode_image.ts";
import { resizeGray } from "../../data_prep/resize_gray.ts";
import { toGray } from "../../data_prep/to_gray.ts";
import { encodePng } from "../../eval/encode_png.ts";
import { seededRandom } from "../../factorize/seeded_random.ts";

/** Writes `count` images of `size` x `size` and their masks; returns the two folders. */
export async function cosegSet(
  dir: string,
  count: number,
  options: { size?: number; seed?: number } = {},
): Promise<{ images: string; masks: string }> {
  const size = options.size ?? 160;
  const rand = seededRandom(options.seed ?? 1);
  const [images, masks] = [join(dir, "images"), join(dir, "masks")];
  await Deno.mkdir(images, { recursive: true });
  await Deno.mkdir(masks, { recursive: true });
  const [fw, fh] = [64, 78];
  for (let n = 0; n < count; n++) {
    const person = 1 + (n % 40);
    const file = `data/att_faces/s${person}/${1 + Math.floor(n / 40) % 10}.pgm`;
    const face = await decodeImage(await Deno.readFile(file), file);
    const small = resizeGray(toGray(face), face.width, face.height, { width: fw, height: fh });
    const angle = rand() * Math.PI;
    const period = 6 + rand() * 14;
    const tint = [0, 1, 2].map(() => 0.3 + 0.7 * rand());
    const rgb = new Uint8Array(size * size * 3);
    const mask = new Uint8Array(size * size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const t = 0.5 +
          0.5 * Math.sin((x * Math.cos(angle) + y * Math.sin(angle)) * 2 * Math.PI / period);
        const v = 255 * (0.6 * t + 0.4 * rand());
        for (let c = 0; c < 3; c++) rgb[3 * (y * size + x) + c] = v * tint[c];
      }
    }
    const [x0, y0] = [Math.floor(rand() * (size - fw)), Math.floor(rand() * (size - fh))];
    for (let y = 0; y < fh; y++) {
      for (let x = 0; x < fw; x++) {
        const p = (y0 + y) * size + x0 + x;
        rgb.fill(Math.round(small[y * fw + x]), 3 * p, 3 * p + 3);
        mask[p] = 255;
      }
    }
    const name = `img${String(n).padStart(3, "0")}`;
    await Deno.writeFile(
      join(images, `${name}.png`),
      await encodePng({ width: size, height: size, rgb }),
    );
    await Deno.writeFile(
      join(masks, `${name}.png`),
      await encodePng({ width: size, height: size, pixels: mask }),
    );
  }
  return { images, masks };
}

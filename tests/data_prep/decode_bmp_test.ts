import { deepEqual, equal, throws } from "node:assert/strict";
import { decodeBmp } from "../../data_prep/decode_bmp.ts";
import { decodeImage } from "../../data_prep/decode_image.ts";
import { seededRandom } from "../../factorize/seeded_random.ts";

/** A BMP of `rgb` (width x height, top row first) at `bits` per pixel, as Windows writes one. */
function bmp(rgb: Uint8Array, width: number, height: number, bits: number, topDown = false) {
  const colors: number[][] = [];
  const index = new Map<string, number>();
  if (bits <= 8) {
    for (let i = 0; i < width * height; i++) {
      const key = rgb.subarray(3 * i, 3 * i + 3).join();
      if (!index.has(key)) {
        index.set(key, colors.length);
        colors.push(Array.from(rgb.subarray(3 * i, 3 * i + 3)));
      }
    }
  }
  const paletteBytes = bits <= 8 ? 4 * 2 ** bits : 0;
  const stride = Math.ceil((width * bits) / 32) * 4;
  const offset = 54 + paletteBytes;
  const b = new Uint8Array(offset + stride * height);
  const v = new DataView(b.buffer);
  b.set([0x42, 0x4d]);
  v.setUint32(2, b.length, true);
  v.setUint32(10, offset, true);
  v.setUint32(14, 40, true);
  v.setInt32(18, width, true);
  v.setInt32(22, topDown ? -height : height, true);
  v.setUint16(26, 1, true);
  v.setUint16(28, bits, true);
  colors.forEach(([r, g, bl], i) => b.set([bl, g, r, 0], 54 + 4 * i));
  for (let y = 0; y < height; y++) {
    const row = offset + stride * (topDown ? y : height - 1 - y);
    for (let x = 0; x < width; x++) {
      const p = rgb.subarray(3 * (y * width + x), 3 * (y * width + x) + 3);
      if (bits <= 8) {
        const bit = x * bits;
        b[row + (bit >> 3)] |= index.get(p.join())! << (8 - bits - (bit & 7));
      } else b.set([p[2], p[1], p[0], ...(bits === 32 ? [255] : [])], row + x * (bits / 8));
    }
  }
  return b;
}

Deno.test("decodeBmp: 1-, 4-, 8-, 24- and 32-bit, bottom-up and top-down, odd widths, against the pixels", async () => {
  const rand = seededRandom(4);
  for (const [bits, levels] of [[24, 256], [32, 256], [8, 200], [4, 16], [1, 2]]) {
    for (const [width, height, topDown] of [[1, 1, false], [5, 3, false], [7, 4, true]] as const) {
      // few distinct colours for the palettes
      const palette = Array.from({ length: levels }, () => [0, 0, 0].map(() => (rand() * 256) | 0));
      const rgb = new Uint8Array(width * height * 3);
      for (let i = 0; i < width * height; i++) rgb.set(palette[(rand() * levels) | 0], 3 * i);
      const bytes = bmp(rgb, width, height, bits, topDown);
      const r = decodeBmp(bytes, "x.bmp");
      deepEqual([r.width, r.height, r.channels], [width, height, 3]);
      deepEqual(Array.from(r.data), Array.from(rgb), `${bits}-bit ${width}x${height}`);
      equal((await decodeImage(bytes, "x.bmp")).width, width, "decodeImage reads BMP too");
    }
  }
});

Deno.test("decodeBmp: a cut, compressed, 16-bit or foreign file names the file and the reason", () => {
  const good = bmp(new Uint8Array(12), 2, 2, 24);
  throws(
    () => decodeBmp(good.subarray(0, 60), "cut.bmp"),
    /^Error: Cannot decode cut\.bmp: BMP data is cut short/,
  );
  const rle = good.slice();
  new DataView(rle.buffer).setUint32(30, 1, true);
  throws(() => decodeBmp(rle, "rle.bmp"), /rle\.bmp: compressed BMP \(method 1\) is not supported/);
  const deep = good.slice();
  new DataView(deep.buffer).setUint16(28, 16, true);
  throws(() => decodeBmp(deep, "565.bmp"), /16-bit BMP is not supported/);
  throws(() => decodeBmp(new Uint8Array(40), "x.bmp"), /x\.bmp: not a BMP file/);
});

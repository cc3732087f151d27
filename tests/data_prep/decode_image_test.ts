import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { decodeImage } from "../../data_prep/decode_image.ts";
import {
  hugePngBytes,
  jpegBytes,
  pgmBytes,
  pngBytes,
  randomPixels,
  testRgba,
} from "./_fixtures.ts";

Deno.test("decodeImage reads PNG exactly and JPEG closely", async () => {
  const want = testRgba(13, 9, 1);
  const png = await decodeImage(await pngBytes(13, 9, 1), "a.png");
  deepEqual([png.width, png.height, png.channels], [13, 9, 4]);
  deepEqual([...png.data], [...want]);
  const jpg = await decodeImage(await jpegBytes(13, 9, 1), "a.jpg");
  deepEqual([jpg.width, jpg.height], [13, 9]);
  let err = 0;
  for (let i = 0; i < want.length; i++) err += Math.abs(jpg.data[i] - want[i]) / want.length;
  ok(err < 12, `mean JPEG error ${err} >= 12 levels`);
});

Deno.test("decodeImage picks the decoder by content, not name", async () => {
  const px = randomPixels(6, 2);
  const r = await decodeImage(pgmBytes(3, 2, px), "looks_like.jpg");
  equal(r.channels, 1);
  deepEqual([...r.data], [...px]);
});

Deno.test("decodeImage rejects truncated JPEG and foreign bytes with the file name", async () => {
  const jpg = await jpegBytes(40, 40, 2);
  await rejects(decodeImage(jpg.slice(0, 300), "cut.jpg"), /Cannot decode cut\.jpg: JPEG data/);
  await rejects(
    decodeImage(new TextEncoder().encode("hello"), "notes.png"),
    /Cannot decode notes\.png: not a JPEG, PNG, BMP, PGM or PPM/,
  );
});

Deno.test("decodeImage refuses a header claiming a huge image before decoding, and empty files", async () => {
  await rejects(
    decodeImage(await hugePngBytes(60000, 60000), "bomb.png"),
    /Cannot decode bomb\.png: its header claims 60000x60000 pixels, above the 128 Mpx limit/,
  );
  const jpg = (await jpegBytes(8, 8, 1)).slice();
  // The SOF0 frame header's height and width, set to 65000 each.
  for (let i = 2; i + 9 < jpg.length; i++) {
    if (jpg[i] === 0xff && jpg[i + 1] === 0xc0) {
      new DataView(jpg.buffer).setUint16(i + 5, 65000);
      new DataView(jpg.buffer).setUint16(i + 7, 65000);
      break;
    }
  }
  await rejects(decodeImage(jpg, "bomb.jpg"), /bomb\.jpg: its header claims 65000x65000 pixels/);
  const pgm = new TextEncoder().encode("P5 100000 100000 255\n\0\0\0");
  await rejects(decodeImage(pgm, "bomb.pgm"), /truncated P5 data, 3 bytes, expected 10000000000/);
  const p2 = new TextEncoder().encode("P2 100000 100000 255\n0 0");
  await rejects(decodeImage(p2, "bomb.pgm"), /truncated P2 data, 4 bytes, expected at least/);
  await rejects(
    decodeImage(new Uint8Array(0), "zero.png"),
    /^Error: Cannot decode zero\.png: the file is empty \(0 bytes\)$/,
  );
});

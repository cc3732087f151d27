import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { decodeImage } from "../../data_prep/decode_image.ts";
import { jpegBytes, pgmBytes, pngBytes, randomPixels, testRgba } from "./_fixtures.ts";

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

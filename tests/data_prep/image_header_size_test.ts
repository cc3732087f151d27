import { deepEqual, equal } from "node:assert/strict";
import { imageHeaderSize } from "../../data_prep/image_header_size.ts";
import { jpegBytes, pngBytes } from "./_fixtures.ts";

Deno.test("imageHeaderSize reads PNG and JPEG sizes from their headers", async () => {
  deepEqual(imageHeaderSize(await pngBytes(13, 9, 1)), { width: 13, height: 9 });
  deepEqual(imageHeaderSize(await jpegBytes(21, 5, 2)), { width: 21, height: 5 });
});

Deno.test("imageHeaderSize gives null for other bytes and for headers cut short", async () => {
  const png = await pngBytes(13, 9, 1);
  const jpg = await jpegBytes(21, 5, 2);
  equal(imageHeaderSize(png.subarray(0, 20)), null);
  equal(imageHeaderSize(jpg.subarray(0, 24)), null);
  equal(imageHeaderSize(new TextEncoder().encode("P5 3 2 255\n")), null);
  equal(imageHeaderSize(new Uint8Array(0)), null);
});

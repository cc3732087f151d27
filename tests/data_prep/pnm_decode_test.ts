import { deepEqual, equal, throws } from "node:assert/strict";
import { decodePnm } from "../../data_prep/pnm_decode.ts";
import { pgmBytes, randomPixels } from "./_fixtures.ts";

const text = (s: string) => new TextEncoder().encode(s);

Deno.test("decodePnm reads P2 with comments and rescales maxval", () => {
  const r = decodePnm(text("P2\n# a comment\n3 2 # trailing\n15\n0 15 5\n10 1 15\n"));
  deepEqual([r.width, r.height, r.channels], [3, 2, 1]);
  deepEqual([...r.data], [0, 255, 85, 170, 17, 255]);
});

Deno.test("decodePnm reads P5 8-bit and 16-bit big-endian", () => {
  const px = randomPixels(5 * 4, 3);
  deepEqual([...decodePnm(pgmBytes(5, 4, px)).data], [...px]);
  const head = text("P5 2 1 65535\n");
  const b = new Uint8Array(head.length + 4);
  b.set(head);
  b.set([0xff, 0xff, 0x80, 0x00], head.length);
  deepEqual([...decodePnm(b).data], [255, 128]);
});

Deno.test("decodePnm reads P3 and P6 as RGB", () => {
  const p3 = decodePnm(text("P3 2 1 255 1 2 3 4 5 6"));
  deepEqual([p3.channels, ...p3.data], [3, 1, 2, 3, 4, 5, 6]);
  const head = text("P6 1 1 255\n");
  const b = new Uint8Array(head.length + 3);
  b.set(head);
  b.set([9, 8, 7], head.length);
  deepEqual([...decodePnm(b).data], [9, 8, 7]);
});

Deno.test("decodePnm reads a real ORL face (92x112 P5)", async () => {
  const r = decodePnm(await Deno.readFile("data/att_faces/s1/1.pgm"));
  deepEqual([r.width, r.height, r.channels, r.data.length], [92, 112, 1, 92 * 112]);
});

Deno.test("decodePnm rejects bad headers and truncated data, naming the file", () => {
  throws(() => decodePnm(text("P7 1 1 255\n"), "a.pgm"), /a\.pgm: unsupported Netpbm type P7/);
  throws(() => decodePnm(text("P5 x 1 255\n"), "b.pgm"), /b\.pgm: bad P5 header, expected width/);
  throws(() => decodePnm(text("P5 0 1 255\n"), "c.pgm"), /c\.pgm: bad P5 header/);
  throws(() => decodePnm(text("P5 4 4 255\n\x01\x02"), "d.pgm"), /d\.pgm: truncated P5 data/);
  throws(() => decodePnm(text("P2 2 2 255 1 2 3"), "e.pgm"), /e\.pgm: truncated P2 data/);
  throws(() => decodePnm(text("GIF89a"), "f.pgm"), /not a PGM\/PPM/);
});

Deno.test("decodePnm keeps exactly one whitespace byte after maxval", () => {
  // A first pixel value of 10 (newline) must not be eaten as header whitespace.
  const r = decodePnm(pgmBytes(2, 1, new Uint8Array([10, 32])));
  equal(r.data[0], 10);
  equal(r.data[1], 32);
});

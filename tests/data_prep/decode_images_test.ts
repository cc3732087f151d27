import { deepEqual, equal, match, rejects } from "node:assert/strict";
import { decodeImages, type DecodeOutcome } from "../../data_prep/decode_images.ts";
import { jpegBytes, pgmBytes, pngBytes, randomPixels, tempDir, writeTree } from "./_fixtures.ts";

Deno.test("decodeImages with 2 workers matches the main thread, in order, bad files reported", async () => {
  const dir = await tempDir();
  const jpg = await jpegBytes(30, 20, 1);
  await writeTree(dir, {
    "0.jpg": jpg,
    "1.png": await pngBytes(17, 23, 2),
    "2.jpg": jpg.slice(0, 200),
    "3.pgm": pgmBytes(9, 7, randomPixels(63, 3)),
    "4.pgm": "P5 bad header",
    "5.png": await pngBytes(64, 64, 4),
  });
  const jobs = [0, 1, 2, 3, 4, 5].map((i) => ({
    path: `${dir}/${i}.${["jpg", "png", "jpg", "pgm", "pgm", "png"][i]}`,
    name: `${i}`,
  }));
  const run = async (workers: number) => {
    const got: [number, DecodeOutcome][] = [];
    await decodeImages(jobs, (i, r) => got.push([i, r]), {
      process: { size: { width: 8, height: 8 }, crop: null },
      workers,
    });
    return got;
  };
  const main = await run(0);
  const par = await run(2);
  deepEqual(par.map(([i]) => i), [0, 1, 2, 3, 4, 5]);
  deepEqual(par.map(([, r]) => r.ok), [true, true, false, true, false, true]);
  deepEqual(par, main);
  const r2 = par[2][1];
  if (!r2.ok) match(r2.reason, /Cannot decode 2: JPEG data is damaged/);
  const r0 = par[0][1];
  if (r0.ok) deepEqual([r0.image.sourceWidth, r0.image.width, r0.image.pixels.length], [30, 8, 64]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("decodeImages stops the workers and rejects when the consumer throws", async () => {
  const jobs = Array.from({ length: 6 }, (_, i) => ({
    path: `data/att_faces/s1/${i + 1}.pgm`,
    name: `${i}`,
  }));
  let seen = 0;
  await rejects(
    decodeImages(jobs, () => {
      if (++seen === 2) throw new Error("stop here");
    }, { process: { size: null, crop: null }, workers: 2 }),
    /stop here/,
  );
  equal(seen, 2);
});

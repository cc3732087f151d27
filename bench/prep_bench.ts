// deno task bench: JPEG decode + BT.601 gray + area resize, CelebA's 178x218 -> 64x64,
// on the main thread, one worker, and one worker per core. Images per second = 96 / time.
import { Image } from "imagescript";
import { decodeImages } from "../data_prep/decode_images.ts";
import { seededRandom } from "../factorize/seeded_random.ts";

const COUNT = 96;
const dir = await Deno.makeTempDir({ prefix: "facet-prep-bench-" });
const rand = seededRandom(7);
const jobs: { path: string; name: string }[] = [];
for (let k = 0; k < COUNT; k++) {
  // A face-sized color image with smooth structure and noise (JPEG quality 90, like CelebA's).
  const img = new Image(178, 218);
  const bm = img.bitmap;
  for (let y = 0; y < 218; y++) {
    for (let x = 0; x < 178; x++) {
      const i = (y * 178 + x) * 4;
      const r = Math.hypot(x - 89, y - 109) / 120;
      bm[i] = 255 * (1 - r) * (0.6 + 0.4 * Math.sin(k + x / 17));
      bm[i + 1] = 200 * (1 - r) + 30 * rand();
      bm[i + 2] = 120 + 60 * Math.cos(y / 23 + k) + 20 * rand();
      bm[i + 3] = 255;
    }
  }
  const path = `${dir}/${k}.jpg`;
  await Deno.writeFile(path, await img.encodeJPEG(90));
  jobs.push({ path, name: `${k}.jpg` });
}
const process = { size: { width: 64, height: 64 }, crop: null };
const cores = navigator.hardwareConcurrency;

async function run(workers: number) {
  let ok = 0;
  await decodeImages(jobs, (_, r) => ok += r.ok ? 1 : 0, { process, workers });
  if (ok !== COUNT) throw new Error(`decoded ${ok} of ${COUNT}`);
}

Deno.bench({
  name: `${COUNT} JPEGs 178x218 -> 64x64, main thread`,
  group: "prep",
  baseline: true,
  n: 3,
  warmup: 1,
  fn: async () => await run(0),
});
Deno.bench({
  name: `${COUNT} JPEGs 178x218 -> 64x64, 1 worker (incl. start-up)`,
  group: "prep",
  n: 3,
  warmup: 1,
  fn: async () => await run(1),
});
Deno.bench({
  name: `${COUNT} JPEGs 178x218 -> 64x64, ${cores} workers (incl. start-up)`,
  group: "prep",
  n: 3,
  warmup: 1,
  fn: async () => await run(cores),
});

globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

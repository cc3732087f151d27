import { deepEqual, equal, ok } from "node:assert/strict";
import { join } from "node:path";
import { cachedFeatures } from "../../data_prep/feature_cache.ts";
import type { FeatureExtractor } from "../../data_prep/inception_features.ts";

/** A stand-in network: one cell of the image's first byte and its size; counts its calls. */
function fakeNet(): FeatureExtractor & { calls: number } {
  const net = {
    layer: "fake",
    inputSize: 1,
    backend: "none",
    calls: 0,
    features(image: { width: number; height: number; data: ArrayLike<number> }) {
      net.calls++;
      const data = new Float32Array([image.data[0], image.width, image.height]);
      return Promise.resolve({ height: 1, width: 1, channels: 3, data });
    },
    dispose() {},
  };
  return net;
}

Deno.test("cachedFeatures: extracts each image once, skips what does not decode, recomputes a torn cache file", async () => {
  const dir = await Deno.makeTempDir();
  const bad = join(dir, "bad.png");
  await Deno.writeTextFile(bad, "not an image");
  const files = ["data/att_faces/s1/1.pgm", bad, "data/att_faces/s2/1.pgm"];
  const cacheDir = join(dir, "cache");
  const lines: string[] = [];
  const net = fakeNet();
  const first = await cachedFeatures(net, files, { cacheDir, log: (l) => lines.push(l) });
  deepEqual(first.files, [files[0], files[2]]);
  equal(first.skipped.length, 1);
  ok(/bad\.png: .*not a JPEG, PNG, BMP/.test(first.skipped[0].reason), first.skipped[0].reason);
  ok(
    lines.some((l) => /^Skipped .*bad\.png/.test(l)) &&
      lines.some((l) => /features \(fake\)/.test(l)),
  );
  deepEqual([net.calls, first.cached], [2, 0]);
  deepEqual(Array.from(first.maps[0].data.slice(1)), [92, 112]);
  const again = await cachedFeatures(net, files, { cacheDir, log: () => {} });
  deepEqual([net.calls, again.cached], [2, 2], "the second run reads the cache");
  deepEqual(again.maps.map((m) => Array.from(m.data)), first.maps.map((m) => Array.from(m.data)));
  // A cache file cut short (a crash mid-write cannot leave one, but a full disk can) is redone.
  const [torn] = [...Deno.readDirSync(cacheDir)].map((e) => e.name).filter((n) =>
    n.endsWith(".f32")
  );
  await Deno.writeFile(join(cacheDir, torn), new Uint8Array(7));
  const third = await cachedFeatures(net, files, { cacheDir, log: () => {} });
  deepEqual([net.calls, third.cached], [3, 1]);
  await Deno.remove(dir, { recursive: true });
});

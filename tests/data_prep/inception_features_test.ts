import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { decodeImage } from "../../data_prep/decode_image.ts";
import { openInceptionV3 } from "../../data_prep/inception_features.ts";

Deno.test("openInceptionV3: the blocks' grids and channels, relu'd, deterministic, any image size", async () => {
  const face = await decodeImage(await Deno.readFile("data/att_faces/s1/1.pgm"), "1.pgm");
  for (const [layer, shape] of [["mixed7", [17, 17, 768]], ["mixed2", [35, 35, 288]]] as const) {
    const net = await openInceptionV3({ layer });
    equal(net.inputSize, 299);
    equal(net.backend, "wasm");
    const a = await net.features(face);
    deepEqual([a.height, a.width, a.channels], shape);
    ok(a.data.every((v) => v >= 0), "activations after relu");
    ok(a.data.some((v) => v > 0), "not all zero");
    const b = await net.features(face);
    deepEqual(b.data, a.data, "the same image gives the same features");
    const rgb = { width: 5, height: 3, channels: 4 as const, data: new Uint8Array(60).fill(90) };
    equal((await net.features(rgb)).data.length, a.data.length, "a tiny RGBA image is resized");
    net.dispose();
  }
  await rejects(
    openInceptionV3({ layer: "conv5" }),
    /Layer conv5 is not an InceptionV3 block: use one of mixed0/,
  );
});

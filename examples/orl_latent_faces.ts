// The classic parts-based picture: 20-component NMF of the ORL faces, basis images in a grid.
// deno run -A examples/orl_latent_faces.ts [out.png]
import { fileURLToPath } from "node:url";
import { encodePng, Gpu, imageGrid, nmf, openDataset, prepDataset } from "../mod.ts";

const out = Deno.args[0] ?? "orl_latent_faces.png";
const faces = fileURLToPath(new URL("../data/att_faces", import.meta.url));
const cache = await Deno.makeTempDir({ prefix: "facet-orl-" });
// Half the original 92x112, so the parts stay recognizable.
await prepDataset(faces, { out: cache, size: { width: 46, height: 56 }, log: null });
const ds = await openDataset(cache, { log: null });
const gpu = await Gpu.create();
const t0 = performance.now();
const fit = await nmf(gpu, { data: ds.rawRows(0, ds.n), d: ds.d, n: ds.n, samplesAsRows: true }, {
  rank: 20,
  solver: "mu",
  maxIter: 400,
  tol: 1e-5,
});
console.log(
  `NMF k=20 on ${ds.n} faces of ${ds.width}x${ds.height}: ${fit.nIter} iterations, ` +
    `error ${fit.loss.at(-1)!.toFixed(2)}, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
const grid = imageGrid(fit.factors.W, { height: ds.height, width: ds.width, columns: 5, scale: 2 });
await Deno.writeFile(out, await encodePng(grid));
console.log(`Wrote ${out}`);
ds.close();
gpu.destroy();
await Deno.remove(cache, { recursive: true });

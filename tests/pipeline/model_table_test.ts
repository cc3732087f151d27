import { deepEqual, equal, ok } from "node:assert/strict";
import { deepSemiNmf } from "../../factorize/deep_semi_nmf.ts";
import { gnmf } from "../../factorize/gnmf.ts";
import { sampleGraph } from "../../factorize/sample_graph.ts";
import { randomArray, seededNormal, seededRandom } from "../../factorize/seeded_random.ts";
import { fitWithCheckpoints } from "../../pipeline/fit_with_checkpoints.ts";
import { deepLayers, modelEntry, MODELS } from "../../pipeline/model_table.ts";
import { resolveTrainConfig } from "../../pipeline/train_config.ts";
import { assertClose, refGemm, testGpu } from "../_reference.ts";

const [n, d] = [40, 30];
const rand = seededRandom(9);
const data = randomArray(rand, n * d, 0, 1);
const input = { data, d, n, samplesAsRows: true };
const labels = Int32Array.from({ length: n }, (_, i) => i % 4);

function ctx(gpu: Awaited<ReturnType<typeof testGpu>>, values: Record<string, unknown>) {
  const config = resolveTrainConfig([{
    source: "cli",
    values: { data: "-", maxIter: 40, tol: 0, checkpointEvery: 20, ...values },
  }]);
  return { gpu, input, config, labelCodes: () => labels };
}

Deno.test("model table: every model of the train task has an entry", () => {
  deepEqual(Object.keys(MODELS).sort(), ["deep-semi-nmf", "deep-wsf", "gnmf", "nmf", "semi-nmf"]);
});

Deno.test("model table: deep-semi-nmf in 10-iteration stretches is one long fit", async () => {
  const gpu = await testGpu();
  const dir = await Deno.makeTempDir();
  const c = { model: "deep-semi-nmf", layers: "8,4", pretrainMaxIter: 30 };
  const fit = await fitWithCheckpoints(modelEntry("deep-semi-nmf"), ctx(gpu, c), {
    factorsDir: dir,
    start: null,
  });
  const whole = await deepSemiNmf(gpu, input, {
    layers: [8, 4],
    normalize: false,
    pretrainMaxIter: 30,
    maxIter: 40,
    tol: 0,
  });
  deepEqual(fit.state.lossIterations, whole.lossIterations);
  deepEqual(fit.state.loss, whole.loss, "loss history");
  deepEqual(fit.factors.H2.data, whole.factors.H[1].data, "H2, bit for bit");
  ok(fit.state.messages[0].startsWith("Pretraining layer 1/2: 30 iterations"));
  deepEqual(Object.keys(fit.factors).sort(), ["H1", "H2", "Z1", "Z2"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("model table: gnmf in stretches is one fit on the same kNN graph; evaluated scaled", async () => {
  const gpu = await testGpu();
  const dir = await Deno.makeTempDir();
  const fit = await fitWithCheckpoints(modelEntry("gnmf"), ctx(gpu, { model: "gnmf", rank: 4 }), {
    factorsDir: dir,
    start: null,
  });
  const graph = await sampleGraph(gpu, input, { k: 5 });
  const whole = await gnmf(gpu, input, { rank: 4, graph, alpha: 100, maxIter: 40, tol: 0 });
  deepEqual(fit.state.lossIterations, whole.lossIterations);
  deepEqual(fit.state.loss, whole.loss);
  // The stored state is the unscaled fit; evaluation sees Cai's scaling, as gnmf returns it.
  const [layer] = await modelEntry("gnmf").layers(gpu, fit.factors, ctx(gpu, {}).config);
  deepEqual(layer.basis.data, whole.factors.W.data);
  deepEqual(layer.codes.data, whole.factors.H.data);
  await Deno.remove(dir, { recursive: true });
});

/** Random Z1 (7 x 5), Z2 (5 x 3), Z3 (3 x 2) and H1..H3 of 4 samples. */
function deepFactors() {
  const normal = seededNormal(rand);
  const m = (r: number, c: number) => ({
    rows: r,
    cols: c,
    data: Float32Array.from({ length: r * c }, normal),
  });
  return { Z1: m(7, 5), Z2: m(5, 3), Z3: m(3, 2), H1: m(5, 4), H2: m(3, 4), H3: m(2, 4) };
}

Deno.test("deepLayers: layer i has basis Z1⋯Zi and codes Hi", async () => {
  const gpu = await testGpu();
  const f = deepFactors();
  const layers = await deepLayers(gpu, f);
  deepEqual(layers.map((l) => [l.name, l.basisName]), [
    ["H1", "Z1"],
    ["H2", "Z1Z2"],
    ["H3", "Z1Z2Z3"],
  ]);
  const z12 = refGemm(f.Z1.data, f.Z2.data, 7, 5, 3);
  assertClose(layers[1].basis.data, z12, 1e-5, "Z1Z2");
  assertClose(
    layers[2].basis.data,
    refGemm(Float32Array.from(z12), f.Z3.data, 7, 3, 2),
    1e-5,
    "Z1Z2Z3",
  );
  equal(layers[2].codes, f.H3);
});

Deno.test("deepLayers with relu: layer i decodes Z₁ relu(⋯ relu(Z_i H_i)); its basis is the decoded unit codes", async () => {
  const gpu = await testGpu();
  const f = deepFactors();
  const layers = await deepLayers(gpu, f, "relu");
  deepEqual(layers.map((l) => [l.name, !!l.decode]), [["H1", false], ["H2", true], ["H3", true]]);
  const relu = (v: Float64Array) => v.map((x) => Math.max(x, 0));
  const decode3 = (h: Float32Array, cols: number) => {
    const h2 = relu(refGemm(f.Z3.data, h, 3, 2, cols));
    const h1 = relu(refGemm(f.Z2.data, Float32Array.from(h2), 5, 3, cols));
    return refGemm(f.Z1.data, Float32Array.from(h1), 7, 5, cols);
  };
  assertClose((await layers[2].decode!(f.H3, {})).data, decode3(f.H3.data, 4), 1e-5, "X̂ of H3");
  assertClose(layers[2].basis.data, decode3(new Float32Array([1, 0, 0, 1]), 2), 1e-5, "basis");
  const rows = await layers[2].decode!(f.H3, { samplesAsRows: true });
  deepEqual([rows.rows, rows.cols], [4, 7]);
});

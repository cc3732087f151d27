/**
 * Deep Semi-NMF (Trigeorgis, Bousmalis, Zafeiriou & Schuller, "A Deep Semi-NMF
 * Model for Learning Hidden Representations", ICML 2014) and its weakly supervised
 * form Deep WSF ("A Deep Matrix Factorization Method for Learning Attribute
 * Representations", TPAMI 2017): X (d x n, any sign) ≈ Z₁ Z₂ ⋯ Z_m H_m with
 * Z₁ (d x k₁), Z_i (k_{i−1} x k_i) unconstrained and every layer's H_i (k_i x n)
 * >= 0, H_i ≈ Z_{i+1} ⋯ Z_m H_m, following the authors' MATLAB (deep_seminmf.m,
 * apriori/ssdeep_seminmf.m).
 *
 * @module
 */

import type { Gpu } from "../gpu/gpu.ts";
import { GpuCsr } from "../gpu/gpu_csr.ts";
import { GpuMatrix } from "../gpu/gpu_matrix.ts";
import { checkGraph } from "./check_graph.ts";
import { checkInput } from "./check_input.ts";
import type { DataInput } from "./data_matrix.ts";
import { deepFineTuneStepper, type DeepLayer } from "./deep_fine_tune.ts";
import { deepPretrain, type PretrainReport } from "./deep_pretrain.ts";
import { deepGradientStepper, recordForward } from "./deep_gradient.ts";
import {
  type Activation,
  type DeepSemiNmfOptions,
  type ResolvedDeepSemiNmfOptions,
  resolveDeepSemiNmfOptions,
} from "./deep_semi_nmf_options.ts";
import type { FactorizationResult, HostMatrix } from "./factorization_result.ts";
import { Fit, type FitModel, runToEnd } from "./fit.ts";
import { NmfProblem } from "./nmf_problem.ts";
import { normalizeColumns } from "./normalize_columns.ts";
import { OptionError } from "./option_schema.ts";

/** The layers of a fitted deep model. */
export interface DeepFactors {
  /** Z₁ (d x k₁), Z₂ (k₁ x k₂), …, Z_m (k_{m−1} x k_m); any sign. */
  Z: HostMatrix[];
  /** H₁ (k₁ x n), …, H_m (k_m x n); non-negative. H_m is the deepest representation. */
  H: HostMatrix[];
  /** Whether the samples were scaled to unit L2 norm before the fit (transform does the same). */
  normalized: boolean;
  /** g between the layers: H_i = g(Z_{i+1} H_{i+1}); "linear" for the authors' MATLAB model. */
  activation?: Activation;
}

/** The result of {@linkcode deepSemiNmf}: fine-tuning's loop report plus pretraining's. */
export interface DeepSemiNmfResult extends FactorizationResult<DeepFactors> {
  /** One report per layer. */
  pretraining: PretrainReport[];
}

function _checkShape(name: string, m: HostMatrix, rows: number, cols: number): void {
  if (m?.rows !== rows || m.cols !== cols || m.data?.length !== rows * cols) {
    throw new OptionError(`Option ${name} must be ${rows} x ${cols} for init "custom"`);
  }
}

/** The authors' MATLAB fine-tuning sweeps of the linear model. */
function _muModel(
  problem: NmfProblem,
  layers: DeepLayer[],
  o: ResolvedDeepSemiNmfOptions,
  free: () => void,
): FitModel {
  const { stepper, dispose } = deepFineTuneStepper(problem, layers, o.ridge);
  const state: Record<string, GpuMatrix> = {};
  layers.forEach((l, i) => state[`Z${i + 1}`] = l.z);
  layers.forEach((l, i) => state[`H${i + 1}`] = l.h);
  return {
    name: "deep-semi-nmf",
    state,
    ...stepper,
    extra: problem.lossState(),
    dispose() {
      dispose();
      free();
    },
  };
}

/**
 * Adam on the (non-linear) model of the authors' dsnmf.py, from the layers'
 * start: H̃ = H_m, then the codes of the layers below from the forward pass.
 */
function _adamModel(
  problem: NmfProblem,
  layers: DeepLayer[],
  o: ResolvedDeepSemiNmfOptions,
  started: boolean,
  free: () => void,
): FitModel {
  const gpu = problem.gpu;
  const m = layers.length;
  const top = layers[m - 1].h;
  // H̃ starts as H_m (>= 0, so relu(H̃) = H_m); a restored snapshot overwrites it.
  const hFree = o.nonnegative === "relu" ? top.clone() : null;
  const model = {
    layers: layers.map((l, i) => ({
      ...l,
      pre: i < m - 1 ? GpuMatrix.empty(gpu, l.h.rows, l.h.cols) : null,
    })),
    activation: o.activation,
    free: hFree,
  };
  if (started) recordForward(model);
  const { stepper, state, extra, dispose } = deepGradientStepper(problem, model, {
    ...o,
    batch: o.batchSize ? { size: o.batchSize, seed: o.seed } : null,
  });
  return {
    name: `deep-semi-nmf/adam/${o.activation}/${o.nonnegative}`,
    state,
    ...stepper,
    extra,
    dispose() {
      dispose();
      for (const l of model.layers) l.pre?.dispose();
      hFree?.dispose();
      free();
    },
  };
}

async function _open(
  gpu: Gpu,
  input: DataInput,
  options: DeepSemiNmfOptions,
): Promise<{ fit: Fit<DeepFactors>; pretraining: PretrainReport[] }> {
  const o = resolveDeepSemiNmfOptions(options);
  const m = o.layers.length;
  const n = input?.n;
  o.graphs.forEach((g, i) => checkGraph(`graphs[${i}]`, g, n));
  const custom = o.init === "custom" && !o.from;
  checkInput(input, { rank: o.layers[0], allowNegative: true });
  if (custom) {
    const sizes = [input.d, ...o.layers];
    o.Z!.forEach((z, i) => _checkShape(`Z[${i}]`, z, sizes[i], sizes[i + 1]));
    o.H!.forEach((h, i) => _checkShape(`H[${i}]`, h, sizes[i + 1], n));
  }
  const data = o.normalize ? normalizeColumns(input) : input;
  const pre = o.from || custom ? null : await deepPretrain(gpu, data, o);
  const start = custom ? { Z: o.Z!, H: o.H! } : pre;
  const problem = await NmfProblem.create(gpu, data);
  const layers: DeepLayer[] = [];
  const free = () => {
    for (const l of layers) [l.z, l.h, l.graph].forEach((g) => g?.dispose());
    problem.dispose();
  };
  try {
    for (let i = 0; i < m; i++) {
      const [rows, k] = [i === 0 ? problem.d : o.layers[i - 1], o.layers[i]];
      const csr = o.graphs[i] ? GpuCsr.fromGraph(gpu, o.graphs[i]!) : null;
      layers.push({
        z: start
          ? GpuMatrix.fromArray(gpu, rows, k, start.Z[i].data)
          : GpuMatrix.empty(gpu, rows, k),
        h: start
          ? GpuMatrix.fromArray(gpu, k, problem.n, start.H[i].data)
          : GpuMatrix.empty(gpu, k, problem.n),
        graph: csr,
        lambda: o.lambdas[i],
      });
    }
  } catch (e) {
    free();
    throw e;
  }
  const model = o.optimizer === "adam"
    ? _adamModel(problem, layers, o, start !== null, free)
    : _muModel(problem, layers, o, free);
  const fit = await Fit.open(model, {
    maxIter: o.maxIter,
    tol: o.tol,
    checkEvery: o.checkEvery,
    patience: o.patience ?? (o.optimizer === "adam" ? 10 : 1),
    from: o.from,
    messages: pre?.messages,
    output: (s) => ({
      Z: layers.map((_, i) => s[`Z${i + 1}`]),
      H: layers.map((_, i) => s[`H${i + 1}`]),
      normalized: o.normalize,
      activation: o.activation,
    }),
  });
  return { fit, pretraining: pre?.reports ?? [] };
}

/**
 * Opens a resumable Deep Semi-NMF / Deep WSF fit (see {@linkcode deepSemiNmf}):
 * pretrains every layer (unless `init` is "custom" or `from` restores a
 * snapshot) and returns the {@linkcode Fit} whose iterations are fine-tuning
 * sweeps. Its state is Z1…Zm, H1…Hm.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { randomArray, seededRandom } from "./seeded_random.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = { data: randomArray(seededRandom(1), 30 * 20, -1, 1), d: 30, n: 20 };
 * const options = { layers: [6, 3], pretrainMaxIter: 20, maxIter: 20 };
 * const fit = await openDeepSemiNmfFit(gpu, x, options); // pretrains both layers
 * await fit.run(10);
 * const snapshot = await fit.snapshot(); // Z1, Z2, H1, H2 and the loss history
 * fit.close();
 * // reopened from a snapshot, it skips pretraining
 * const resumed = await openDeepSemiNmfFit(gpu, x, { ...options, from: snapshot });
 * await resumed.run();
 * const { H } = await resumed.factors();
 * console.log(H.map((h) => `${h.rows} x ${h.cols}`)); // ["6 x 20", "3 x 20"]
 * resumed.close();
 * gpu.destroy();
 * ```
 */
export async function openDeepSemiNmfFit(
  gpu: Gpu,
  input: DataInput,
  options: DeepSemiNmfOptions,
): Promise<Fit<DeepFactors>> {
  return (await _open(gpu, input, options)).fit;
}

/**
 * Fits Deep Semi-NMF, or Deep WSF when `graphs` are given, minimizing
 * ‖X − Z₁ ⋯ Z_m H_m‖²_F + Σ_i λ_i tr(H_i L_i H_iᵀ) (L_i = D_i − W_i of layer i's
 * graph). Pretraining: layer by layer, semi-NMF (with the layer's graph term) of X
 * into Z₁H₁, of H₁ into Z₂H₂, …, from Ding et al.'s k-means init (or NNDSVD, option
 * `pretrainInit`). Fine-tuning:
 * sweeps Z_i = Ψ_{i−1}⁺ X H̃_i⁺ and
 * H_i ← H_i ⊙ sqrt(([Ψ_iᵀX]⁺ + [Ψ_iᵀΨ_i]⁻H_i + λ_i H_i W_i) / ([Ψ_iᵀX]⁻ + [Ψ_iᵀΨ_i]⁺H_i + λ_i H_i D_i))
 * for i = 1..m (Trigeorgis et al., ICML 2014 / TPAMI 2017), all on the GPU, k x k
 * solves included (no readback inside a sweep). `loss` is sqrt of the cost (‖X − Ψ_m H_m‖_F without graphs), at
 * iteration 0 (after pretraining) and every `checkEvery`; it never rises without
 * graphs, while graph terms on layers below the last may make it rise a little (the
 * H_i updates of those layers also fit X ≈ Ψ_i H_i, which is not in the cost).
 * {@linkcode openDeepSemiNmfFit} gives the same fit as a resumable object.
 *
 * @example
 * ```ts
 * import { Gpu } from "../gpu/gpu.ts";
 * import { randomArray, seededRandom } from "./seeded_random.ts";
 * const gpu = await Gpu.create({ log: null });
 * const x = { data: randomArray(seededRandom(1), 30 * 20, -1, 1), d: 30, n: 20 };
 * const r = await deepSemiNmf(gpu, x, { layers: [6, 3], pretrainMaxIter: 20, maxIter: 20 });
 * const features = r.factors.H[1]; // 3 x 20, the deepest layer
 * console.log(features.rows, features.cols, r.pretraining.length); // 3 20 2
 * gpu.destroy();
 * ```
 */
export async function deepSemiNmf(
  gpu: Gpu,
  input: DataInput,
  options: DeepSemiNmfOptions,
): Promise<DeepSemiNmfResult> {
  const { fit, pretraining } = await _open(gpu, input, options);
  return { ...await runToEnd(Promise.resolve(fit)), pretraining };
}

/**
 * The training configuration: schema with defaults, the merge of a JSON config
 * file and command-line flags (flags win), and validation whose errors name
 * the option and where it came from. The resolved config is what a run writes
 * to its config.json.
 *
 * @module
 */

/** Models the train task fits. */
export type ModelName = "nmf" | "semi-nmf" | "deep-semi-nmf" | "deep-wsf" | "gnmf";
/** Solver names of the task: kl = MU with the KL loss, hals = coordinate descent. */
export type SolverName = "mu" | "kl" | "hals" | "pgd" | "als";

/** Every option of a training run, resolved. */
export interface TrainConfig {
  /** Dataset folder written by `deno task prep`. */
  data: string;
  /** Model. Default "nmf". */
  model: ModelName;
  /** NMF solver. Default "mu". */
  solver: SolverName;
  /** Components of a one-layer model (nmf, semi-nmf, gnmf). Default 40. */
  rank: number;
  /** Layer sizes of a deep model, first to last. Default [128, 40]. */
  layers: number[];
  /**
   * Label column of each layer's graph (deep-wsf: one per layer, "none" for a layer
   * without a graph), or of GNMF's graph (empty: the unsupervised 5-NN graph).
   */
  graph: string[];
  /**
   * Graph weight per layer (deep-wsf: one value per layer or one for all, default 1e-3)
   * or GNMF's alpha (default 100).
   */
  lambda: number[];
  /**
   * Build the graphs (deep-wsf, gnmf) on the samples projected to this many dimensions by a
   * truncated randomized SVD, d / graphReduce times cheaper at CelebA scale; null = all d.
   */
  graphReduce: number | null;
  /** Most iterations (fine-tuning iterations of a deep model). Default 200. */
  iters: number;
  /** Pretraining iterations per layer of a deep model. Default 100. */
  pretrainIters: number;
  /** scikit-learn's tolerance rule, checked every 10 iterations. Default 1e-4. */
  tol: number;
  /** Seed of the init, the split and k-means. Default 0. */
  seed: number;
  /**
   * Initialization (NMF: random, nndsvd, nndsvda, nndsvdar; semi-NMF: kmeans, random; GNMF:
   * random, nndsvda; deep models pretrain and take none); null = the solver's default.
   */
  init: string | null;
  /** Write the factors every this many iterations (a multiple of 10). Default 50. */
  checkpointEvery: number;
  /** Folder under which the run folder is made. Default "runs". */
  out: string;
  /** Label column for clustering (k = its classes); null = the first label column; "none" skips. */
  clusterLabel: string | null;
  /** Label columns to probe; null = every label column of the dataset. */
  probeLabels: string[] | null;
  /** Test share of the seeded stratified split used when the dataset has no partitions. Default 0.3. */
  testFraction: number;
  /** Inverse regularization C of the logistic probes. Default 1. */
  probeC: number;
  /** Most training samples per probe (a seeded subset beyond it). Default 5000. */
  probeMaxTrain: number;
  /** Probe raw pixels on the same split as a baseline. Default true. */
  rawPixelProbe: boolean;
  /** k-means replicates. Default 10. */
  kmeansReplicates: number;
}

/** A bad option; the message names it and where it came from. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const MODELS: readonly ModelName[] = ["nmf", "semi-nmf", "deep-semi-nmf", "deep-wsf", "gnmf"];
const SOLVERS: readonly SolverName[] = ["mu", "kl", "hals", "pgd", "als"];

/** Defaults of every option but `data`. */
export const TRAIN_DEFAULTS: Omit<TrainConfig, "data"> = {
  model: "nmf",
  solver: "mu",
  rank: 40,
  layers: [128, 40],
  graph: [],
  lambda: [],
  graphReduce: null,
  iters: 200,
  pretrainIters: 100,
  tol: 1e-4,
  seed: 0,
  init: null,
  checkpointEvery: 50,
  out: "runs",
  clusterLabel: null,
  probeLabels: null,
  testFraction: 0.3,
  probeC: 1,
  probeMaxTrain: 5000,
  rawPixelProbe: true,
  kmeansReplicates: 10,
};

type _Check = (v: unknown, where: string) => unknown;

function _num(v: unknown, where: string): number {
  const x = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  if (typeof x !== "number" || !Number.isFinite(x)) {
    throw new ConfigError(`${where} must be a number, got ${JSON.stringify(v)}`);
  }
  return x;
}

function _int(min: number): _Check {
  return (v, where) => {
    const x = _num(v, where);
    if (!Number.isInteger(x) || x < min) {
      throw new ConfigError(`${where} must be a whole number >= ${min}, got ${JSON.stringify(v)}`);
    }
    return x;
  };
}

function _range(lo: number, hi: number, open: boolean): _Check {
  return (v, where) => {
    const x = _num(v, where);
    if (x < lo || x > hi || (open && (x === lo || x === hi))) {
      const r = open ? `between ${lo} and ${hi} (exclusive)` : `in [${lo}, ${hi}]`;
      throw new ConfigError(`${where} must be a number ${r}, got ${JSON.stringify(v)}`);
    }
    return x;
  };
}

function _positive(v: unknown, where: string): number {
  const x = _num(v, where);
  if (!(x > 0)) throw new ConfigError(`${where} must be > 0, got ${JSON.stringify(v)}`);
  return x;
}

function _oneOf(allowed: readonly string[]): _Check {
  return (v, where) => {
    if (typeof v !== "string" || !allowed.includes(v)) {
      throw new ConfigError(
        `${where} must be one of ${allowed.join(", ")}, got ${JSON.stringify(v)}`,
      );
    }
    return v;
  };
}

function _string(v: unknown, where: string): string {
  if (typeof v !== "string" || v === "") {
    throw new ConfigError(`${where} must be a non-empty string, got ${JSON.stringify(v)}`);
  }
  return v;
}

function _nullable(check: _Check): _Check {
  return (v, where) => v === null ? null : check(v, where);
}

function _list(item: _Check): _Check {
  return (v, where) => {
    const items = typeof v === "string"
      ? (v.trim() === "" ? [] : v.split(","))
      : typeof v === "number"
      ? [v]
      : v;
    if (!Array.isArray(items)) {
      throw new ConfigError(`${where} must be a list (comma-separated), got ${JSON.stringify(v)}`);
    }
    return items.map((x, i) =>
      item(typeof x === "string" ? x.trim() : x, `${where} item ${i + 1}`)
    );
  };
}

function _bool(v: unknown, where: string): boolean {
  if (v === true || v === "true") return true;
  if (v === false || v === "false") return false;
  throw new ConfigError(`${where} must be true or false, got ${JSON.stringify(v)}`);
}

const CHECKS: Record<keyof TrainConfig, _Check> = {
  data: _string,
  model: _oneOf(MODELS),
  solver: _oneOf(SOLVERS),
  rank: _int(1),
  layers: _list(_int(1)),
  graph: _list(_string),
  lambda: _list((v, w) => _range(0, Infinity, false)(v, w)),
  graphReduce: _nullable(_int(1)),
  iters: _int(0),
  pretrainIters: _int(0),
  tol: _range(0, Infinity, false),
  seed: (v, w) => {
    const x = _int(0)(v, w) as number;
    if (x > 2 ** 32 - 1) throw new ConfigError(`${w} must be below 2^32, got ${x}`);
    return x;
  },
  init: _nullable(_oneOf(["random", "nndsvd", "nndsvda", "nndsvdar", "kmeans"])),
  checkpointEvery: (v, w) => {
    const x = _int(10)(v, w) as number;
    if (x % 10 !== 0) throw new ConfigError(`${w} must be a multiple of 10, got ${x}`);
    return x;
  },
  out: _string,
  clusterLabel: _nullable(_string),
  probeLabels: _nullable(_list(_string)),
  testFraction: _range(0, 1, true),
  probeC: _positive,
  probeMaxTrain: _int(2),
  rawPixelProbe: _bool,
  kmeansReplicates: _int(1),
};

/** The inits each model takes (deep models pretrain layer by layer instead). */
const INITS: Record<ModelName, readonly string[]> = {
  nmf: ["random", "nndsvd", "nndsvda", "nndsvdar"],
  "semi-nmf": ["kmeans", "random"],
  gnmf: ["random", "nndsvda"],
  "deep-semi-nmf": [],
  "deep-wsf": [],
};

/** The rules between options of one model; fills deep-wsf's and GNMF's lambda defaults. */
function _checkModelOptions(c: TrainConfig): void {
  const deep = c.model === "deep-semi-nmf" || c.model === "deep-wsf";
  if (c.model === "gnmf") {
    if (c.graph.length > 1) throw new ConfigError("--graph takes one label column for gnmf");
    if (c.graph[0] === "none") {
      throw new ConfigError('--graph "none" is not a GNMF graph; leave it out for the kNN graph');
    }
    if (c.lambda.length > 1) throw new ConfigError("--lambda takes one value (alpha) for gnmf");
    if (c.lambda.length === 0) c.lambda = [100];
  }
  if (c.model === "deep-wsf") {
    const m = c.layers.length;
    if (c.graph.length !== m || c.graph.every((g) => g === "none")) {
      throw new ConfigError(
        `--graph must name one label column per layer (${m}; "none" for a layer without a ` +
          `graph, at least one column) for deep-wsf, got ${c.graph.length}: ${
            c.graph.join(",") || "none given"
          }`,
      );
    }
    if (c.lambda.length === 0) c.lambda = [1e-3];
    if (c.lambda.length === 1) c.lambda = c.graph.map(() => c.lambda[0]);
    if (c.lambda.length !== m) {
      throw new ConfigError(`--lambda has ${c.lambda.length} values for ${m} layers`);
    }
  }
  if (!deep && c.model !== "gnmf" && (c.graph.length > 0 || c.lambda.length > 0)) {
    throw new ConfigError(`--graph and --lambda apply to deep-wsf and gnmf, not ${c.model}`);
  }
  if (c.model === "deep-semi-nmf" && (c.graph.length > 0 || c.lambda.length > 0)) {
    throw new ConfigError(
      "--graph and --lambda apply to deep-wsf and gnmf, not deep-semi-nmf (use deep-wsf)",
    );
  }
  if (deep) {
    if (c.layers.length === 0) {
      throw new ConfigError(`--layers must list the layer sizes for ${c.model}, e.g. 128,40`);
    }
    const grows = c.layers.findIndex((k, i) => i > 0 && k > c.layers[i - 1]);
    if (grows > 0) {
      throw new ConfigError(
        `--layers must not grow (first to last), got ${c.layers.join(",")} for ${c.model}`,
      );
    }
  }
  if (c.init !== null && !INITS[c.model].includes(c.init)) {
    throw new ConfigError(
      INITS[c.model].length
        ? `--init must be one of ${INITS[c.model].join(", ")} for ${c.model}, got "${c.init}"`
        : `--init does not apply to ${c.model} (it pretrains layer by layer)`,
    );
  }
  if (c.model !== "nmf" && c.solver !== "mu") {
    throw new ConfigError(`--solver applies to nmf only, got ${c.solver} for ${c.model}`);
  }
}

/** The keys of {@linkcode TrainConfig}. */
export const TRAIN_KEYS = Object.keys(CHECKS) as (keyof TrainConfig)[];

/** The command-line flag of a config key: `checkpointEvery` -> `--checkpoint-every`. */
export function flagName(key: string): string {
  return "--" + key.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
}

/** A source of option values: a config file (named by its path) or the command line. */
export interface ConfigLayer {
  /** "cli" for flags (values may be strings), else the file name used in messages. */
  source: string;
  /** Option values by config key. */
  values: Record<string, unknown>;
}

/**
 * Merges `layers` over the defaults (later layers win, so pass the config file
 * first and the command line last), checks every value and fills the model's
 * defaults (GNMF's lambda is its alpha, 100). Throws a ConfigError naming the
 * option (`--rank` for flags, `"rank" in cfg.json` for files), unknown keys too.
 *
 * @example
 * ```ts
 * const c = resolveTrainConfig([
 *   { source: "cfg.json", values: { model: "nmf", rank: 20 } },
 *   { source: "cli", values: { data: "runs/orl", rank: "30" } },
 * ]);
 * console.log(c.model, c.rank); // nmf 30: the command line wins
 * ```
 */
export function resolveTrainConfig(layers: ConfigLayer[]): TrainConfig {
  const merged: Record<string, { value: unknown; where: string }> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer.values)) {
      const where = layer.source === "cli" ? flagName(key) : `"${key}" in ${layer.source}`;
      if (!(key in CHECKS)) {
        throw new ConfigError(
          layer.source === "cli"
            ? `Unknown option ${where}`
            : `Unknown option "${key}" in ${layer.source} (known: ${TRAIN_KEYS.join(", ")})`,
        );
      }
      if (value !== undefined) merged[key] = { value, where };
    }
  }
  if (!merged.data) throw new ConfigError("--data <dataset dir> is required (or data in --config)");
  const out: Record<string, unknown> = { ...TRAIN_DEFAULTS };
  for (const key of TRAIN_KEYS) {
    if (merged[key]) out[key] = CHECKS[key](merged[key].value, merged[key].where);
  }
  const c = out as unknown as TrainConfig;
  _checkModelOptions(c);
  return c;
}

/**
 * Reads a JSON config file (an object of config keys); throws a ConfigError
 * naming the file when it is missing or not a JSON object.
 *
 * @example
 * ```ts
 * const path = await Deno.makeTempFile({ suffix: ".json" });
 * await Deno.writeTextFile(path, '{ "model": "gnmf", "rank": 20 }');
 * const values = await readConfigFile(path);
 * const cli = { source: "cli", values: { data: "ds" } };
 * const c = resolveTrainConfig([{ source: path, values }, cli]); // the file first, flags last
 * console.log(c.model, c.rank, c.lambda); // gnmf 20 [100]: GNMF's default alpha
 * await Deno.remove(path);
 * ```
 */
export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new ConfigError(`Cannot read config file ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`Config file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new ConfigError(`Config file ${path} must hold a JSON object of options`);
  }
  return json as Record<string, unknown>;
}

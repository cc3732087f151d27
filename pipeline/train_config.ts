/**
 * The training configuration: the run's own options and each model's, which are
 * the library's schemas under the library's names (one table below says where a
 * run differs), merged from a JSON config file and command-line flags (flags
 * win) and checked with messages that name the option and where it came from.
 * The resolved config is what a run writes to its config.json.
 *
 * @module
 */

import {
  DEEP_SEMI_NMF_OPTIONS,
  type DeepSemiNmfOptions,
  resolveDeepSemiNmfOptions,
} from "../factorize/deep_semi_nmf_options.ts";
import { GNMF_OPTIONS } from "../factorize/gnmf.ts";
import { NMF_OPTIONS, type NmfOptions, resolveNmfOptions } from "../factorize/nmf_options.ts";
import {
  OptionError,
  type OptionSchema,
  type OptionSpec,
  type ResolvedOf,
  resolveOptions,
} from "../factorize/option_schema.ts";
import { SEMI_NMF_OPTIONS } from "../factorize/semi_nmf.ts";

/** Models the train task fits. */
export const MODEL_NAMES = ["nmf", "semi-nmf", "deep-semi-nmf", "deep-wsf", "gnmf"] as const;
/** A model the train task fits. */
export type ModelName = typeof MODEL_NAMES[number];

/** The options of a run besides its model's. */
export const RUN_OPTIONS = {
  data: { type: "string", required: true, doc: "Dataset folder written by deno task prep." },
  model: { type: "string", oneOf: MODEL_NAMES, default: "nmf", doc: "The model to fit." },
  seed: {
    type: "integer",
    min: 0,
    max: 2 ** 32 - 1,
    default: 0,
    doc: "Seed of the init, the train/test split and k-means.",
  },
  normalize: {
    type: "string",
    oneOf: ["none", "l2"],
    default: "none",
    doc: "l2: fit every sample scaled to unit L2 norm (the Deep Semi-NMF notebook, Cai's " +
      "NormalizeFea); reconstructions are scored after multiplying back each sample's norm.",
  },
  checkpointEvery: {
    type: "integer",
    min: 10,
    default: 50,
    doc: "Write the fit's whole state every this many iterations (a multiple of 10).",
  },
  out: { type: "string", default: "runs", doc: "Folder the run folder is made in." },
  clusterLabel: {
    type: "string",
    nullable: true,
    default: null,
    doc: "Label column to cluster by (k = its classes); null: the identity or class column " +
      'when its classes average 5 samples or more, else none; "none" skips.',
  },
  probeLabels: {
    type: "string[]",
    nullable: true,
    default: null,
    doc: "Label columns to probe; null: every label column.",
  },
  testFraction: {
    type: "number",
    min: 0,
    max: 1,
    exclusive: true,
    default: 0.3,
    doc: "Test share of the seeded stratified split when the dataset has no partitions.",
  },
  probeC: {
    type: "number",
    min: 0,
    exclusive: true,
    also: ["auto"],
    default: "auto",
    doc: "Inverse L2 strength C of the logistic probes (logisticProbe's c) on standardized " +
      'features; "auto": chosen from probeCGrid by 3-fold stratified accuracy on the training ' +
      "split, for every layer and the raw-pixel baseline alike (the report lists each C).",
  },
  probeCGrid: {
    type: "number[]",
    min: 0,
    exclusive: true,
    default: [1e-4, 1e-3, 0.01, 0.1, 1, 10],
    doc: "With probeC auto: the C values tried.",
  },
  probeMaxTrain: {
    type: "integer",
    min: 2,
    default: 5000,
    doc: "Most training samples per probe (a seeded subset beyond it).",
  },
  rawPixelProbe: { type: "boolean", default: true, doc: "Probe raw pixels as a baseline." },
  kmeansReplicates: { type: "integer", min: 1, default: 10, doc: "k-means restarts." },
  topTerms: {
    type: "integer",
    min: 2,
    max: 100,
    default: 10,
    doc: "Text data: words listed per topic and scored for NPMI coherence.",
  },
} as const;

/** The run's options, resolved. */
export type RunConfig = Omit<ResolvedOf<typeof RUN_OPTIONS>, "model"> & { model: ModelName };
/** A resolved training configuration: the run's options and its model's (library names). */
export type TrainConfig = RunConfig & { [option: string]: unknown };

/** The loss is checked (and the tolerance rule applied) every this many iterations of a run. */
export const CHECK_EVERY = 10;

/**
 * A library schema as a run takes it: without what a file cannot hold (objects:
 * matrices, graphs, snapshots), `checkEvery` (the run's {@linkcode CHECK_EVERY}),
 * `seed` (the run's), and without init "custom" (no W or H to give).
 */
function _fromLibrary(schema: OptionSchema, drop: string[] = []): Record<string, OptionSpec> {
  const out: Record<string, OptionSpec> = {};
  for (const [key, spec] of Object.entries(schema)) {
    if (spec.type === "object" || ["checkEvery", "seed", ...drop].includes(key)) continue;
    out[key] = spec.oneOf ? { ...spec, oneOf: spec.oneOf.filter((v) => v !== "custom") } : spec;
  }
  return out;
}

const _GRAPH_REDUCE: OptionSpec = {
  type: "integer",
  min: 1,
  nullable: true,
  default: null,
  doc: "Build the graphs on the samples projected to this many dimensions by a randomized " +
    "SVD (sampleGraph's reduce); null: on all d.",
};

const _DEEP = {
  // The evaluation compares Z₁⋯Z_i H_i with the pixels, so samples are not normalized.
  ..._fromLibrary(DEEP_SEMI_NMF_OPTIONS, ["normalize", "init", "lambdas"]),
  layers: { ...DEEP_SEMI_NMF_OPTIONS.layers, required: false, default: [128, 40] },
  pretrainMaxIter: { ...DEEP_SEMI_NMF_OPTIONS.pretrainMaxIter, default: 100 },
};

/**
 * Each model's options in a run: the library's (same names, ranges, docs) with
 * these differences, the one table of them. Rank and layers have defaults (40;
 * 128,40); deep models pretrain 100 iterations per layer; graphs are label
 * columns of the dataset, built into kNN graphs that never see a test label
 * (gnmf's `graph`: one column or null for the unsupervised kNN graph; deep-wsf's
 * `graphs`: one per layer, "none" for a layer without one), with deep-wsf's
 * `lambdas` defaulting to 1e-3 or chosen by validation ("auto", over `lambdaGrid`).
 */
export const MODEL_OPTIONS: Record<ModelName, Record<string, OptionSpec>> = {
  nmf: {
    ..._fromLibrary(NMF_OPTIONS),
    rank: { ...NMF_OPTIONS.rank, required: false, default: 40 },
  },
  "semi-nmf": {
    ..._fromLibrary(SEMI_NMF_OPTIONS, ["lambda"]),
    rank: { ...SEMI_NMF_OPTIONS.rank, required: false, default: 40 },
  },
  gnmf: {
    ..._fromLibrary(GNMF_OPTIONS),
    rank: { ...GNMF_OPTIONS.rank, required: false, default: 40 },
    graph: {
      type: "string",
      nullable: true,
      default: null,
      doc: "Label column whose classes the kNN graph stays within; null: the unsupervised " +
        "kNN graph of the samples.",
    },
    graphReduce: _GRAPH_REDUCE,
  },
  "deep-semi-nmf": _DEEP,
  "deep-wsf": {
    ..._DEEP,
    graphs: {
      type: "string[]",
      required: true,
      doc: 'Label column of each layer\'s kNN graph, first to last ("none": no graph), e.g. ' +
        "Young,Smiling.",
    },
    lambdas: {
      ...DEEP_SEMI_NMF_OPTIONS.lambdas,
      default: [1e-3],
      also: ["auto"],
      doc: DEEP_SEMI_NMF_OPTIONS.lambdas.doc + ' "auto": the λ of lambdaGrid whose graph ' +
        "layers best predict their attributes on held-out training samples (lambda-sweep.json).",
    },
    lambdaGrid: {
      type: "number[]",
      min: 0,
      default: [0, 0.01, 0.1, 1, 10, 100],
      doc: "With lambdas auto: the λ values tried, one for every layer, each a whole fit.",
    },
    graphReduce: _GRAPH_REDUCE,
  },
};

/** The label columns a config's graphs are built from. */
export function graphLabels(config: TrainConfig): string[] {
  const given = config.model === "gnmf" ? [config.graph] : (config.graphs as string[]) ?? [];
  return given.filter((g): g is string => typeof g === "string" && g !== "none");
}

/**
 * The library options of a run's config: every option of the library's `schema`
 * the config holds with the library's type (not the label columns a run gives
 * for graphs).
 *
 * @example
 * ```ts
 * import { GNMF_OPTIONS } from "../factorize/gnmf.ts";
 * const c = resolveTrainConfig([{ source: "cli", values: { data: "ds", model: "gnmf", graph: "class" } }]);
 * console.log(Object.keys(libraryOptions(c, GNMF_OPTIONS)).includes("graph")); // false: a label here
 * ```
 */
export function libraryOptions(c: TrainConfig, schema: OptionSchema): Record<string, unknown> {
  const run = MODEL_OPTIONS[c.model];
  const keys = Object.keys(schema).filter((k) =>
    k in c && (run[k] ?? RUN_OPTIONS[k as keyof typeof RUN_OPTIONS])?.type === schema[k].type
  );
  return Object.fromEntries(keys.map((k) => [k, c[k]]));
}

/** The rules between a model's options: the library's own checks on the run's options. */
function _checkModel(c: TrainConfig, name: (key: string) => string): void {
  if (c.checkpointEvery % CHECK_EVERY !== 0) {
    throw new OptionError(
      `${name("checkpointEvery")} must be a multiple of ${CHECK_EVERY}, got ${c.checkpointEvery}`,
    );
  }
  const naming = { name };
  if (c.model === "nmf") resolveNmfOptions(libraryOptions(c, NMF_OPTIONS) as NmfOptions, naming);
  if (c.model === "gnmf" && c.graph === "none") {
    throw new OptionError(
      `${name("graph")} "none" is not a GNMF graph; leave it out for the kNN graph`,
    );
  }
  if (c.model === "deep-semi-nmf" || c.model === "deep-wsf") {
    const layers = c.layers as number[];
    const lambdas = c.lambdas as (number | string)[] | undefined;
    if (lambdas?.includes("auto") && lambdas.length !== 1) {
      throw new OptionError(
        `${name("lambdas")} "auto" stands alone (it picks one λ for every layer), got ${lambdas}`,
      );
    }
    const auto = lambdas?.[0] === "auto";
    if (auto && (c.lambdaGrid as number[]).length === 0) {
      throw new OptionError(`${name("lambdaGrid")} must list the λ values to try, e.g. 0,0.1,1`);
    }
    const deep = libraryOptions(c, DEEP_SEMI_NMF_OPTIONS) as DeepSemiNmfOptions;
    resolveDeepSemiNmfOptions(auto ? { ...deep, lambdas: [1] } : deep, naming);
    const graphs = c.graphs as string[] | undefined;
    if (graphs && (graphs.length !== layers.length || graphs.every((g) => g === "none"))) {
      throw new OptionError(
        `${name("graphs")} must name one label column per layer (${layers.length}; "none" for a ` +
          `layer without a graph, at least one column), got ${graphs.length}: ${
            graphs.join(",") || "none given"
          }`,
      );
    }
  }
}

/**
 * The rules between a run's options and its data (d features, n samples), checked
 * before a run folder exists: the rank (a deep model's first layer) at most
 * min(d, n), graphs' `graphReduce` at most min(d, n) and `neighbors` below n.
 * Throws an OptionError naming the flag and the dataset.
 *
 * @example
 * ```ts
 * const c = resolveTrainConfig([{ source: "cli", values: { data: "orl", rank: "500" } }]);
 * try {
 *   checkConfigOnData(c, { d: 1024, n: 400 });
 * } catch (e) {
 *   console.log((e as Error).message); // --rank 500 is larger than min(d, n) = 400 of dataset orl; ...
 * }
 * ```
 */
export function checkConfigOnData(c: TrainConfig, shape: { d: number; n: number }): void {
  const { d, n } = shape;
  const limit = Math.min(d, n);
  const of = `of dataset ${c.data} (${n} samples of ${d} features)`;
  const deep = c.model === "deep-semi-nmf" || c.model === "deep-wsf";
  const [key, rank] = deep ? ["layers", (c.layers as number[])[0]] : ["rank", c.rank as number];
  if (rank > limit) {
    throw new OptionError(
      `${flagName(key)} ${deep ? "first layer " : ""}${rank} is larger than min(d, n) = ` +
        `${limit} ${of}; give at most ${limit}`,
    );
  }
  const reduce = c.graphReduce as number | null | undefined;
  if (reduce != null && reduce > limit) {
    throw new OptionError(
      `${flagName("graphReduce")} ${reduce} is larger than min(d, n) = ${limit} ${of}; ` +
        `give at most ${limit}`,
    );
  }
  const k = c.neighbors as number | undefined;
  if (k !== undefined && k >= n) {
    throw new OptionError(
      `${flagName("neighbors")} ${k} needs more than ${k} samples, ${of}; give at most ${n - 1}`,
    );
  }
}

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

/** Every option of `model` in a run, the run's first: the schema its config is checked by. */
export function trainSchema(model: ModelName): Record<string, OptionSpec> {
  return { ...RUN_OPTIONS, ...MODEL_OPTIONS[model] };
}

/**
 * Merges `layers` (later layers win, so pass the config file first and the
 * command line last), takes text as flags give it, checks every value against
 * the model's {@linkcode trainSchema} and the rules between them, and fills in
 * the defaults. Throws an OptionError naming the option (`--rank` for flags,
 * `"rank" in cfg.json` for files), unknown keys and other models' options too.
 *
 * @example
 * ```ts
 * const c = resolveTrainConfig([
 *   { source: "cfg.json", values: { model: "gnmf", rank: 20 } },
 *   { source: "cli", values: { data: "runs/orl", rank: "30" } },
 * ]);
 * console.log(c.model, c.rank, c.alpha); // gnmf 30 100: the command line wins; GNMF's alpha
 * ```
 */
export function resolveTrainConfig(layers: ConfigLayer[]): TrainConfig {
  const values: Record<string, unknown> = {};
  const where: Record<string, string> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer.values)) {
      if (value === undefined) continue;
      values[key] = value;
      where[key] = layer.source === "cli" ? flagName(key) : `"${key}" in ${layer.source}`;
    }
  }
  const name = (key: string) => where[key] ?? flagName(key);
  if (values.data === undefined) {
    throw new OptionError("--data <dataset dir> is required (or data in --config)");
  }
  const { model } = resolveOptions({ model: RUN_OPTIONS.model }, { model: values.model }, {
    what: "train",
    name,
  });
  const schema = trainSchema(model);
  for (const key of Object.keys(values)) {
    if (key in schema) continue;
    const owners = MODEL_NAMES.filter((m) => key in MODEL_OPTIONS[m]);
    throw new OptionError(
      owners.length
        ? `${name(key)} is an option of ${owners.join(", ")}, not of ${model}`
        : `Unknown option ${name(key)} (options of ${model}: ${Object.keys(schema).join(", ")})`,
    );
  }
  const c = resolveOptions(schema, values, { what: model, name, text: true }) as TrainConfig;
  _checkModel(c, name);
  return c;
}

/**
 * Reads a JSON config file (an object of config keys); throws a OptionError
 * naming the file when it is missing or not a JSON object.
 *
 * @example
 * ```ts
 * const path = await Deno.makeTempFile({ suffix: ".json" });
 * await Deno.writeTextFile(path, '{ "model": "gnmf", "rank": 20 }');
 * const values = await readConfigFile(path);
 * const cli = { source: "cli", values: { data: "ds" } };
 * const c = resolveTrainConfig([{ source: path, values }, cli]); // the file first, flags last
 * console.log(c.model, c.rank, c.alpha); // gnmf 20 100: GNMF's default alpha
 * await Deno.remove(path);
 * ```
 */
export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new OptionError(`Cannot read config file ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new OptionError(`Config file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new OptionError(`Config file ${path} must hold a JSON object of options`);
  }
  return json as Record<string, unknown>;
}

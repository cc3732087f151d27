// deno task prep <source> --out <dir> [...]: image set -> dataset folder of shards.
import { type Layout, prepDataset, type PrepOptions } from "../data_prep/prep_dataset.ts";
import type { Size } from "../data_prep/resize_gray.ts";
import { prepText, type PrepTextOptions } from "../data_prep/prep_text.ts";
import { errorText, fail, parseCli, usage as _usage } from "./_cli.ts";

const HELP = `Usage: deno task prep <source> --out <dir> [options]

Decodes an image set once (BT.601 gray, center crop, resize, [0,1]) into a
dataset folder: manifest.json, shard-*.bin (row-major samples), labels.csv.
Arrays (.mat, .npy, .csv) keep their values unless --scale asks otherwise.

<source>  a folder with one subfolder per class (JPEG, PNG, BMP, PGM, PPM), a CelebA
          folder (img_align_celeba/ + list_attr_celeba.txt; a partial folder is fine),
          a MATLAB .mat file (fea or X, gnd), a NumPy .npy file (n x d, or an n x h x w
          image stack; any integer or float dtype, either byte order, C or Fortran order)
          a numeric CSV/TSV file, gzipped or not (one sample per row, optional header), or
          text documents with --layout text (below).

Options:
  --out <dir>              dataset folder to write (replaced atomically)
  --size WxH|native        output size (default 64x64 for image files, native for arrays);
                           area averaging to shrink, bilinear to enlarge
  --layout L               folder, celeba, mat, npy or csv (default: detected)
  --limit N                keep the first N images
  --partition P            keep train, val or test (CelebA list_eval_partition.txt,
                           or a partition column in --labels)
  --crop WxH               center crop before resizing (e.g. 178x178 for CelebA)
  --labels <file.csv>      labels CSV: file column + label columns (arrays: one row per sample)
  --columns                .mat/.npy/.csv: images are the columns of the array
  --pixel-order row|column arrays: pixel order in an image (default column for .mat, else row)
  --image-size WxH         arrays: image size (default square; a 3-D .npy gives its own)
  --scale none|max|minmax  arrays of floats: keep values as given (default), divide by the
                           largest |value|, or map the range onto [0, 1]; said in the manifest
  --variable NAME          .mat: data variable (default fea, else X)
  --label-column C         .csv/.tsv: the label column, by header name or index (-1: the last)

Text (--layout text; <source> a folder of .txt files, one subfolder per class or none, or a
CSV/TSV with a header): scikit-learn's tokens and TF-IDF, stored as a sparse CSR term dataset.
  --text-column NAME       CSV/TSV: the text column (default text)
  --stop-words english|none  leave out the shipped English stop words (default english)
  --min-df X / --max-df X  keep terms in at least / at most X documents (a fraction below 1,
                           else a count; defaults 1 and 1 = all)
  --max-features N         keep the N terms most frequent in the corpus
  --weighting tfidf|tf     smooth idf (default), or raw term counts (for KL NMF)
  --sublinear-tf           1 + ln(count) instead of the count
  --shard-mb N             largest shard payload in MiB (default 64)
  --workers N              decoding workers (default one per core; 0 = main thread)
  --force                  rebuild even if the dataset is up to date
  -h, --help               this text
`;

function usage(message: string): never {
  _usage("prep", message);
}

function size(name: string, v: string | undefined, native: boolean): Size | null | undefined {
  if (v === undefined) return undefined;
  if (native && v === "native") return null;
  const m = /^(\d+)x(\d+)$/.exec(v);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) {
    usage(`--${name} must look like 64x64 (width x height)${native ? " or native" : ""}, got ${v}`);
  }
  return { width: Number(m[1]), height: Number(m[2]) };
}

function int(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min) {
    usage(`--${name} must be a whole number >= ${min}, got ${v}`);
  }
  return Number(v);
}

const { values, positionals } = parseCli("prep", HELP, {
  out: { type: "string" },
  size: { type: "string" },
  layout: { type: "string" },
  limit: { type: "string" },
  partition: { type: "string" },
  crop: { type: "string" },
  labels: { type: "string" },
  columns: { type: "boolean" },
  scale: { type: "string" },
  "pixel-order": { type: "string" },
  "image-size": { type: "string" },
  variable: { type: "string" },
  "label-column": { type: "string" },
  "text-column": { type: "string" },
  "stop-words": { type: "string" },
  "min-df": { type: "string" },
  "max-df": { type: "string" },
  "max-features": { type: "string" },
  weighting: { type: "string" },
  "sublinear-tf": { type: "boolean" },
  "shard-mb": { type: "string" },
  workers: { type: "string" },
  force: { type: "boolean" },
}, true);
const v = values as Record<string, string | undefined> & {
  columns?: boolean;
  force?: boolean;
  "sublinear-tf"?: boolean;
};
if (positionals.length !== 1) usage(`expected one <source>, got ${positionals.length}`);
if (!v.out) usage("--out <dir> is required");
const layouts = ["folder", "celeba", "mat", "npy", "csv", "text"];
if (v.layout !== undefined && !layouts.includes(v.layout)) {
  usage(`--layout must be one of ${layouts.join(", ")}, got ${v.layout}`);
}
if (v.partition !== undefined && !["train", "val", "test"].includes(v.partition)) {
  usage(`--partition must be train, val or test, got ${v.partition}`);
}
if (v.scale !== undefined && !["none", "max", "minmax"].includes(v.scale)) {
  usage(`--scale must be none, max or minmax, got ${v.scale}`);
}
const order = v["pixel-order"];
if (order !== undefined && order !== "row" && order !== "column") {
  usage(`--pixel-order must be row or column, got ${order}`);
}
const shardMb = int("shard-mb", v["shard-mb"], 1);
if (shardMb !== undefined && shardMb > 2048) {
  usage(`--shard-mb must be at most 2048, got ${shardMb}`);
}

function df(name: string): number | undefined {
  const x = v[name];
  if (x === undefined) return undefined;
  const n = Number(x);
  if (!(n > 0) || (n >= 1 && !Number.isInteger(n))) {
    usage(`--${name} must be a fraction in (0, 1) or a whole count of documents, got ${x}`);
  }
  return n;
}

if (v.layout === "text") {
  if (v["stop-words"] !== undefined && !["english", "none"].includes(v["stop-words"])) {
    usage(`--stop-words must be english or none, got ${v["stop-words"]}`);
  }
  if (v.weighting !== undefined && !["tfidf", "tf"].includes(v.weighting)) {
    usage(`--weighting must be tfidf or tf, got ${v.weighting}`);
  }
  const text: PrepTextOptions = {
    out: v.out,
    textColumn: v["text-column"],
    labelColumn: v["label-column"],
    stopWords: v["stop-words"] as PrepTextOptions["stopWords"],
    minDf: df("min-df"),
    maxDf: df("max-df"),
    maxFeatures: int("max-features", v["max-features"], 1),
    weighting: v.weighting as PrepTextOptions["weighting"],
    sublinearTf: v["sublinear-tf"],
    limit: int("limit", v.limit, 1),
  };
  try {
    await prepText(positionals[0], text);
  } catch (e) {
    fail("prep", errorText(e));
  }
  Deno.exit(0);
}

const options: PrepOptions = {
  out: v.out,
  layout: v.layout as Layout | undefined,
  size: size("size", v.size, true),
  crop: size("crop", v.crop, false) ?? undefined,
  limit: int("limit", v.limit, 1),
  partition: v.partition as PrepOptions["partition"],
  labels: v.labels,
  imagesAsColumns: v.columns,
  pixelOrder: order as PrepOptions["pixelOrder"],
  imageSize: size("image-size", v["image-size"], false) ?? undefined,
  scale: v.scale as PrepOptions["scale"],
  variable: v.variable,
  labelColumn: v["label-column"],
  maxShardBytes: shardMb === undefined ? undefined : shardMb * (1 << 20),
  workers: int("workers", v.workers, 0),
  force: v.force,
  progress: true,
  log: (line) => console.error(line),
};
try {
  await prepDataset(positionals[0], options);
} catch (e) {
  fail("prep", errorText(e));
}

/**
 * Data preparation: an image set in one of the field's layouts (folder of
 * class folders, CelebA, MATLAB .mat, NumPy .npy) decoded once, converted to
 * BT.601 gray, cropped/resized, and stored as a dataset folder of shards.
 *
 * @module
 */

import { stringify } from "csv-stringify";
import { basename, extname, join, resolve } from "node:path";
import { type ArraySamples, arraySamples } from "./array_samples.ts";
import { decodeImages } from "./decode_images.ts";
import { type ImageEntry, type ImageList, naturalCompare } from "./image_entry.ts";
import { listCeleba } from "./list_celeba.ts";
import { listFolder } from "./list_folder.ts";
import {
  type LabelColumn,
  type Manifest,
  MANIFEST_VERSION,
  type SkippedFile,
  validateManifest,
} from "./manifest.ts";
import { processGray } from "./process_image.ts";
import { createProgress, type Progress } from "./progress.ts";
import { readLabelsCsv } from "./read_labels_csv.ts";
import { applyLabelsCsv, type LabelsTable } from "./read_labels_csv.ts";
import { readMat } from "./read_mat.ts";
import { readNpy } from "./read_npy.ts";
import { readCsvMatrix } from "./read_csv_matrix.ts";
import type { Size } from "./resize_gray.ts";
import { SHARD_HEADER_BYTES } from "./shard_format.ts";
import { ShardWriter } from "./shard_writer.ts";
import { writeAtomicDir } from "./write_atomic_dir.ts";

/** Source layouts prep reads. */
export type Layout = "folder" | "celeba" | "mat" | "npy" | "csv";

/** Options of {@linkcode prepDataset}. */
export interface PrepOptions {
  /** Dataset folder to write (replaced atomically). */
  out: string;
  /** Source layout; default detected (.mat, .npy, .csv/.tsv (.gz), CelebA files, else folder). */
  layout?: Layout;
  /** Output image size; `null` keeps the source size. Default 64x64 for image files, source size for .mat/.npy. */
  size?: Size | null;
  /** Center crop before resizing; default none. */
  crop?: Size | null;
  /** Keep the first `limit` images. */
  limit?: number;
  /** Keep one partition (CelebA's list_eval_partition.txt or a labels CSV `partition` column). */
  partition?: "train" | "val" | "test";
  /** Labels CSV path (file column + label columns; for .mat/.npy rows are in sample order). */
  labels?: string;
  /** .mat/.npy: images are the columns of the array (d x n). Default false (n x d). */
  imagesAsColumns?: boolean;
  /** .mat/.npy: pixel order inside an image. Default "column" for .mat (MATLAB), "row" for .npy. */
  pixelOrder?: "row" | "column";
  /** .mat/.npy: image size; default square. */
  imageSize?: Size;
  /** .mat/.npy float data: "none" keeps values (default), "max" or "minmax" rescales. */
  scale?: "none" | "max" | "minmax";
  /** .mat: data variable (default fea, else X). */
  variable?: string;
  /** .csv/.tsv: the label column, a header name or an index (-1: the last). Default none. */
  labelColumn?: string;
  /** Largest shard payload in bytes; default 64 MiB. */
  maxShardBytes?: number;
  /** Decoding workers; 0 decodes on this thread. Default navigator.hardwareConcurrency. */
  workers?: number;
  /** Rebuild even when the dataset is up to date. */
  force?: boolean;
  /** Show progress on stderr (bar on a terminal, periodic lines otherwise). Default false. */
  progress?: boolean;
  /** Where messages go; `null` for none. Default console.error. */
  log?: ((line: string) => void) | null;
}

/** What {@linkcode prepDataset} did. */
export interface PrepResult {
  /** The dataset folder. */
  out: string;
  /** True when an up-to-date dataset was found and nothing was written. */
  upToDate: boolean;
  /** The dataset's manifest. */
  manifest: Manifest;
  /** Wall-clock seconds. */
  seconds: number;
}

/** Default shard payload limit: 64 MiB, so one shard fits a storage binding. */
export const DEFAULT_MAX_SHARD_BYTES = 64 << 20;
/** Default output image size for image-file sources. */
export const DEFAULT_SIZE: Size = { width: 64, height: 64 };

const LAYOUTS: Layout[] = ["folder", "celeba", "mat", "npy", "csv"];

function _checkSize(name: string, v: unknown): void {
  if (v === null || v === undefined) return;
  const s = v as Size;
  for (const k of ["width", "height"] as const) {
    if (!Number.isInteger(s[k]) || s[k] < 1 || s[k] > 16384) {
      throw new RangeError(`Option ${name}.${k} must be a whole number in 1..16384, got ${s[k]}`);
    }
  }
}

function _checkOptions(o: PrepOptions): void {
  if (typeof o.out !== "string" || o.out === "") {
    throw new TypeError("Option out must name the dataset folder to write");
  }
  if (o.layout !== undefined && !LAYOUTS.includes(o.layout)) {
    throw new RangeError(`Option layout must be one of ${LAYOUTS.join(", ")}, got ${o.layout}`);
  }
  _checkSize("size", o.size);
  _checkSize("crop", o.crop);
  _checkSize("imageSize", o.imageSize);
  if (o.scale !== undefined && !["none", "max", "minmax"].includes(o.scale)) {
    throw new RangeError(`Option scale must be none, max or minmax, got ${o.scale}`);
  }
  if (o.limit !== undefined && (!Number.isInteger(o.limit) || o.limit < 1)) {
    throw new RangeError(`Option limit must be a whole number >= 1, got ${o.limit}`);
  }
  if (o.partition !== undefined && !["train", "val", "test"].includes(o.partition)) {
    throw new RangeError(`Option partition must be train, val or test, got ${o.partition}`);
  }
  if (o.pixelOrder !== undefined && o.pixelOrder !== "row" && o.pixelOrder !== "column") {
    throw new RangeError(`Option pixelOrder must be row or column, got ${o.pixelOrder}`);
  }
  const m = o.maxShardBytes;
  if (m !== undefined && (!Number.isInteger(m) || m < 1 || m > 2 ** 31)) {
    throw new RangeError(`Option maxShardBytes must be a whole number in 1..2^31, got ${m}`);
  }
  if (o.workers !== undefined && (!Number.isInteger(o.workers) || o.workers < 0)) {
    throw new RangeError(`Option workers must be a whole number >= 0, got ${o.workers}`);
  }
}

async function _detectLayout(source: string): Promise<Layout> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(source);
  } catch {
    throw new Error(`Source ${source} does not exist`);
  }
  if (info.isFile) {
    const ext = extname(source).toLowerCase();
    if (ext === ".mat") return "mat";
    if (ext === ".npy") return "npy";
    if (/\.(csv|tsv)(\.gz)?$/i.test(source)) return "csv";
    throw new Error(
      `Source file ${source} is not a .mat, .npy, .csv or .tsv file; pass --layout mat, npy or csv`,
    );
  }
  for (const f of ["img_align_celeba", "list_attr_celeba.txt"]) {
    try {
      await Deno.stat(join(source, f));
      return "celeba";
    } catch { /* not CelebA */ }
  }
  return "folder";
}

function _sizeText(s: Size | null | undefined, none = "native"): string {
  return s ? `${s.width}x${s.height}` : none;
}

/** Cheap source fingerprint: file count, total bytes and newest modification time. */
function _fingerprint(paths: string[]): string {
  let bytes = 0;
  let newest = 0;
  for (const p of paths) {
    const st = Deno.statSync(p);
    bytes += st.size;
    newest = Math.max(newest, st.mtime?.getTime() ?? 0);
  }
  return `${paths.length} files, ${bytes} bytes, newest ${new Date(newest).toISOString()}`;
}

/** The existing manifest when `out` holds a complete dataset with these settings and source. */
async function _upToDate(
  out: string,
  settings: Record<string, unknown>,
  fingerprint: string,
): Promise<Manifest | null> {
  let m: Manifest;
  try {
    const path = join(out, "manifest.json");
    m = validateManifest(JSON.parse(await Deno.readTextFile(path)), path);
  } catch {
    return null;
  }
  if (JSON.stringify(m.settings) !== JSON.stringify(settings)) return null;
  if (m.source.fingerprint !== fingerprint) return null;
  for (const s of m.shards) {
    try {
      if ((await Deno.stat(join(out, s.file))).size !== SHARD_HEADER_BYTES + s.bytes) return null;
    } catch {
      return null;
    }
  }
  return m;
}

/** One stored sample's metadata. */
interface _Row {
  file: string;
  labels: Record<string, string>;
  partition: string;
}

/** What a source hands to the writer. */
interface _Plan {
  layout: Layout;
  description: string;
  labelNames: string[];
  skipped: SkippedFile[];
  fingerprintFiles: string[];
  /** Streams samples into `emit`; returns when all are done. */
  run(
    emit: (pixels: Uint8Array | Float32Array, w: number, h: number, row: _Row) => void,
    skip: (s: SkippedFile) => void,
    progress: Progress | null,
  ): Promise<void>;
  count: number;
  dtype: "u8" | "f32";
  valueMapping: string;
  /** Whether some value is negative. */
  negative: boolean;
}

function _filterEntries(entries: ImageEntry[], o: PrepOptions, where: string): ImageEntry[] {
  let out = entries;
  if (o.partition) {
    if (!out.some((e) => e.partition !== "")) {
      throw new Error(
        `Partition ${o.partition} asked for but ${where} has no partitions; add a partition column to the labels CSV`,
      );
    }
    out = out.filter((e) => e.partition === o.partition);
  }
  if (o.limit !== undefined) out = out.slice(0, o.limit);
  return out;
}

async function _filePlan(source: string, layout: Layout, o: PrepOptions): Promise<_Plan> {
  let list: ImageList;
  if (layout === "celeba") {
    list = await listCeleba(source, { partition: o.partition, limit: o.limit });
  } else list = await listFolder(source);
  let entries = list.entries;
  const skipped = [...list.skipped];
  let labelNames = list.labelNames;
  if (o.labels) {
    const table = await readLabelsCsv(o.labels);
    const applied = applyLabelsCsv(entries, table);
    entries = applied.entries;
    skipped.push(...applied.skipped);
    labelNames = [...labelNames.filter((n) => !table.columns.includes(n)), ...table.columns];
  }
  if (layout !== "celeba") entries = _filterEntries(entries, o, source);
  if (entries.length === 0) {
    throw new Error(`No images of ${source} are left to prepare (${skipped.length} skipped)`);
  }
  const size = o.size === undefined ? DEFAULT_SIZE : o.size;
  return {
    layout,
    description: list.description,
    labelNames,
    skipped,
    fingerprintFiles: [...entries.map((e) => e.path), ...list.metaFiles],
    count: entries.length,
    dtype: "u8",
    valueMapping: "8-bit gray levels",
    negative: false,
    async run(emit, skip, progress) {
      const jobs = entries.map((e) => ({ path: e.path, name: e.file }));
      await decodeImages(jobs, (i, r) => {
        const e = entries[i];
        if (!r.ok) skip({ file: e.file, reason: r.reason });
        else {
          emit(r.image.pixels, r.image.width, r.image.height, {
            file: e.file,
            labels: e.labels,
            partition: e.partition,
          });
        }
      }, { process: { size, crop: o.crop ?? null }, workers: o.workers, progress });
    },
  };
}

function _tableInOrder(table: LabelsTable, n: number, source: string): void {
  if (table.values.length !== n) {
    throw new Error(
      `Labels CSV ${table.path} has ${table.values.length} rows but ${source} holds ${n} samples; give one row per sample, in order`,
    );
  }
}

async function _readSource(source: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(source);
  } catch (e) {
    throw new Error(`Cannot read ${source}: ${e instanceof Error ? e.message : e}`);
  }
}

async function _arrayPlan(source: string, layout: Layout, o: PrepOptions): Promise<_Plan> {
  const name = basename(source);
  let samples: ArraySamples;
  let description: string;
  const labelNames: string[] = [];
  let rowLabels: Record<string, string>[];
  let files: string[];
  const layoutOpts = {
    imagesAsColumns: o.imagesAsColumns,
    imageSize: o.imageSize,
    scale: o.scale,
    pixelOrder: o.pixelOrder ?? (layout === "mat" ? "column" as const : "row" as const),
  };
  if (layout === "mat") {
    const mat = await readMat(source, { variable: o.variable });
    const { rows, cols } = mat.matrix;
    const count = mat.labels?.length;
    // Cai's sets come both ways (ORL, Yale: images as rows; COIL20, Extended Yale B
    // elsewhere: fea d x n): one label per column and not per row settles it.
    const detected = o.imagesAsColumns === undefined && count !== undefined &&
      count !== rows && count === cols;
    if (detected) layoutOpts.imagesAsColumns = true;
    const asCols = layoutOpts.imagesAsColumns ?? false;
    const n = asCols ? cols : rows;
    if (mat.labels && mat.labels.length !== n) {
      const other = asCols ? rows : cols;
      throw new Error(
        `Label variable ${mat.labelVariable} of ${source} has ${mat.labels.length} values for ` +
          `${n} samples (images as ${asCols ? "columns" : "rows"} of ${rows}x${cols}); ${
            mat.labels.length === other
              ? asCols ? "leave out --columns" : "give --columns"
              : `give --variable for another data variable (${mat.variables.join(", ")})`
          }`,
      );
    }
    samples = arraySamples(mat.matrix, layoutOpts, `${source} variable ${mat.variable}`);
    description = `MATLAB ${source}: ${mat.variable} ${rows}x${cols}${
      mat.labelVariable ? `, labels ${mat.labelVariable}` : ""
    }, images as ${asCols ? "columns" : "rows"}${
      detected
        ? ` (detected: ${mat.labelVariable} has one label per column)`
        : o.imagesAsColumns === undefined
        ? " (--columns if they are the columns)"
        : ""
    }`;
    rowLabels = Array.from({ length: samples.n }, () => ({}));
    if (mat.labels) {
      labelNames.push("class");
      mat.labels.forEach((l, i) => rowLabels[i].class = String(l));
    }
    files = rowLabels.map((_, i) => `${name}:${mat.variable}[${i}]`);
  } else if (layout === "csv") {
    const csv = await readCsvMatrix(await _readSource(source), source, {
      labelColumn: o.labelColumn,
    });
    const { rows, cols } = csv.matrix;
    const side = Math.round(Math.sqrt(cols - 1));
    if (!o.imageSize && !csv.labels && side * side === cols - 1 && side * side !== cols) {
      throw new Error(
        `${source}: ${cols} columns, one more than ${side}x${side} images; name the label column ` +
          `(--label-column -1 for the last, 0 for the first) or give --image-size WxH`,
      );
    }
    samples = arraySamples(csv.matrix, layoutOpts, source);
    description = `${csv.delimiter === "," ? "CSV" : "TSV"} ${source}: ${rows} rows of ${cols} ` +
      `values${csv.header ? " (header row)" : ""}${csv.labels ? `, labels ${csv.labelName}` : ""}`;
    rowLabels = Array.from({ length: samples.n }, () => ({}));
    if (csv.labels && csv.labelName) {
      const label = csv.labelName;
      labelNames.push(label);
      csv.labels.forEach((l, i) => rowLabels[i][label] = l);
    }
    files = rowLabels.map((_, i) => `${name}[${i}]`);
  } else {
    const m = readNpy(await _readSource(source), source);
    const shape = m.imageShape;
    if (
      shape && o.imageSize &&
      (o.imageSize.width !== shape.width || o.imageSize.height !== shape.height)
    ) {
      throw new Error(
        `${source} holds ${shape.width}x${shape.height} images (shape ${m.rows}, ${shape.height}, ` +
          `${shape.width}); leave out the image size or give ${shape.width}x${shape.height}`,
      );
    }
    if (shape && o.imagesAsColumns) {
      throw new Error(
        `${source} is a 3-D stack of n images; images-as-columns applies to 2-D arrays`,
      );
    }
    samples = arraySamples(
      m,
      shape ? { ...layoutOpts, imageSize: shape, pixelOrder: "row" } : layoutOpts,
      source,
    );
    description = `NumPy ${source}: ${
      shape ? `${m.rows} images of ${shape.height}x${shape.width}` : `${m.rows}x${m.cols}`
    } (${m.order === "C" ? "C" : "Fortran"} order${m.converted ? `, ${m.converted}` : ""})`;
    rowLabels = Array.from({ length: samples.n }, () => ({}));
    files = rowLabels.map((_, i) => `${name}[${i}]`);
  }
  let partitions = files.map(() => "");
  const fingerprintFiles = [source];
  if (o.labels) {
    const table = await readLabelsCsv(o.labels);
    _tableInOrder(table, samples.n, source);
    fingerprintFiles.push(o.labels);
    for (const c of table.columns) if (!labelNames.includes(c)) labelNames.push(c);
    table.values.forEach((vals, i) => table.columns.forEach((c, j) => rowLabels[i][c] = vals[j]));
    files = files.map((f, i) => table.files[i] ?? f);
    partitions = table.partitions;
  }
  let order = Array.from({ length: samples.n }, (_, i) => i);
  if (o.partition) {
    if (!partitions.some((p) => p !== "")) {
      throw new Error(
        `Partition ${o.partition} asked for but ${source} has no partitions; give a labels CSV with a partition column`,
      );
    }
    order = order.filter((i) => partitions[i] === o.partition);
  }
  if (o.limit !== undefined) order = order.slice(0, o.limit);
  if (order.length === 0) throw new Error(`No samples of ${source} are left to prepare`);
  const size = o.size ?? null;
  return {
    layout,
    description: `${description}; ${samples.valueMapping}`,
    labelNames,
    skipped: [],
    fingerprintFiles,
    count: order.length,
    dtype: samples.dtype,
    valueMapping: samples.valueMapping,
    negative: samples.negative,
    run(emit, _skip, progress) {
      for (const i of order) {
        const g = processGray(samples.image(i), samples.width, samples.height, {
          size,
          crop: o.crop ?? null,
        });
        let px: Uint8Array | Float32Array = g.pixels;
        if (samples.dtype === "u8") {
          const u = new Uint8Array(px.length);
          for (let k = 0; k < u.length; k++) u[k] = Math.min(255, Math.max(0, Math.round(px[k])));
          px = u;
        }
        emit(px, g.width, g.height, {
          file: files[i],
          labels: rowLabels[i],
          partition: partitions[i],
        });
        progress?.tick();
      }
      return Promise.resolve();
    },
  };
}

function _labelColumns(names: string[], rows: _Row[]): LabelColumn[] {
  return names.map((name) => {
    const set = new Set(rows.map((r) => r.labels[name] ?? ""));
    const values = [...set].sort(naturalCompare);
    return { name, distinct: values.length, values: values.length <= 1000 ? values : null };
  });
}

/**
 * Prepares a dataset folder from `source`: lists the images, decodes them in
 * parallel (Web Workers), converts to gray (ITU-R BT.601 luma), center crops
 * and resizes (area averaging down, bilinear up), and writes 8-bit (or f32
 * for float arrays) row-major samples into shards with `manifest.json` and
 * `labels.csv`, atomically. Undecodable files are skipped and listed. When
 * `out` already holds a dataset made with the same settings from the same
 * source files, nothing is written (`upToDate: true`).
 *
 * Throws an Error on a source with no images, attribute rows that do not
 * match the images, or mixed image sizes with `size: null`.
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * const r = await prepDataset("data/att_faces", { out: `${dir}/orl64`, log: null });
 * console.log(r.manifest.n, r.manifest.d, r.upToDate); // 400 4096 false
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function prepDataset(source: string, options: PrepOptions): Promise<PrepResult> {
  const t0 = performance.now();
  _checkOptions(options);
  const log = options.log === undefined ? console.error : options.log;
  const layout = options.layout ?? await _detectLayout(source);
  const plan = layout === "mat" || layout === "npy" || layout === "csv"
    ? await _arrayPlan(source, layout, options)
    : await _filePlan(source, layout, options);
  const fileSource = layout === "folder" || layout === "celeba";
  const settings: Record<string, unknown> = {
    layout,
    source: resolve(source),
    size: _sizeText(options.size === undefined && fileSource ? DEFAULT_SIZE : options.size),
    crop: _sizeText(options.crop, "none"),
    limit: options.limit ?? null,
    partition: options.partition ?? null,
    labels: options.labels ? resolve(options.labels) : null,
    imagesAsColumns: fileSource ? null : options.imagesAsColumns ?? false,
    pixelOrder: fileSource ? null : options.pixelOrder ?? (layout === "mat" ? "column" : "row"),
    imageSize: fileSource ? null : _sizeText(options.imageSize, "square"),
    variable: layout === "mat" ? options.variable ?? null : null,
    labelColumn: layout === "csv" ? options.labelColumn ?? null : null,
    scale: fileSource ? null : options.scale ?? "none",
    maxShardBytes: options.maxShardBytes ?? DEFAULT_MAX_SHARD_BYTES,
  };
  if (options.labels) plan.fingerprintFiles.push(options.labels);
  const fingerprint = _fingerprint(plan.fingerprintFiles);
  const out = options.out;
  if (!options.force) {
    const m = await _upToDate(out, settings, fingerprint);
    if (m) {
      log?.(
        `Dataset ${out} is up to date (${m.n} samples, same settings and source files); nothing to do`,
      );
      return { out, upToDate: true, manifest: m, seconds: (performance.now() - t0) / 1000 };
    }
  }
  log?.(plan.description);
  let manifest: Manifest | null = null;
  await writeAtomicDir(out, async (tmp) => {
    const rows: _Row[] = [];
    const skipped = [...plan.skipped];
    let writer: ShardWriter | null = null;
    let shape: { w: number; h: number; file: string } | null = null;
    const progress = options.progress ? createProgress(plan.count, { label: "prep" }) : null;
    try {
      await plan.run(
        (pixels, w, h, row) => {
          if (!shape) {
            shape = { w, h, file: row.file };
            writer = new ShardWriter(tmp, {
              dtype: plan.dtype,
              cols: w * h,
              maxShardBytes: settings.maxShardBytes as number,
            });
          } else if (shape.w !== w || shape.h !== h) {
            throw new Error(
              `Images differ in size: ${row.file} is ${w}x${h} but ${shape.file} is ${shape.w}x${shape.h}; pass a resize target (--size WxH)`,
            );
          }
          writer!.append(pixels);
          rows.push(row);
        },
        (s) => skipped.push(s),
        progress,
      );
    } catch (e) {
      (writer as ShardWriter | null)?.abort();
      throw e;
    }
    progress?.done();
    if (!shape || !writer) {
      const first = skipped[0];
      throw new Error(
        `None of the ${plan.count} images of ${source} could be used${
          first ? ` (first: ${first.file}: ${first.reason})` : ""
        }`,
      );
    }
    const { w, h } = shape as { w: number; h: number };
    const shards = (writer as ShardWriter).finish();
    const hasPartitions = rows.some((r) => r.partition !== "");
    let partitions: Record<string, number> | null = null;
    if (hasPartitions) {
      partitions = {};
      for (const r of rows) partitions[r.partition] = (partitions[r.partition] ?? 0) + 1;
    }
    const csv = stringify([
      ["index", "file", ...plan.labelNames, "partition"],
      ...rows.map((r, i) => [
        String(i),
        r.file,
        ...plan.labelNames.map((n) => r.labels[n] ?? ""),
        r.partition,
      ]),
    ]);
    await Deno.writeTextFile(join(tmp, "labels.csv"), csv);
    manifest = {
      format: "facet-dataset",
      version: MANIFEST_VERSION,
      source: { layout, path: source, description: plan.description, fingerprint },
      settings,
      height: h,
      width: w,
      n: rows.length,
      d: w * h,
      dtype: plan.dtype,
      scale: plan.dtype === "u8" ? 1 / 255 : 1,
      negative: plan.negative,
      shards,
      labels: _labelColumns(plan.labelNames, rows),
      partitions,
      skipped,
      created: new Date().toISOString(),
    };
    const tmpManifest = join(tmp, "manifest.json.tmp");
    await Deno.writeTextFile(tmpManifest, JSON.stringify(manifest, null, 1) + "\n");
    await Deno.rename(tmpManifest, join(tmp, "manifest.json"));
  }, { log });
  const m = manifest!;
  const seconds = (performance.now() - t0) / 1000;
  log?.(
    `Wrote ${out}: ${m.n} samples of ${m.width}x${m.height} (${m.dtype}) in ${m.shards.length} shard(s), ${m.skipped.length} skipped${
      m.skipped.length ? " (listed in manifest.json)" : ""
    }, ${seconds.toFixed(1)} s`,
  );
  return { out, upToDate: false, manifest: m, seconds };
}

/**
 * The CelebA layout: `img_align_celeba/*.jpg`, `list_attr_celeba.txt`
 * (count line, 40 attribute names, then `000001.jpg  -1  1 ...`), optional
 * `list_eval_partition.txt` (`000001.jpg 0`: 0 train, 1 val, 2 test) and
 * `identity_CelebA.txt` (`000001.jpg 2880`).
 *
 * @module
 */

import { join } from "node:path";
import { type ImageEntry, type ImageList, isImageName, naturalCompare } from "./image_entry.ts";
import { pathExists } from "./path_exists.ts";

/** Options of {@linkcode listCeleba}. */
export interface CelebaOptions {
  /** Keep only this partition (needs list_eval_partition.txt). */
  partition?: "train" | "val" | "test";
  /** Keep the first `limit` images (after the partition filter). */
  limit?: number;
}

const PARTITIONS = ["train", "val", "test"];

async function _readLines(path: string): Promise<string[]> {
  const text = await Deno.readTextFile(path);
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
}

/** Reads a two-column `name value` file into a map; throws naming the file and line. */
async function _readPairs(path: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const lines = await _readLines(path);
  lines.forEach((line, i) => {
    const f = line.split(/\s+/);
    if (f.length !== 2) {
      throw new Error(`Cannot read ${path}: line ${i + 1} has ${f.length} fields, expected 2`);
    }
    out.set(f[0], f[1]);
  });
  return out;
}

/**
 * Lists a CelebA-layout folder: images of `img_align_celeba` with their 40
 * attributes (`-1`/`1`), identity when `identity_CelebA.txt` exists, and
 * partition when `list_eval_partition.txt` exists. Accepts CRLF or LF and runs
 * of spaces. A partial folder is fine: the images present are taken with their
 * rows (the description says how many rows went unused; a count line that
 * disagrees is a note), images without a row are listed in `skipped`.
 *
 * @example
 * ```ts
 * const root = await Deno.makeTempDir(); // a two-image CelebA folder; listing reads no pixels
 * await Deno.mkdir(`${root}/img_align_celeba`);
 * await Deno.writeFile(`${root}/img_align_celeba/000001.jpg`, new Uint8Array());
 * await Deno.writeFile(`${root}/img_align_celeba/000002.jpg`, new Uint8Array());
 * const attrs = "2\nSmiling Male\n000001.jpg  1 -1\n000002.jpg -1  1\n";
 * await Deno.writeTextFile(`${root}/list_attr_celeba.txt`, attrs);
 * const [first] = (await listCeleba(root, { limit: 1 })).entries;
 * console.log(first.file, first.labels); // img_align_celeba/000001.jpg { Smiling: "1", Male: "-1" }
 * await Deno.remove(root, { recursive: true });
 * ```
 */
export async function listCeleba(root: string, options: CelebaOptions = {}): Promise<ImageList> {
  const imgDir = join(root, "img_align_celeba");
  const attrPath = join(root, "list_attr_celeba.txt");
  if (!(await pathExists(imgDir)) || !(await pathExists(attrPath))) {
    throw new Error(
      `Source folder ${root} is not in the CelebA layout: it needs img_align_celeba/ and list_attr_celeba.txt`,
    );
  }
  const lines = await _readLines(attrPath);
  const count = Number(lines[0]);
  if (!Number.isInteger(count) || lines.length < 2) {
    throw new Error(
      `Cannot read ${attrPath}: the first line should be the image count and the second the attribute names`,
    );
  }
  const names = lines[1].split(/\s+/);
  const rows = lines.slice(2);
  const notes: string[] = [];
  if (rows.length !== count) {
    notes.push(`its count line says ${count} but it has ${rows.length} rows`);
  }
  const attrs = new Map<string, string[]>();
  rows.forEach((row, i) => {
    const f = row.split(/\s+/);
    if (f.length !== names.length + 1) {
      throw new Error(
        `Cannot read ${attrPath}: line ${i + 3} has ${
          f.length - 1
        } attributes, expected ${names.length}`,
      );
    }
    attrs.set(f[0], f.slice(1));
  });
  const images: string[] = [];
  for await (const e of Deno.readDir(imgDir)) {
    if (e.isFile && isImageName(e.name)) images.push(e.name);
  }
  if (images.length === 0) {
    throw new Error(`Source folder ${imgDir} holds no images; extract img_align_celeba.zip there`);
  }
  images.sort(naturalCompare);
  // A partial folder (the first N images) with the official lists is how people have
  // CelebA: the images present are taken with their rows; the other rows are unused.
  const skipped = images.filter((f) => !attrs.has(f)).map((f) => ({
    file: `img_align_celeba/${f}`,
    reason: `img_align_celeba/${f} has no row in list_attr_celeba.txt`,
  }));
  const present = images.filter((f) => attrs.has(f));
  if (present.length === 0) {
    throw new Error(
      `None of the ${images.length} images in ${imgDir} has a row in ${attrPath} (first image: ` +
        `${images[0]}); use the img_align_celeba folder with its own list_attr_celeba.txt`,
    );
  }
  const unused = attrs.size - present.length;
  if (unused > 0) {
    notes.push(`${unused} of its ${attrs.size} rows name images that are absent (unused)`);
  }
  const metaFiles = [attrPath];
  const partPath = join(root, "list_eval_partition.txt");
  let parts: Map<string, string> | null = null;
  if (await pathExists(partPath)) {
    parts = await _readPairs(partPath);
    metaFiles.push(partPath);
  } else if (options.partition) {
    throw new Error(`Partition ${options.partition} asked for but ${partPath} does not exist`);
  }
  const idPath = join(root, "identity_CelebA.txt");
  let ids: Map<string, string> | null = null;
  if (await pathExists(idPath)) {
    ids = await _readPairs(idPath);
    metaFiles.push(idPath);
  }
  let entries: ImageEntry[] = present.map((file) => {
    const labels: Record<string, string> = {};
    const a = attrs.get(file)!;
    names.forEach((n, i) => labels[n] = a[i]);
    if (ids) labels.identity = ids.get(file) ?? "";
    const code = parts?.get(file);
    const partition = code === undefined ? "" : PARTITIONS[Number(code)] ?? "";
    return { path: join(imgDir, file), file: `img_align_celeba/${file}`, labels, partition };
  });
  if (options.partition) entries = entries.filter((e) => e.partition === options.partition);
  if (options.limit !== undefined) entries = entries.slice(0, options.limit);
  if (entries.length === 0) {
    throw new Error(`No CelebA images left in ${root} after the partition/limit filter`);
  }
  const what = [
    options.partition ? `partition ${options.partition}` : "",
    options.limit !== undefined ? `first ${options.limit}` : "",
  ].filter((s) => s).join(", ");
  return {
    description: `CelebA ${root}: ${entries.length} of ${images.length} images${
      what ? ` (${what})` : ""
    }, ${names.length} attributes${ids ? ", identities" : ""}${parts ? ", partitions" : ""}${
      notes.length ? `; list_attr_celeba.txt: ${notes.join(", ")}` : ""
    }`,
    entries,
    labelNames: ids ? [...names, "identity"] : names,
    skipped,
    metaFiles,
  };
}

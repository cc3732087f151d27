/**
 * A labels CSV for any source: a header row, an optional file column (named
 * `file`, `filename`, `image` or `path`) and any number of label columns. A
 * column named `partition` sets the partition.
 *
 * @module
 */

import { parse } from "csv-parse";
import type { ImageEntry } from "./image_entry.ts";
import type { SkippedFile } from "./manifest.ts";

/** A parsed labels CSV. */
export interface LabelsTable {
  path: string;
  /** Label column names (not the file or partition column). */
  columns: string[];
  /** Per row: the file named, or `null` without a file column. */
  files: (string | null)[];
  /** Per row: values of `columns`. */
  values: string[][];
  /** Per row: partition, `""` without a partition column. */
  partitions: string[];
}

const FILE_COLUMNS = ["file", "filename", "image", "path"];

/**
 * Reads a labels CSV (comma-separated, header row, quotes allowed, CRLF or LF). Throws an
 * Error naming the file when it is empty or a row has the wrong field count.
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/labels.csv`, "file,person\r\na.png,ann\r\nb.png,bob\r\n");
 * const t = await readLabelsCsv(`${dir}/labels.csv`);
 * console.log(t.columns, t.files, t.values); // ["person"] ["a.png", "b.png"] [["ann"], ["bob"]]
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readLabelsCsv(path: string): Promise<LabelsTable> {
  let records: string[][];
  try {
    records = parse((await Deno.readTextFile(path)).replace(/\r\n?/g, "\n"), {
      skip_empty_lines: true,
      trim: true,
      bom: true,
    }) as string[][];
  } catch (e) {
    throw new Error(`Cannot read labels CSV ${path}: ${e instanceof Error ? e.message : e}`);
  }
  if (records.length < 2) {
    throw new Error(`Labels CSV ${path} needs a header row and at least one data row`);
  }
  const header = records[0];
  const lower = header.map((h) => h.toLowerCase());
  const fileCol = lower.findIndex((h) => FILE_COLUMNS.includes(h));
  const partCol = lower.indexOf("partition");
  const labelCols = header.map((_, i) => i).filter((i) => i !== fileCol && i !== partCol);
  const table: LabelsTable = {
    path,
    columns: labelCols.map((i) => header[i]),
    files: [],
    values: [],
    partitions: [],
  };
  for (const r of records.slice(1)) {
    table.files.push(fileCol >= 0 ? r[fileCol].replaceAll("\\", "/") : null);
    table.values.push(labelCols.map((i) => r[i]));
    table.partitions.push(partCol >= 0 ? r[partCol] : "");
  }
  return table;
}

/**
 * Joins a labels table onto listed images by file: a row matches an image
 * whose relative path equals its file, or whose base name does. Images with
 * no row are returned as skipped. The table's columns are added (or replace
 * same-named ones). Throws when the table has no file column.
 *
 * @example
 * ```ts
 * import { listFolder } from "./list_folder.ts";
 * const list = await listFolder("data/att_faces");
 * const table: LabelsTable = { // what readLabelsCsv gives for "file,glasses" and two rows
 *   path: "labels.csv",
 *   columns: ["glasses"],
 *   files: ["s1/1.pgm", "2.pgm"], // a relative path, or a base name (40 images)
 *   values: [["no"], ["yes"]],
 *   partitions: ["", ""],
 * };
 * const { entries, skipped } = applyLabelsCsv(list.entries, table);
 * console.log(entries.length, skipped.length); // 41 359
 * console.log(entries[0].labels); // { class: "s1", glasses: "no" }
 * ```
 */
export function applyLabelsCsv(
  entries: ImageEntry[],
  table: LabelsTable,
): { entries: ImageEntry[]; skipped: SkippedFile[] } {
  if (table.files.some((f) => f === null)) {
    throw new Error(
      `Labels CSV ${table.path} has no file column; name one of its columns ${
        FILE_COLUMNS.join(", ")
      }`,
    );
  }
  const byFile = new Map<string, number>();
  table.files.forEach((f, i) => byFile.set(f!, i));
  const kept: ImageEntry[] = [];
  const skipped: SkippedFile[] = [];
  for (const e of entries) {
    const base = e.file.slice(e.file.lastIndexOf("/") + 1);
    const row = byFile.get(e.file) ?? byFile.get(base);
    if (row === undefined) {
      skipped.push({ file: e.file, reason: `no row in labels CSV ${table.path}` });
      continue;
    }
    const labels = { ...e.labels };
    table.columns.forEach((c, j) => labels[c] = table.values[row][j]);
    kept.push({ ...e, labels, partition: table.partitions[row] || e.partition });
  }
  return { entries: kept, skipped };
}

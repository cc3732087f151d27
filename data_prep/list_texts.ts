/**
 * The documents of a text source: a folder of .txt files (one subfolder per
 * class, or none), or a CSV/TSV file with a text column and an optional label
 * column. Files that are not UTF-8 are skipped and listed.
 *
 * @module
 */

import { parse } from "csv-parse";
import { join } from "node:path";
import type { SkippedFile } from "./manifest.ts";
import { naturalCompare } from "./image_entry.ts";

/** One document. */
export interface TextDocument {
  /** Its file (folder source) or `name[row]` (CSV source). */
  file: string;
  /** Its text. */
  text: string;
  /** Its class: the subfolder or the label column; "" when none. */
  label: string;
}

/** What {@linkcode listTexts} found. */
export interface TextList {
  documents: TextDocument[];
  skipped: SkippedFile[];
  /** E.g. "folder docs: 120 .txt files in 3 class folders". */
  description: string;
  /** Name of the label column ("class" for folders), or null without labels. */
  labelName: string | null;
}

/** Options of {@linkcode listTexts}. */
export interface ListTextsOptions {
  /** CSV/TSV: the text column's header name. Default "text". */
  textColumn?: string;
  /** CSV/TSV: the label column's header name. Default none. */
  labelColumn?: string;
}

const _utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Lists the documents of `source` (a folder or a .csv/.tsv file, see the module
 * doc). Throws an Error naming the source and what to give when it holds none.
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/docs.csv`, 'text,topic\n"GPU kernels, fast",tech\nFaces and parts,vision\n');
 * const list = await listTexts(`${dir}/docs.csv`, { labelColumn: "topic" });
 * console.log(list.documents.map((d) => d.label), list.labelName); // [ "tech", "vision" ] topic
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function listTexts(source: string, options: ListTextsOptions = {}): Promise<TextList> {
  const info = await Deno.stat(source).catch(() => null);
  if (!info) throw new Error(`Source ${source} does not exist`);
  return info.isDirectory ? await _folder(source) : await _table(source, options);
}

async function _folder(root: string): Promise<TextList> {
  const documents: TextDocument[] = [];
  const skipped: SkippedFile[] = [];
  const read = async (path: string, file: string, label: string) => {
    try {
      documents.push({ file, text: _utf8.decode(await Deno.readFile(path)), label });
    } catch (e) {
      const why = e instanceof TypeError ? "not UTF-8 text" : (e as Error).message;
      skipped.push({ file, reason: `${file} is ${why}` });
    }
  };
  const entries = [...Deno.readDirSync(root)].sort((a, b) => naturalCompare(a.name, b.name));
  let classes = 0;
  for (const e of entries) {
    if (e.isFile && e.name.toLowerCase().endsWith(".txt")) {
      await read(join(root, e.name), e.name, "");
    }
  }
  for (const e of entries) {
    if (!e.isDirectory || e.name.startsWith(".")) continue;
    const names = [...Deno.readDirSync(join(root, e.name))]
      .filter((f) => f.isFile && f.name.toLowerCase().endsWith(".txt"))
      .map((f) => f.name).sort(naturalCompare);
    if (names.length > 0) classes++;
    for (const f of names) await read(join(root, e.name, f), `${e.name}/${f}`, e.name);
  }
  if (documents.length === 0) {
    throw new Error(
      `Source folder ${root} holds no readable .txt files (${skipped.length} skipped); give a ` +
        "folder of .txt files (one subfolder per class), or a CSV with a text column",
    );
  }
  return {
    documents,
    skipped,
    description: `folder ${root}: ${documents.length} .txt files in ${classes} class folders`,
    labelName: classes > 0 ? "class" : null,
  };
}

async function _table(path: string, options: ListTextsOptions): Promise<TextList> {
  let text: string;
  try {
    text = _utf8.decode(await Deno.readFile(path));
  } catch (e) {
    throw new Error(
      `Cannot read ${path}: ${
        e instanceof TypeError ? "it is not UTF-8 text" : (e as Error).message
      }`,
    );
  }
  const delimiter = /\.tsv$/i.test(path) ? "\t" : ",";
  let rows: string[][];
  try {
    rows = parse(text, { delimiter, skip_empty_lines: true, relax_quotes: false }) as string[][];
  } catch (e) {
    throw new Error(`Cannot read ${path}: ${(e as Error).message}`);
  }
  const header = rows[0] ?? [];
  const column = (name: string, what: string) => {
    const i = header.indexOf(name);
    if (i < 0) {
      throw new Error(
        `${path} has no ${what} column ${name} (header: ${header.join(", ") || "empty"}); give ` +
          `--${what}-column`,
      );
    }
    return i;
  };
  const t = column(options.textColumn ?? "text", "text");
  const l = options.labelColumn === undefined ? -1 : column(options.labelColumn, "label");
  const name = path.split(/[\\/]/).at(-1)!;
  const documents = rows.slice(1).map((r, i) => ({
    file: `${name}[${i}]`,
    text: r[t] ?? "",
    label: l >= 0 ? r[l] ?? "" : "",
  }));
  if (documents.length === 0) throw new Error(`${path} holds a header and no documents`);
  return {
    documents,
    skipped: [],
    description: `${delimiter === "," ? "CSV" : "TSV"} ${path}: ${documents.length} documents ` +
      `(column ${header[t]}${l >= 0 ? `, labels ${header[l]}` : ""})`,
    labelName: l >= 0 ? header[l] : null,
  };
}

/**
 * Numeric matrices as CSV or TSV text (optionally gzipped), one sample per row,
 * as scikit-learn ships its digits (`digits.csv.gz`: 64 pixels and the target).
 *
 * @module
 */

import { parse } from "csv-parse";
import type { Matrix2D } from "./array_samples.ts";

/** What {@linkcode readCsvMatrix} found. */
export interface CsvMatrix {
  /** The numeric columns, rows = samples, row-major. */
  matrix: Matrix2D & { data: Float64Array };
  /** Values of the label column, one per row, or null without one. */
  labels: string[] | null;
  /** The label column's header name, or "class" without a header; null without labels. */
  labelName: string | null;
  /** Column names when the first row is a header (a cell that is not a number), else null. */
  header: string[] | null;
  /** "," or "\t". */
  delimiter: string;
}

/** Options of {@linkcode readCsvMatrix}. */
export interface ReadCsvOptions {
  /**
   * The label column: a header name, or an index from 0 (negative from the end: -1
   * is the last column). Default none: every column is data.
   */
  labelColumn?: string;
}

const _isNumber = (s: string) => s.trim() !== "" && Number.isFinite(Number(s));
/** Text no number parser would take: a header cell (NaN and inf are numbers, if bad ones). */
const _isWord = (s: string) =>
  s !== "" && Number.isNaN(Number(s)) && !/^[+-]?(nan|inf(inity)?)$/i.test(s);

async function _gunzip(bytes: Uint8Array, path: string): Promise<Uint8Array> {
  try {
    const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(
      new DecompressionStream("gzip"),
    );
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new Error(`Cannot read ${path}: gzip data is damaged (${(e as Error).message})`);
  }
}

/**
 * Parses CSV (comma) or TSV (tab: a .tsv name, or tabs in the first line) bytes,
 * gunzipped first when they are gzip. A first row with a non-numeric cell is the
 * header. Every cell outside the label column must be a finite number. Throws
 * an Error naming `path`, the line and the column.
 *
 * @example
 * ```ts
 * const text = "a,b,label\n1,2,x\n3,4.5,y\n";
 * const m = await readCsvMatrix(new TextEncoder().encode(text), "t.csv", { labelColumn: "label" });
 * console.log(m.matrix.rows, m.matrix.cols, m.matrix.data, m.labels); // 2 2 Float64Array(4) [ 1, 2, 3, 4.5 ] [ "x", "y" ]
 * ```
 */
export async function readCsvMatrix(
  bytes: Uint8Array,
  path: string,
  options: ReadCsvOptions = {},
): Promise<CsvMatrix> {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = await _gunzip(bytes, path);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`Cannot read ${path}: it is not UTF-8 text`);
  }
  const firstLine = text.slice(0, text.indexOf("\n") >>> 0);
  const delimiter = /\.tsv(\.gz)?$/i.test(path) || firstLine.includes("\t") ? "\t" : ",";
  let rows: string[][];
  try {
    rows = parse(text, { delimiter, skip_empty_lines: true, trim: true }) as string[][];
  } catch (e) {
    throw new Error(`Cannot read ${path}: ${(e as Error).message}`);
  }
  if (rows.length === 0) throw new Error(`Cannot read ${path}: it holds no rows`);
  const header = rows[0].some(_isWord) ? rows[0] : null;
  const body = header ? rows.slice(1) : rows;
  if (body.length === 0) throw new Error(`Cannot read ${path}: it holds a header and no data rows`);
  const width = rows[0].length;
  let label = -1;
  const given = options.labelColumn;
  if (given !== undefined) {
    if (/^-?\d+$/.test(given)) {
      const i = Number(given);
      label = i < 0 ? width + i : i;
      if (label < 0 || label >= width) {
        throw new Error(
          `Label column ${given} is outside ${path}'s ${width} columns; give 0..${width - 1} or -1`,
        );
      }
    } else {
      label = header?.indexOf(given) ?? -1;
      if (label < 0) {
        throw new Error(
          header
            ? `${path} has no column named ${given} (columns: ${header.join(", ")})`
            : `${path} has no header row, so label column ${given} must be an index (0, or -1 for the last)`,
        );
      }
    }
  }
  const cols = width - (label >= 0 ? 1 : 0);
  const data = new Float64Array(body.length * cols);
  const labels: string[] | null = label >= 0 ? [] : null;
  body.forEach((row, r) => {
    let c = 0;
    row.forEach((cell, j) => {
      if (j === label) return void labels!.push(cell);
      if (!_isNumber(cell)) {
        const line = r + (header ? 2 : 1);
        throw new Error(
          `${path} line ${line}, column ${j + 1}${header ? ` (${header[j]})` : ""}: "${cell}" is ` +
            `not a finite number; give --label-column for a column of labels, --layout text for ` +
            `documents, or clean the data`,
        );
      }
      data[r * cols + c++] = Number(cell);
    });
  });
  return {
    matrix: { rows: body.length, cols, order: "C", data },
    labels,
    labelName: label < 0 ? null : header?.[label] ?? "class",
    header,
    delimiter,
  };
}

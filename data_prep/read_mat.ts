/**
 * MATLAB level-5 .mat files (compressed or not) as used by Deng Cai's
 * benchmark sets: a data matrix (`fea` or `X`) and labels (`gnd`), read with
 * the npm package mat-for-js.
 *
 * @module
 */

import { read } from "mat-for-js";
import type { Matrix2D } from "./array_samples.ts";

/** Options of {@linkcode readMat}. */
export interface ReadMatOptions {
  /** Data variable; default `fea`, else `X`, else the largest 2-D numeric one. */
  variable?: string;
  /** Label variable; default `gnd` when present. */
  labelVariable?: string;
}

/** What {@linkcode readMat} found. */
export interface MatContents {
  matrix: Matrix2D;
  variable: string;
  /** Label values (one per sample) or `null`. */
  labels: number[] | null;
  labelVariable: string | null;
  /** All variable names in the file. */
  variables: string[];
}

function _isMatrix(v: unknown): v is number[][] {
  return Array.isArray(v) && v.length > 0 && Array.isArray(v[0]) &&
    typeof v[0][0] === "number" && v.every((r) => Array.isArray(r) && r.length === v[0].length);
}

/**
 * Reads a data matrix and optional labels from a level-5 .mat file. Throws an
 * Error naming the file when it cannot be parsed (MATLAB v7.3 HDF5 files are
 * not supported: re-save with `save -v7`) or the variable is missing or not a
 * 2-D numeric matrix.
 *
 * @example
 * ```ts
 * const mat = await readMat("data/ORL_32x32.mat");
 * console.log(mat.variable, mat.matrix.rows, mat.matrix.cols); // X 400 1024
 * console.log(mat.labelVariable, mat.labels?.length); // gnd 400
 * ```
 */
/**
 * The level-5 layout checked before parsing: a 128-byte header with an endian
 * mark, then data elements that each fit in the file; throws the reason.
 */
function _checkLevel5(bytes: Uint8Array, path: string): void {
  const fail = (why: string) => new Error(`Cannot read MATLAB file ${path}: ${why}`);
  const text = new TextDecoder().decode(bytes.subarray(0, 116));
  const hdf5 = bytes[0] === 0x89 && text.slice(1, 4) === "HDF";
  if (text.startsWith("MATLAB 7.3") || hdf5) {
    throw fail("it is a v7.3 (HDF5) file; re-save it with save -v7");
  }
  if (bytes.length < 128) {
    throw fail(`${bytes.length} bytes, shorter than the 128-byte level-5 header; re-copy it`);
  }
  const mark = String.fromCharCode(bytes[126], bytes[127]);
  if (mark !== "IM" && mark !== "MI") {
    throw fail("not a level-5 MAT-file (no endian mark at byte 126); re-save it with save -v7");
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = mark === "IM";
  for (let at = 128; at < bytes.length;) {
    if (at + 8 > bytes.length) throw fail(`cut short at byte ${at} of ${bytes.length}; re-copy it`);
    const type = v.getUint32(at, little);
    if (type >>> 16 !== 0) { // small element format: 4 bytes of data inside the tag
      at += 8;
      continue;
    }
    const size = v.getUint32(at + 4, little);
    const end = at + 8 + size;
    if (end > bytes.length) {
      throw fail(
        `cut short: the variable at byte ${at} needs ${size} bytes, ${bytes.length - at - 8} ` +
          `are left; re-copy or re-save it`,
      );
    }
    at = type === 15 ? end : at + 8 + ((size + 7) & ~7); // miCOMPRESSED is not padded
  }
}

export async function readMat(path: string, options: ReadMatOptions = {}): Promise<MatContents> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    throw new Error(`Cannot read MATLAB file ${path}: ${e instanceof Error ? e.message : e}`);
  }
  _checkLevel5(bytes, path);
  let data: Record<string, unknown>;
  try {
    data = read(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)).data;
  } catch (e) {
    throw new Error(
      `Cannot read MATLAB file ${path}: ${
        e instanceof Error ? e.message : e
      } (level-5 files only; re-save v7.3 files with save -v7)`,
    );
  }
  const variables = Object.keys(data);
  let variable = options.variable;
  if (variable === undefined) {
    variable = ["fea", "X"].find((v) => _isMatrix(data[v]));
    if (variable === undefined) {
      const sized = variables.filter((v) => _isMatrix(data[v]))
        .map((v) =>
          [v, (data[v] as number[][]).length * (data[v] as number[][])[0].length] as const
        )
        .sort((a, b) => b[1] - a[1]);
      variable = sized[0]?.[0];
    }
    if (variable === undefined) {
      throw new Error(
        `MATLAB file ${path} holds no 2-D numeric matrix (variables: ${variables.join(", ")})`,
      );
    }
  }
  const v = data[variable];
  if (v === undefined) {
    throw new Error(
      `MATLAB file ${path} has no variable ${variable} (variables: ${variables.join(", ")})`,
    );
  }
  if (!_isMatrix(v)) {
    throw new Error(`Variable ${variable} of ${path} is not a 2-D numeric matrix`);
  }
  const rows = v.length;
  const cols = v[0].length;
  const flat = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) flat.set(v[i], i * cols);
  const matrix: Matrix2D = { rows, cols, order: "C", data: flat };
  const labelVariable = options.labelVariable ?? (data.gnd !== undefined ? "gnd" : null);
  let labels: number[] | null = null;
  if (labelVariable !== null) {
    const l = data[labelVariable];
    const flatLabels = Array.isArray(l) ? l.flat(2) : typeof l === "number" ? [l] : null;
    if (!flatLabels || flatLabels.some((x) => typeof x !== "number")) {
      throw new Error(`Label variable ${labelVariable} of ${path} is not a numeric vector`);
    }
    labels = flatLabels as number[];
  }
  return { matrix, variable, labels, labelVariable, variables };
}

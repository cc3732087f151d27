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
export async function readMat(path: string, options: ReadMatOptions = {}): Promise<MatContents> {
  const bytes = await Deno.readFile(path);
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

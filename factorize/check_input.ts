/**
 * Up-front checks of the data, mask and custom factors of a factorization,
 * before any GPU work.
 *
 * @module
 */

import { OptionError } from "./option_schema.ts";
import type { DataInput } from "./data_matrix.ts";
import { isSparseInput, type SparseDataInput } from "./sparse_data_matrix.ts";
import type { HostMatrix } from "./factorization_result.ts";

/** What {@linkcode checkInput} checks besides the data. */
export interface CheckInputOptions {
  /** Rank k. */
  rank: number;
  /** Mask in X's layout (1 = observed, 0 = missing). */
  mask?: Float32Array | Uint8Array | null;
  /** Allow negative data (semi-NMF). Default false. */
  allowNegative?: boolean;
  /** Custom initial W (d x k). */
  W?: HostMatrix | null;
  /** Custom initial H (k x n). */
  H?: HostMatrix | null;
  /** Allow negative entries in W (semi-NMF). Default false. */
  allowNegativeW?: boolean;
}

/**
 * Throws a clear TypeError or RangeError for: a data array of the wrong type or
 * length, NaN/Inf in X at observed entries, negative entries for NMF, a rank
 * above min(d, n), a mask of the wrong type, length or values, custom factors
 * of the wrong shape or with negative / non-finite entries.
 *
 * @example
 * ```ts
 * import { randomArray, seededRandom } from "./seeded_random.ts";
 * const data = randomArray(seededRandom(1), 60 * 40);
 * checkInput({ data, d: 60, n: 40 }, { rank: 5 }); // fine: returns nothing
 * try {
 *   checkInput({ data, d: 60, n: 40 }, { rank: 50 });
 * } catch (e) {
 *   console.log((e as Error).message); // Option rank 50 is larger than min(d, n) = 40
 * }
 * ```
 */
export function checkInput(input: DataInput | SparseDataInput, options: CheckInputOptions): void {
  if (typeof input !== "object" || input === null) {
    throw new TypeError("Data must be an object { data, d, n, samplesAsRows? }");
  }
  if (isSparseInput(input)) {
    _checkSparse(input, options);
    return;
  }
  const { data, d, n } = input;
  if (!(data instanceof Float32Array) && !(data instanceof Uint8Array)) {
    throw new TypeError("Data must be a Float32Array or a Uint8Array");
  }
  _checkShape("Data", d, n);
  if (data.length !== d * n) {
    throw new RangeError(`Data has ${data.length} values, expected d x n = ${d} x ${n} = ${d * n}`);
  }
  const k = _checkRank(options.rank, d, n);
  const mask = options.mask ?? null;
  if (mask !== null) {
    if (!(mask instanceof Float32Array) && !(mask instanceof Uint8Array)) {
      throw new OptionError("Option mask must be a Float32Array or Uint8Array of 0 and 1");
    }
    if (mask.length !== data.length) {
      throw new OptionError(
        `Option mask has ${mask.length} values, expected the data's ${d} x ${n} = ${data.length} ` +
          `in the same layout`,
      );
    }
    for (let i = 0; i < mask.length; i++) {
      if (mask[i] !== 0 && mask[i] !== 1) {
        throw new OptionError(`Option mask must hold only 0 and 1, found ${mask[i]} at index ${i}`);
      }
    }
  }
  if (data instanceof Float32Array) {
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (mask && mask[i] === 0) continue;
      if (!Number.isFinite(v)) {
        throw new RangeError(
          `Data has ${v} at index ${i}: remove it, or pass a mask with 0 there to treat it as missing`,
        );
      }
      if (v < 0 && !options.allowNegative) {
        throw new RangeError(
          `Data has a negative entry ${v} at index ${i}: NMF needs X >= 0; use semi-NMF (semiNmf, --model semi-nmf) ` +
            `for data with negative values`,
        );
      }
    }
  }
  _checkFactor("W", options.W, d, k, options.allowNegativeW ?? false);
  _checkFactor("H", options.H, k, n, false);
}

function _checkShape(what: string, d: number, n: number): void {
  for (const [name, v] of [["d", d], ["n", n]] as const) {
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(`${what} ${name} must be an integer >= 1, got ${v}`);
    }
  }
}

/** The rank `k`, refused above min(d, n). */
function _checkRank(k: number, d: number, n: number): number {
  if (k > Math.min(d, n)) {
    throw new OptionError(`Option rank ${k} is larger than min(d, n) = ${Math.min(d, n)}`);
  }
  return k;
}

function _checkSparse(input: SparseDataInput, options: CheckInputOptions): void {
  const { d, n, indptr, indices, values } = input;
  _checkShape("Sparse data", d, n);
  if (!(indptr instanceof Uint32Array) || !(indices instanceof Uint32Array)) {
    throw new TypeError("Sparse data indptr and indices must be Uint32Arrays");
  }
  if (!(values instanceof Float32Array)) {
    throw new TypeError("Sparse data values must be a Float32Array");
  }
  if (indptr.length !== n + 1 || indptr[0] !== 0 || indptr[n] !== indices.length) {
    throw new RangeError(
      `Sparse data indptr must hold n + 1 = ${n + 1} offsets from 0 to ${indices.length} (the ` +
        `entries), got ${indptr.length} offsets from ${indptr[0]} to ${indptr.at(-1)}`,
    );
  }
  if (values.length !== indices.length) {
    throw new RangeError(`Sparse data has ${indices.length} indices but ${values.length} values`);
  }
  if (indices.length === 0) {
    throw new RangeError("Sparse data has no non-zero entries: nothing to factorize");
  }
  for (let j = 0; j < n; j++) {
    if (indptr[j + 1] < indptr[j]) {
      throw new RangeError(`Sparse data indptr falls at document ${j}: offsets must not decrease`);
    }
  }
  for (let e = 0; e < indices.length; e++) {
    if (indices[e] >= d) {
      throw new RangeError(`Sparse data entry ${e} has term ${indices[e]}, not below d = ${d}`);
    }
    const v = values[e];
    if (!Number.isFinite(v)) throw new RangeError(`Sparse data has ${v} at entry ${e}: remove it`);
    if (v < 0) {
      throw new RangeError(`Sparse data has a negative entry ${v} at entry ${e}: NMF needs X >= 0`);
    }
  }
  const k = _checkRank(options.rank, d, n);
  if (options.mask) {
    throw new OptionError("Option mask is not supported for sparse data: fit without it");
  }
  _checkFactor("W", options.W, d, k, false);
  _checkFactor("H", options.H, k, n, false);
}

function _checkFactor(
  name: string,
  m: HostMatrix | null | undefined,
  rows: number,
  cols: number,
  allowNegative: boolean,
): void {
  if (m === undefined || m === null) return;
  if (!(m.data instanceof Float32Array)) {
    throw new OptionError(`Option ${name} must be { rows, cols, data: Float32Array }`);
  }
  if (m.rows !== rows || m.cols !== cols || m.data.length !== rows * cols) {
    throw new OptionError(
      `Option ${name} is ${m.rows}x${m.cols} with ${m.data.length} values, expected ${rows}x${cols}`,
    );
  }
  for (let i = 0; i < m.data.length; i++) {
    const v = m.data[i];
    if (!Number.isFinite(v) || (v < 0 && !allowNegative)) {
      throw new OptionError(
        `Option ${name} has ${v} at index ${i}: custom factors must be finite` +
          (allowNegative ? "" : " and non-negative"),
      );
    }
  }
}

/**
 * Minimum-cost assignment (the Hungarian method, O(n² m) with potentials).
 *
 * @module
 */

/** Shape of the cost matrix given to {@linkcode hungarian}. */
export interface HungarianOptions {
  /** Rows of the cost matrix (workers). */
  rows: number;
  /** Columns of the cost matrix (jobs). */
  cols: number;
}

/**
 * Solves the rectangular assignment problem: picks min(rows, cols) cells of the
 * row-major `cost` matrix, at most one per row and column, with the smallest
 * total cost (Kuhn 1955, Munkres 1957; the shortest-augmenting-path form with
 * row and column potentials, O(r² c) for r <= c). Returns, for each row, its
 * column or -1 when the row is left out (only when rows > cols).
 *
 * @example
 * ```ts
 * console.log(hungarian([4, 1, 3, 2, 0, 5, 3, 2, 2], { rows: 3, cols: 3 })); // [1, 0, 2]
 * ```
 */
export function hungarian(cost: ArrayLike<number>, options: HungarianOptions): Int32Array {
  const { rows, cols } = options;
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(cols) || cols < 1) {
    throw new RangeError(`hungarian: rows and cols must be integers >= 1, got ${rows}x${cols}`);
  }
  if (cost.length !== rows * cols) {
    throw new RangeError(`hungarian: cost has ${cost.length} values, expected ${rows * cols}`);
  }
  for (let i = 0; i < cost.length; i++) {
    if (!Number.isFinite(cost[i])) {
      throw new RangeError(`hungarian: cost[${i}] is ${cost[i]}; every cost must be finite`);
    }
  }
  if (rows <= cols) return _solve(cost, rows, cols, false);
  // More rows than columns: solve the transpose and invert the map.
  const colToRow = _solve(cost, cols, rows, true);
  const out = new Int32Array(rows).fill(-1);
  for (let j = 0; j < cols; j++) out[colToRow[j]] = j;
  return out;
}

/** n <= m; a(i, j) reads cost[i * m + j], or cost[j * n + i] when transposed. */
function _solve(cost: ArrayLike<number>, n: number, m: number, transposed: boolean): Int32Array {
  const a = (i: number, j: number) => transposed ? cost[j * n + i] : cost[i * m + j];
  // 1-based: u over rows, v over columns; owner[j] is the row matched to column j (0 = none).
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const owner = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    owner[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = owner[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const reduced = a(i0 - 1, j - 1) - u[i0] - v[j];
        if (reduced < minv[j]) {
          minv[j] = reduced;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[owner[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (owner[j0] !== 0);
    do {
      const j1 = way[j0];
      owner[j0] = owner[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const result = new Int32Array(n).fill(-1);
  for (let j = 1; j <= m; j++) if (owner[j] !== 0) result[owner[j] - 1] = j - 1;
  return result;
}

// Helpers shared by the benches' table modes: best-of-N timing, markdown tables,
// the adapter line every table starts with, synthetic pixel data.

import { seededRandom } from "../factorize/seeded_random.ts";
import type { Gpu } from "../gpu/gpu.ts";

/** The smallest of `runs` results of `measure` (seconds): the least disturbed run. */
export async function bestOf(runs: number, measure: () => Promise<number>): Promise<number> {
  let best = Infinity;
  for (let r = 0; r < runs; r++) best = Math.min(best, await measure());
  return best;
}

/**
 * Seconds per call of `record`, from `reps` calls recorded in one submit after one warm-up
 * call (which compiles the pipelines). Includes one readback wait (~11 ms in Deno).
 */
export async function timeBatch(gpu: Gpu, record: () => void, reps: number): Promise<number> {
  record();
  await gpu.sync();
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) record();
  await gpu.sync();
  return (performance.now() - t0) / 1000 / reps;
}

/** A markdown table of `rows` under `header`. */
export function markdownTable(header: readonly string[], rows: readonly string[][]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** "adapter: <name> (software)", the first line of every table. */
export function adapterLine(gpu: Gpu): string {
  return `adapter: ${gpu.adapter.name}${gpu.adapter.isSoftware ? " (software)" : ""}`;
}

/** Milliseconds with 2 decimals below 100, else 1. */
export function ms(seconds: number): string {
  const v = seconds * 1000;
  return v < 100 ? v.toFixed(2) : v.toFixed(1);
}

/** `length` uniform random bytes from `seed`, four per draw (CelebA's 8e8 pixels in seconds). */
export function randomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  const rand = seededRandom(seed);
  for (let i = 0; i < length; i += 4) {
    const r = (rand() * 4294967296) >>> 0;
    for (let b = 0; b < 4 && i + b < length; b++) out[i + b] = (r >>> (8 * b)) & 255;
  }
  return out;
}

/**
 * Parallel decoding of image files with Web Workers (one per core by
 * default), delivering results in input order.
 *
 * @module
 */

import { type ProcessedImage, processImage, type ProcessOptions } from "./process_image.ts";
import type { Progress } from "./progress.ts";

/** One file to decode. */
export interface DecodeJob {
  path: string;
  /** Name used in error reasons. */
  name: string;
}

/** The outcome for one file. */
export type DecodeOutcome = { ok: true; image: ProcessedImage } | { ok: false; reason: string };

/** Options of {@linkcode decodeImages}. */
export interface DecodeOptions {
  /** Crop and size. */
  process: ProcessOptions;
  /** Worker count; 0 decodes on this thread. Default: navigator.hardwareConcurrency. */
  workers?: number;
  /** Ticked once per file. */
  progress?: Progress | null;
}

const _IN_FLIGHT_PER_WORKER = 2;

/**
 * Reads and processes every file (decode, BT.601 gray, crop, resize, 8-bit)
 * and calls `onImage(index, outcome)` in input order. A file that cannot be
 * read or decoded gives `{ ok: false, reason }`; the run goes on. If
 * `onImage` throws, the workers stop and the promise rejects with that error.
 *
 * @example
 * ```ts
 * await decodeImages([{ path: "data/att_faces/s1/1.pgm", name: "s1/1.pgm" }], (i, r) => {
 *   if (r.ok) console.log(i, r.image.width, r.image.height);
 * }, { process: { size: { width: 64, height: 64 }, crop: null } });
 * ```
 */
export async function decodeImages(
  jobs: DecodeJob[],
  onImage: (index: number, outcome: DecodeOutcome) => void,
  options: DecodeOptions,
): Promise<void> {
  const count = Math.min(jobs.length, options.workers ?? navigator.hardwareConcurrency ?? 1);
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`workers must be a whole number >= 0, got ${options.workers}`);
  }
  if (count === 0) {
    for (let i = 0; i < jobs.length; i++) {
      let outcome: DecodeOutcome;
      try {
        const bytes = await Deno.readFile(jobs[i].path);
        outcome = { ok: true, image: await processImage(bytes, jobs[i].name, options.process) };
      } catch (e) {
        outcome = { ok: false, reason: e instanceof Error ? e.message : String(e) };
      }
      onImage(i, outcome);
      options.progress?.tick();
    }
    return;
  }
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const ready = new Map<number, DecodeOutcome>();
      let sent = 0;
      let delivered = 0;
      let failed = false;
      const fail = (e: unknown) => {
        if (!failed) {
          failed = true;
          reject(e);
        }
      };
      const send = (w: Worker) => {
        if (sent < jobs.length) {
          const { path, name } = jobs[sent];
          w.postMessage({ id: sent++, path, name, options: options.process });
        }
      };
      for (let k = 0; k < count; k++) {
        const w = new Worker(new URL("./decode_worker.ts", import.meta.url), { type: "module" });
        w.onmessage = (e: MessageEvent<{ id: number } & DecodeOutcome>) => {
          if (failed) return;
          const { id, ...outcome } = e.data;
          ready.set(id, outcome as DecodeOutcome);
          send(w);
          try {
            while (ready.has(delivered)) {
              const o = ready.get(delivered)!;
              ready.delete(delivered);
              onImage(delivered++, o);
              options.progress?.tick();
            }
          } catch (err) {
            fail(err);
            return;
          }
          if (delivered === jobs.length) resolve();
        };
        w.onerror = (e: ErrorEvent) => {
          e.preventDefault();
          fail(new Error(`Image decoding worker failed: ${e.message}`));
        };
        workers.push(w);
        for (let j = 0; j < _IN_FLIGHT_PER_WORKER; j++) send(w);
      }
    });
  } finally {
    for (const w of workers) w.terminate();
  }
}

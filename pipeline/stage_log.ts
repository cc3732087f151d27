/**
 * Progress lines for the stages of a run (graphs, each pretraining layer,
 * evaluation) as they happen, each with its own rate and ETA, and the time
 * each stage took.
 *
 * @module
 */

import type { StageListener, StageProgress } from "../factorize/stage_progress.ts";

/** How long one stage took. */
export interface StageTime {
  /** The stage, e.g. "pretraining layer 1/2". */
  phase: string;
  /** Wall-clock seconds from its first report to its last. */
  seconds: number;
}

/** What {@linkcode stageLog} gives: the listener to hand on, and the stages' times. */
export interface StageLog {
  /** Pass to the library's `onStage`. */
  listener: StageListener;
  /** The stages seen so far, in order, with their seconds. */
  times(): StageTime[];
  /** Whether `line` is a stage's end as logged, less its time: "Stage: summary". */
  logged(line: string): boolean;
}

const _capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const _count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;

function _duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/**
 * Turns stage reports into lines for `log`: one when a stage starts, one at
 * most every `every` seconds while it runs (units done, time per unit, ETA from
 * the stage's own start, so no earlier stage counts), and one at its end with
 * its summary and time. A stage that starts again after its end (the λ sweep's
 * fits) is a new entry of `times()`.
 *
 * @example
 * ```ts
 * let t = 0;
 * const lines: string[] = [];
 * const s = stageLog((l) => lines.push(l), { every: 0, now: () => t });
 * s.listener({ stage: "pretraining layer 1/2", done: 0, total: 100, unit: "iteration" });
 * t = 2;
 * s.listener({ stage: "pretraining layer 1/2", done: 40, total: 100, unit: "iteration" });
 * t = 4;
 * s.listener({ stage: "pretraining layer 1/2", done: 80, total: 100, unit: "iteration", summary: "converged" });
 * console.log(lines[1]); // Pretraining layer 1/2: 40/100 iterations, 50.0 ms/iteration, ETA 3.0 s
 * console.log(lines[2], s.times()); // Pretraining layer 1/2: converged in 4.0 s [ { phase: "pretraining layer 1/2", seconds: 4 } ]
 * ```
 */
export function stageLog(
  log: (line: string) => void,
  options: { every?: number; now?: () => number } = {},
): StageLog {
  const every = options.every ?? 5;
  const now = options.now ?? (() => performance.now() / 1000);
  // Every run of a stage, in order (a λ sweep pretrains once per λ: the same stages again).
  const runs: { phase: string; start: number; last: number; said: number; ended: boolean }[] = [];
  const ends = new Set<string>();
  const listener = (p: StageProgress) => {
    const t = now();
    let s = runs.findLast((r) => r.phase === p.stage && !r.ended);
    if (!s) {
      s = { phase: p.stage, start: t, last: t, said: t, ended: false };
      runs.push(s);
      if (p.summary === undefined) {
        log(`${_capital(p.stage)}: started (${_count(p.total, p.unit)} at most)`);
      }
    }
    s.last = t;
    const elapsed = t - s.start;
    if (p.summary !== undefined) {
      s.ended = true;
      ends.add(`${_capital(p.stage)}: ${p.summary}`);
      log(`${_capital(p.stage)}: ${p.summary} in ${_duration(elapsed)}`);
    } else if (p.done > 0 && t - s.said >= every) {
      s.said = t;
      const per = elapsed / p.done;
      log(
        `${_capital(p.stage)}: ${p.done}/${_count(p.total, p.unit)}, ${
          (per * 1000).toFixed(1)
        } ms/` +
          `${p.unit}, ETA ${_duration(per * (p.total - p.done))}`,
      );
    }
  };
  const times = () => runs.map((r) => ({ phase: r.phase, seconds: r.last - r.start }));
  return { listener, times, logged: (line) => ends.has(line) };
}

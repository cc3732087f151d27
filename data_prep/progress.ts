/**
 * A progress display for long runs: a redrawn bar when the output is a
 * terminal, plain periodic lines when it is not (logs, CI).
 *
 * @module
 */

/** Options of {@linkcode createProgress}. */
export interface ProgressOptions {
  /** Word in front, e.g. "decode". */
  label?: string;
  /** Where text goes; default Deno.stderr. */
  write?: (text: string) => void;
  /** Redraw in place with a bar; default: whether stderr is a terminal. */
  terminal?: boolean;
  /** Milliseconds between plain lines (non-terminal); default 5000. */
  intervalMs?: number;
  /** Clock in ms; default performance.now (injectable for tests). */
  now?: () => number;
}

/** A running progress display. */
export interface Progress {
  /** Counts `k` more items done. */
  tick(k?: number): void;
  /** Prints the final line. */
  done(): void;
}

function _clock(s: number): string {
  if (!Number.isFinite(s)) return "?";
  const t = Math.round(s);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = String(t % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/**
 * Starts a progress display for `total` items showing count, rate and ETA.
 *
 * @example
 * ```ts
 * const p = createProgress(400, { label: "decode", terminal: false, write: console.log });
 * for (let i = 0; i < 400; i++) p.tick();
 * p.done(); // "decode: 400 in 0.0 s (.../s)"
 * ```
 */
export function createProgress(total: number, options: ProgressOptions = {}): Progress {
  const label = options.label ?? "progress";
  const enc = new TextEncoder();
  const write = options.write ?? ((t: string) => {
    Deno.stderr.writeSync(enc.encode(t));
  });
  const terminal = options.terminal ?? Deno.stderr.isTerminal();
  const interval = terminal ? 100 : options.intervalMs ?? 5000;
  const now = options.now ?? (() => performance.now());
  const t0 = now();
  let count = 0;
  let last = t0;
  const line = (): string => {
    const secs = (now() - t0) / 1000;
    const rate = secs > 0 ? count / secs : 0;
    const eta = rate > 0 ? (total - count) / rate : Infinity;
    const pct = total > 0 ? Math.floor((100 * count) / total) : 100;
    const stats = `${count}/${total} ${pct}% ${rate.toFixed(0)}/s ETA ${_clock(eta)}`;
    if (!terminal) return `${label}: ${stats}\n`;
    const width = 24;
    const full = total > 0 ? Math.round((width * count) / total) : width;
    return `\r${label} [${"#".repeat(full)}${".".repeat(width - full)}] ${stats}\x1b[K`;
  };
  return {
    tick(k = 1) {
      count += k;
      const t = now();
      if (t - last >= interval) {
        last = t;
        write(line());
      }
    },
    done() {
      const secs = (now() - t0) / 1000;
      const rate = secs > 0 ? (count / secs).toFixed(0) : "?";
      write(
        `${terminal ? "\r" : ""}${label}: ${count} in ${secs.toFixed(1)} s (${rate}/s)${
          terminal ? "\x1b[K" : ""
        }\n`,
      );
    },
  };
}

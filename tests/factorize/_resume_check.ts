// The resumable-fit property every model must have: a run of N iterations, the same run cut
// into pieces, and one stopped between checks, snapshotted (through JSON, as the pipeline stores
// it), restored into a fresh fit and resumed, end with bit-identical state and loss history.
import { deepEqual, equal, ok } from "node:assert/strict";
import type { Fit, FitSnapshot } from "../../factorize/fit.ts";

/** Opens a fresh fit (from = null) or one restored from a snapshot. */
export type OpenFit = (from: FitSnapshot | null) => Promise<Fit<unknown>>;

async function _end(fit: Fit<unknown>, pieces: number[] = []): Promise<FitSnapshot> {
  try {
    for (const n of pieces) await fit.run(n);
    await fit.run();
    return await fit.snapshot();
  } finally {
    fit.close();
  }
}

/** Asserts the property for `open`, whose fits run `maxIter` iterations with checks every 10. */
export async function checkResume(open: OpenFit, maxIter: number): Promise<void> {
  const whole = await _end(await open(null));
  equal(whole.iteration, maxIter, "the reference run goes to maxIter");
  ok(whole.loss.at(-1)! < whole.loss[0], `the fit lowers its cost: ${whole.loss}`);
  deepEqual(await _end(await open(null), [3, 4, 11]), whole, "a run cut in pieces");
  const first = await open(null);
  const cut = Math.floor(maxIter / 2) + 3; // between checks
  let snap: FitSnapshot;
  try {
    await first.run(cut);
    snap = await first.snapshot();
  } finally {
    first.close();
  }
  equal(snap.iteration, cut);
  const meta = JSON.parse(JSON.stringify({ ...snap, matrices: null, backup: null }));
  const resumed = await _end(await open({ ...meta, matrices: snap.matrices, backup: snap.backup }));
  deepEqual(resumed, whole, "interrupted, snapshotted, restored and resumed");
}

/**
 * Progress of the stages of a long computation that come before or around a
 * fit's iterations (a deep model's layer-wise pretraining, graph building,
 * evaluation), so a caller can show each as it happens.
 *
 * @module
 */

/** One report of a stage: at its start (done 0), as it goes, and at its end (`summary`). */
export interface StageProgress {
  /** What runs, e.g. "pretraining layer 1/2" or "graphs". */
  stage: string;
  /** Units done. */
  done: number;
  /** Units at most (a fit may stop early: then its last report has `summary`). */
  total: number;
  /** The unit, e.g. "iteration" or "graph". */
  unit: string;
  /** Set on a stage's last report: what it came to. */
  summary?: string;
}

/** Receives {@linkcode StageProgress} reports. */
export type StageListener = (p: StageProgress) => void;

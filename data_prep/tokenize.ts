/**
 * Words of a text as scikit-learn's CountVectorizer finds them by default:
 * lower-cased, runs of two or more word characters (letters, digits, `_`).
 *
 * @module
 */

import stopWordsText from "./stop_words_en.txt" with { type: "text" };

/** The English stop words shipped with facet (data_prep/stop_words_en.txt, 250 words). */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(
  stopWordsText.split("\n").map((w) => w.trim()).filter((w) => w !== ""),
);

// Python's \w in a str pattern: Unicode letters and numbers, and "_".
const _WORD = /[\p{L}\p{N}_]{2,}/gu;

/**
 * The tokens of `text`: lower-cased (Unicode-aware), then every maximal run of
 * two or more letters, digits or underscores (scikit-learn's token pattern
 * `(?u)\b\w\w+\b`), in order.
 *
 * @example
 * ```ts
 * console.log(tokenize("Élan vital: GPU-bound NMF, v2_beta & a 3x speed-up!"));
 * // [ "élan", "vital", "gpu", "bound", "nmf", "v2_beta", "3x", "speed", "up" ]
 * ```
 */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(_WORD) ?? [];
}

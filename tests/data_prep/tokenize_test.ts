import { deepEqual, equal, ok } from "node:assert/strict";
import { ENGLISH_STOP_WORDS, tokenize } from "../../data_prep/tokenize.ts";

Deno.test("tokenize: lower-cased runs of 2+ letters, digits or _, as scikit-learn's default pattern", () => {
  deepEqual(tokenize("A B2 don't x_y 3.14 ÜBER-Größe naïve 東京大学 ß"), [
    "b2",
    "don",
    "x_y",
    "14",
    "über",
    "größe",
    "naïve",
    "東京大学",
  ]);
  deepEqual(tokenize(""), []);
  deepEqual(tokenize("a . ; i"), []);
});

Deno.test("the shipped English stop words: lower case, one per line, the usual function words", () => {
  equal(ENGLISH_STOP_WORDS.size, 250);
  for (const w of ["the", "and", "of", "which", "yourselves"]) ok(ENGLISH_STOP_WORDS.has(w), w);
  for (const w of ENGLISH_STOP_WORDS) equal(w, w.toLowerCase().trim());
  ok(!ENGLISH_STOP_WORDS.has("gpu"));
});

import { deepEqual, equal, ok } from "node:assert/strict";
import { openTermDataset } from "../../data_prep/term_dataset.ts";
import { prepText } from "../../data_prep/prep_text.ts";
import { tempDir } from "./_fixtures.ts";

Deno.test("prepText on 400 real Debian package descriptions: vocabulary, unit rows, sections", async () => {
  const dir = await tempDir();
  const lines: string[] = [];
  const m = await prepText("data/debian_sample.csv", {
    out: `${dir}/t`,
    labelColumn: "section",
    minDf: 2,
    log: (l) => lines.push(l),
  });
  equal(m.n, 400);
  const t = await openTermDataset(`${dir}/t`);
  for (const w of ["game", "font", "library"]) ok(t.vocabulary.includes(w), w);
  ok(!t.vocabulary.includes("the") && !t.vocabulary.includes("for"), "stop words left out");
  ok(t.documentFrequency.every((f) => f >= 2), "min df 2");
  for (let r = 0; r < t.n; r++) {
    let s = 0;
    for (let e = t.indptr[r]; e < t.indptr[r + 1]; e++) s += t.values[e] ** 2;
    ok(t.indptr[r + 1] === t.indptr[r] || Math.abs(s - 1) < 1e-5, `row ${r} norm² ${s}`);
  }
  deepEqual([...new Set(t.labelColumn("section"))].sort(), [
    "fonts",
    "games",
    "graphics",
    "mail",
    "science",
    "sound",
  ]);
  ok(
    /Wrote .*: 400 documents x \d+ terms, \d+ non-zeros \(\d+\.\d\d %\)/.test(lines.at(-1)!),
    lines.join("\n"),
  );
  await Deno.remove(dir, { recursive: true });
});

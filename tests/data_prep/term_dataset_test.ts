import { deepEqual, equal, rejects } from "node:assert/strict";
import { openTermDataset, writeTermDataset } from "../../data_prep/term_dataset.ts";
import { tfidf } from "../../data_prep/tfidf.ts";
import { tempDir } from "./_fixtures.ts";

const meta = (n: number) => ({
  files: Array.from({ length: n }, (_, i) => `d${i}.txt`),
  labels: { topic: Array.from({ length: n }, (_, i) => (i % 2 ? "b" : "a")) },
  source: { path: "x", description: "test" },
  settings: {},
  skipped: [],
});

Deno.test("term dataset: written and opened again bit for bit, labels and files beside it", async () => {
  const dir = await tempDir();
  const m = tfidf([["gpu", "nmf"], [], ["faces", "gpu", "gpu"]]);
  await writeTermDataset(`${dir}/t`, m, meta(3));
  const t = await openTermDataset(`${dir}/t`);
  deepEqual([t.n, t.vocabulary, [...t.indptr], [...t.indices]], [3, m.vocabulary, [...m.indptr], [
    ...m.indices,
  ]]);
  deepEqual([...t.values], [...m.values]);
  deepEqual(t.labelColumn("topic"), ["a", "b", "a"]);
  deepEqual(t.files, ["d0.txt", "d1.txt", "d2.txt"]);
  deepEqual([...t.documentFrequency], [...m.documentFrequency]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("term dataset: a damaged, cut or missing file is one line naming it and the fix", async () => {
  const dir = await tempDir();
  const m = tfidf([["gpu", "nmf"], ["faces", "gpu"]]);
  await writeTermDataset(`${dir}/t`, m, meta(2));
  const values = await Deno.readFile(`${dir}/t/values.f32`);
  values[0] ^= 0xff;
  await Deno.writeFile(`${dir}/t/values.f32`, values);
  await rejects(
    openTermDataset(`${dir}/t`),
    /values\.f32 is damaged \(checksum differs\); run deno task prep --layout text again/,
  );
  await Deno.writeFile(`${dir}/t/values.f32`, values.subarray(0, 4));
  await rejects(openTermDataset(`${dir}/t`), /values\.f32 is 4 bytes, expected 16/);
  await Deno.remove(`${dir}/t/indices.u32`);
  await rejects(openTermDataset(`${dir}/t`), /indices\.u32 is missing/);
  await Deno.writeTextFile(`${dir}/t/manifest.json`, "{");
  await rejects(openTermDataset(`${dir}/t`), /manifest\.json is unreadable/);
  await rejects(
    openTermDataset(`${dir}/none`),
    /Cannot open term dataset .*none: manifest\.json is unreadable/,
  );
  equal(
    (await writeTermDataset(`${dir}/t`, m, meta(2))).nnz,
    4,
    "a damaged folder of ours is replaced",
  );
  await Deno.remove(dir, { recursive: true });
});

import { deepEqual, rejects, throws } from "node:assert/strict";
import { applyLabelsCsv, readLabelsCsv } from "../../data_prep/read_labels_csv.ts";
import type { ImageEntry } from "../../data_prep/image_entry.ts";
import { tempDir } from "./_fixtures.ts";

const entry = (file: string): ImageEntry => ({
  path: `/x/${file}`,
  file,
  labels: { class: file.split("/")[0] },
  partition: "",
});

Deno.test("readLabelsCsv + applyLabelsCsv join by path or base name", async () => {
  const dir = await tempDir();
  const path = `${dir}/l.csv`;
  await Deno.writeTextFile(
    path,
    '\ufeffFile,person,"note, quoted",partition\r\na/1.png,p1,x,train\n2.png,p2,"y, z",test\n',
  );
  const t = await readLabelsCsv(path);
  deepEqual(t.columns, ["person", "note, quoted"]);
  deepEqual(t.files, ["a/1.png", "2.png"]);
  const { entries, skipped } = applyLabelsCsv([
    entry("a/1.png"),
    entry("b/2.png"),
    entry("c/3.png"),
  ], t);
  deepEqual(entries.map((e) => [e.file, e.labels, e.partition]), [
    ["a/1.png", { class: "a", person: "p1", "note, quoted": "x" }, "train"],
    ["b/2.png", { class: "b", person: "p2", "note, quoted": "y, z" }, "test"],
  ]);
  deepEqual(skipped.map((s) => s.file), ["c/3.png"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("labels CSV errors: ragged rows, header only, no file column when joining", async () => {
  const dir = await tempDir();
  await Deno.writeTextFile(`${dir}/a.csv`, "file,y\n1.png,1,extra\n");
  await rejects(readLabelsCsv(`${dir}/a.csv`), /Cannot read labels CSV .*a\.csv/);
  await Deno.writeTextFile(`${dir}/b.csv`, "file,y\n");
  await rejects(readLabelsCsv(`${dir}/b.csv`), /needs a header row and at least one data row/);
  await Deno.writeTextFile(`${dir}/c.csv`, "y\n1\n");
  const t = await readLabelsCsv(`${dir}/c.csv`);
  throws(() => applyLabelsCsv([entry("a/1.png")], t), /has no file column/);
  await Deno.remove(dir, { recursive: true });
});

import { deepEqual, equal, rejects } from "node:assert/strict";
import { listTexts } from "../../data_prep/list_texts.ts";
import { tempDir, writeTree } from "./_fixtures.ts";

Deno.test("listTexts: class subfolders of .txt files; not UTF-8 is a listed skip", async () => {
  const dir = await tempDir();
  await writeTree(dir, {
    "docs/top.txt": "top",
    "docs/sci/2.txt": "b",
    "docs/sci/10.txt": "c",
    "docs/games/1.txt": "a",
    "docs/games/x.md": "no",
  });
  await Deno.writeFile(`${dir}/docs/games/bad.txt`, new Uint8Array([0x66, 0xff, 0xfe]));
  const list = await listTexts(`${dir}/docs`);
  deepEqual(list.documents.map((d) => [d.file, d.label, d.text]), [
    ["top.txt", "", "top"],
    ["games/1.txt", "games", "a"],
    ["sci/2.txt", "sci", "b"],
    ["sci/10.txt", "sci", "c"],
  ]);
  deepEqual(list.skipped, [{ file: "games/bad.txt", reason: "games/bad.txt is not UTF-8 text" }]);
  equal(list.labelName, "class");
  await Deno.mkdir(`${dir}/empty`);
  await rejects(listTexts(`${dir}/empty`), /holds no readable \.txt files \(0 skipped\)/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("listTexts: CSV and TSV with text and label columns; a missing column names the flag", async () => {
  const dir = await tempDir();
  await writeTree(dir, {
    "a.csv": 'id,text\n1,"one, two"\n2,"three\nlines"\n',
    "b.tsv": "body\tc\nx y\tk\n",
  });
  const csv = await listTexts(`${dir}/a.csv`);
  deepEqual(csv.documents.map((d) => d.text), ["one, two", "three\nlines"]);
  equal(csv.labelName, null);
  const tsv = await listTexts(`${dir}/b.tsv`, { textColumn: "body", labelColumn: "c" });
  deepEqual(tsv.documents, [{ file: "b.tsv[0]", text: "x y", label: "k" }]);
  await rejects(
    listTexts(`${dir}/a.csv`, { labelColumn: "topic" }),
    /has no label column topic \(header: id, text\); give --label-column/,
  );
  await rejects(listTexts(`${dir}/b.tsv`), /has no text column text .*give --text-column/);
  await rejects(listTexts(`${dir}/none.csv`), /Source .*none\.csv does not exist/);
  await Deno.remove(dir, { recursive: true });
});

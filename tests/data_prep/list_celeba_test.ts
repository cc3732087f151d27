import { deepEqual, equal, match, rejects } from "node:assert/strict";
import { listCeleba } from "../../data_prep/list_celeba.ts";
import { celebaTree, tempDir, writeTree } from "./_fixtures.ts";

Deno.test("listCeleba reads attributes (CRLF, runs of spaces), identities and partitions", async () => {
  const dir = await tempDir();
  await celebaTree(dir, 6);
  const list = await listCeleba(dir);
  equal(list.entries.length, 6);
  deepEqual(list.labelNames, ["Smiling", "Male", "Young", "identity"]);
  deepEqual(list.entries[0].labels, { Smiling: "1", Male: "-1", Young: "1", identity: "101" });
  deepEqual(list.entries.map((e) => e.partition), ["val", "test", "train", "val", "test", "train"]);
  equal(list.entries[1].file, "img_align_celeba/000002.jpg");
  const test = await listCeleba(dir, { partition: "test", limit: 1 });
  deepEqual(test.entries.map((e) => e.file), ["img_align_celeba/000002.jpg"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("listCeleba takes a partial folder with the official lists: unused rows and a wrong count are notes", async () => {
  const dir = await tempDir();
  // The first 3 images with the full list (5 rows, count line 202599), as people have CelebA.
  const rows = [1, 2, 3, 4, 5].map((i) => `00000${i}.jpg 1 -1 1`).join("\n");
  await celebaTree(dir, 3, { "list_attr_celeba.txt": `202599\nSmiling Male Young\n${rows}\n` });
  const list = await listCeleba(dir);
  deepEqual(
    list.entries.map((e) => e.file),
    [1, 2, 3].map((i) => `img_align_celeba/00000${i}.jpg`),
  );
  match(
    list.description,
    /3 of 3 images.*list_attr_celeba\.txt: its count line says 202599 but it has 5 rows, 2 of its 5 rows name images that are absent \(unused\)/,
  );
  deepEqual(list.skipped, []);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("listCeleba errors: images without rows are skipped, none with a row is an error", async () => {
  const dir = await tempDir();
  await celebaTree(dir, 3, {
    "list_attr_celeba.txt":
      "3\nSmiling Male Young\n000001.jpg 1 1 1\n000002.jpg 1 1 1\n000009.jpg 1 1 1\n",
  });
  const list = await listCeleba(dir);
  equal(list.entries.length, 2);
  deepEqual(list.skipped, [{
    file: "img_align_celeba/000003.jpg",
    reason: "img_align_celeba/000003.jpg has no row in list_attr_celeba.txt",
  }]);
  await writeTree(dir, { "list_attr_celeba.txt": "1\nSmiling Male Young\n000009.jpg 1 1 1\n" });
  await rejects(listCeleba(dir), /None of the 3 images in .* has a row in .*list_attr_celeba\.txt/);
  await writeTree(dir, {
    "list_attr_celeba.txt":
      "3\nSmiling Male Young\n000001.jpg 1 1\n000002.jpg 1 1 1\n000003.jpg 1 1 1\n",
  });
  await rejects(listCeleba(dir), /line 3 has 2 attributes, expected 3/);
  await Deno.remove(`${dir}/list_eval_partition.txt`);
  await rejects(
    listCeleba(dir, { partition: "val" }),
    /line 3|list_eval_partition\.txt does not exist/,
  );
  await rejects(listCeleba(`${dir}/img_align_celeba`), /not in the CelebA layout/);
  await Deno.remove(dir, { recursive: true });
});

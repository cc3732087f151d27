import { deepEqual, equal, rejects } from "node:assert/strict";
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

Deno.test("listCeleba errors: count line, rows vs images, missing partition file", async () => {
  const dir = await tempDir();
  await celebaTree(dir, 3, {
    "list_attr_celeba.txt":
      "4\nSmiling Male Young\n000001.jpg 1 1 1\n000002.jpg 1 1 1\n000003.jpg 1 1 1\n",
  });
  await rejects(listCeleba(dir), /says 4 images but has 3 rows/);
  await writeTree(dir, {
    "list_attr_celeba.txt":
      "3\nSmiling Male Young\n000001.jpg 1 1 1\n000002.jpg 1 1 1\n000009.jpg 1 1 1\n",
  });
  await rejects(
    listCeleba(dir),
    /do not match the images .*1 images have no attribute row \(first: 000003\.jpg\); 1 attribute rows name missing images \(first: 000009\.jpg\)/,
  );
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

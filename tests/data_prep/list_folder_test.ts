import { deepEqual, equal, rejects } from "node:assert/strict";
import { listFolder } from "../../data_prep/list_folder.ts";
import { tempDir, writeTree } from "./_fixtures.ts";

Deno.test("listFolder labels by subfolder in natural order and skips non-images", async () => {
  const dir = await tempDir();
  const b = new Uint8Array(1);
  await writeTree(dir, {
    "s10/1.pgm": b,
    "s2/10.PGM": b,
    "s2/9.png": b,
    "s2/readme.txt": "x",
    "top.jpg": b,
    ".hidden/1.jpg": b,
    "empty/notes.md": "x",
  });
  const list = await listFolder(dir);
  deepEqual(list.entries.map((e) => [e.file, e.labels.class]), [
    ["top.jpg", ""],
    ["s2/9.png", "s2"],
    ["s2/10.PGM", "s2"],
    ["s10/1.pgm", "s10"],
  ]);
  deepEqual(list.labelNames, ["class"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("listFolder reads the real ORL layout and refuses an empty folder", async () => {
  const list = await listFolder("data/att_faces");
  equal(list.entries.length, 400);
  deepEqual([list.entries[0].file, list.entries[10].file, list.entries[399].file], [
    "s1/1.pgm",
    "s2/1.pgm",
    "s40/10.pgm",
  ]);
  const dir = await tempDir();
  await writeTree(dir, { "a/notes.txt": "x" });
  await rejects(listFolder(dir), /holds no images .* one subfolder of images per class/);
  await rejects(listFolder(`${dir}/missing`), /Cannot read source folder/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("listFolder follows symbolic links and lists image names that are not files", async () => {
  const dir = await tempDir();
  const b = new Uint8Array(1);
  await writeTree(dir, { "a/1.pgm": b, "elsewhere/2.pgm": b });
  await Deno.mkdir(`${dir}/a/folder.png`);
  await Deno.symlink(`${dir}/elsewhere/2.pgm`, `${dir}/a/2.pgm`);
  await Deno.symlink(`${dir}/nothing.pgm`, `${dir}/a/3.pgm`);
  const list = await listFolder(dir);
  deepEqual(list.entries.map((e) => e.file), ["a/1.pgm", "a/2.pgm", "elsewhere/2.pgm"]);
  deepEqual(list.skipped, [
    { file: "a/3.pgm", reason: "a/3.pgm is a broken symbolic link" },
    { file: "a/folder.png", reason: "a/folder.png is a directory, not an image file" },
  ]);
  await Deno.remove(dir, { recursive: true });
});

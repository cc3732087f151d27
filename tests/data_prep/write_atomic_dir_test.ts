import { deepEqual, equal, rejects } from "node:assert/strict";
import { cleanLeftovers, writeAtomicDir } from "../../data_prep/write_atomic_dir.ts";
import { tempDir } from "./_fixtures.ts";

const names = async (dir: string) => {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
};

Deno.test("writeAtomicDir replaces a folder; a failing build leaves the old one and no temp", async () => {
  const root = await tempDir();
  const out = `${root}/ds`;
  const build = (text: string) => async (tmp: string) => {
    await Deno.writeTextFile(`${tmp}/data.txt`, text);
    await Deno.writeTextFile(`${tmp}/manifest.json`, "{}");
  };
  await writeAtomicDir(out, build("one"), { log: null });
  await writeAtomicDir(out, build("two"), { log: null });
  equal(await Deno.readTextFile(`${out}/data.txt`), "two");
  await rejects(
    writeAtomicDir(out, async (tmp) => {
      await Deno.writeTextFile(`${tmp}/data.txt`, "half");
      throw new Error("interrupted");
    }, { log: null }),
    /interrupted/,
  );
  equal(await Deno.readTextFile(`${out}/data.txt`), "two");
  deepEqual(await names(root), ["ds"]);
  await Deno.remove(root, { recursive: true });
});

Deno.test("cleanLeftovers removes temp folders and restores a parked old folder", async () => {
  const root = await tempDir();
  const log: string[] = [];
  await Deno.mkdir(`${root}/.ds.tmp-123-abc`);
  await Deno.mkdir(`${root}/.ds.old-123-abc`);
  await Deno.writeTextFile(`${root}/.ds.old-123-abc/manifest.json`, "{}");
  await cleanLeftovers(`${root}/ds`, { log: (l) => log.push(l) });
  deepEqual(await names(root), ["ds"]);
  deepEqual(await names(`${root}/ds`), ["manifest.json"]);
  equal(log.length, 2);
  await Deno.remove(root, { recursive: true });
});

Deno.test("writeAtomicDir refuses to replace a non-empty folder that is not a dataset", async () => {
  const root = await tempDir();
  await Deno.mkdir(`${root}/photos`);
  await Deno.writeTextFile(`${root}/photos/me.jpg`, "x");
  await rejects(
    writeAtomicDir(`${root}/photos`, async () => {}, { log: null }),
    /photos exists, is not empty and has no manifest\.json; choose another --out/,
  );
  deepEqual(await names(`${root}/photos`), ["me.jpg"]);
  await Deno.remove(root, { recursive: true });
});

import { deepEqual, equal, rejects } from "node:assert/strict";
import { join } from "node:path";
import { writeRunFiles } from "../../eval/write_run_files.ts";

Deno.test("writeRunFiles: writes text and bytes, overwrites, leaves no temporaries", async () => {
  const dir = await Deno.makeTempDir({ prefix: "facet_run_" });
  try {
    const target = join(dir, "nested", "run");
    const paths = await writeRunFiles(target, { "a.txt": "old", "b.bin": new Uint8Array([1, 2]) });
    deepEqual(paths, [join(target, "a.txt"), join(target, "b.bin")]);
    await writeRunFiles(target, { "a.txt": "new" });
    equal(await Deno.readTextFile(join(target, "a.txt")), "new");
    deepEqual(Array.from(await Deno.readFile(join(target, "b.bin"))), [1, 2]);
    const names = [];
    for await (const e of Deno.readDir(target)) names.push(e.name);
    deepEqual(names.sort(), ["a.txt", "b.bin"]);
    await rejects(writeRunFiles(target, { "../x": "no" }), /plain file name/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

import { equal } from "node:assert/strict";
import { pathExists } from "../../data_prep/path_exists.ts";

Deno.test("pathExists: true for a file and a folder, false for a missing path", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/a.txt`, "x");
  equal(await pathExists(dir), true);
  equal(await pathExists(`${dir}/a.txt`), true);
  equal(await pathExists(`${dir}/missing`), false);
  await Deno.remove(dir, { recursive: true });
});

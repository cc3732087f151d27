import { deepEqual, equal } from "node:assert/strict";
import { canMapFiles, mapFile } from "../../data_prep/map_file.ts";
import { randomPixels, tempDir } from "./_fixtures.ts";

Deno.test("mapFile maps a file read-only and matches a plain read", async () => {
  const dir = await tempDir();
  const data = randomPixels(10000, 1);
  await Deno.writeFile(`${dir}/a.bin`, data);
  equal(canMapFiles(), true, "tests run with --allow-ffi");
  const m = mapFile(`${dir}/a.bin`, { log: null });
  equal(m.mapped, true);
  deepEqual([...m.bytes], [...data]);
  m.close();
  m.close(); // twice is harmless
  const r = mapFile(`${dir}/a.bin`, { mmap: false, log: null });
  deepEqual([r.mapped, r.bytes.length], [false, 10000]);
  await Deno.writeFile(`${dir}/empty.bin`, new Uint8Array(0));
  equal(mapFile(`${dir}/empty.bin`, { log: null }).bytes.length, 0);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a mapping survives the file being replaced by rename", async () => {
  const dir = await tempDir();
  await Deno.writeFile(`${dir}/a.bin`, new Uint8Array(4096).fill(7));
  const m = mapFile(`${dir}/a.bin`, { log: null });
  await Deno.writeFile(`${dir}/b.bin`, new Uint8Array(10).fill(9));
  await Deno.rename(`${dir}/b.bin`, `${dir}/a.bin`);
  deepEqual([m.bytes.length, m.bytes[4095]], [4096, 7]);
  m.close();
  await Deno.remove(dir, { recursive: true });
});

import { deepEqual, equal, match, ok, rejects, throws } from "node:assert/strict";
import { openDataset } from "../../data_prep/open_dataset.ts";
import { prepDataset } from "../../data_prep/prep_dataset.ts";
import { npyBytes, tempDir } from "./_fixtures.ts";

/** ORL_32x32.mat prepared into 4 shards of 100 rows. */
async function orlShards(dir: string): Promise<string> {
  const out = `${dir}/orl`;
  await prepDataset("data/ORL_32x32.mat", { out, log: null, maxShardBytes: 100 * 1024 });
  return out;
}

Deno.test("openDataset memory-maps shards and hands out zero-copy row blocks", async () => {
  const dir = await tempDir();
  using ds = await openDataset(await orlShards(dir), { log: null });
  deepEqual([ds.n, ds.d, ds.height, ds.width, ds.dtype, ds.mapped], [
    400,
    1024,
    32,
    32,
    "u8",
    true,
  ]);
  const block = ds.rawRows(110, 130);
  const shard1 = ds.shard(1);
  equal(block.buffer, shard1.buffer, "a block inside one shard views the mapping");
  deepEqual([...block.subarray(0, 5)], [...shard1.subarray(10 * 1024, 10 * 1024 + 5)]);
  equal(ds.shardOf(99), 0);
  equal(ds.shardOf(100), 1);
  equal(ds.shardOf(399), 3);
  // Across shards: a copy equal to the pieces; rows() scales u8 by 1/255.
  const across = ds.rawRows(95, 205);
  deepEqual(
    [...across],
    [...ds.rawRows(95, 100), ...ds.rawRows(100, 200), ...ds.rawRows(200, 205)],
  );
  const f = ds.rows(95, 205);
  ok(f.every((v, i) => Math.abs(v - across[i] / 255) < 1e-7));
  equal(ds.rows(3, 3).length, 0);
  throws(() => ds.rawRows(0, 401), /Rows 0\.\.401 out of 0\.\.400/);
  throws(
    () => ds.labelColumn("colour"),
    /has no label column colour \(columns: file, class, partition\)/,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("openDataset f32 rows are zero-copy views in [0, 1]", async () => {
  const dir = await tempDir();
  const f = new Float32Array(4 * 9).map((_, i) => (i % 7) / 6);
  await Deno.writeFile(`${dir}/x.npy`, npyBytes("<f4", [4, 9], false, new Uint8Array(f.buffer)));
  await prepDataset(`${dir}/x.npy`, { out: `${dir}/ds`, log: null });
  using ds = await openDataset(`${dir}/ds`, { log: null });
  const rows = ds.rows(1, 3);
  equal(rows.buffer, ds.shard(0).buffer);
  deepEqual([...rows], [...f.subarray(9, 27)]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("openDataset checks checksums lazily: opening reads headers only", async () => {
  const dir = await tempDir();
  const out = await orlShards(dir);
  // Flip one payload byte of shard 2 (size and header stay right).
  const path = `${out}/shard-00002.bin`;
  const bytes = await Deno.readFile(path);
  bytes[32 + 5000] ^= 0xff;
  await Deno.writeFile(path, bytes);
  using ds = await openDataset(out, { log: null }); // succeeds: payloads untouched
  equal(ds.rawRows(0, 100).length, 100 * 1024);
  throws(
    () => ds.rawRows(200, 201),
    /shard-00002\.bin: payload checksum .* differs .*run prep again/,
  );
  await rejects(
    openDataset(out, { log: null, verify: "open" }),
    /shard-00002\.bin: payload checksum/,
  );
  using raw = await openDataset(out, { log: null, verify: "never" });
  equal(raw.rawRows(200, 205).length, 5 * 1024);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("openDataset rejects truncated, foreign and missing files with the file name", async () => {
  const dir = await tempDir();
  const out = await orlShards(dir);
  const path = `${out}/shard-00001.bin`;
  const good = await Deno.readFile(path);
  await Deno.writeFile(path, good.subarray(0, 4000));
  await rejects(
    openDataset(out, { log: null }),
    /Cannot read shard .*shard-00001\.bin: file is 4000 bytes, expected 102432; it is truncated or foreign/,
  );
  const foreign = good.slice();
  foreign.set(new TextEncoder().encode("\x89PNG"));
  await Deno.writeFile(path, foreign);
  await rejects(
    openDataset(out, { log: null }),
    /shard-00001\.bin: not a facet shard \(bad magic\)/,
  );
  await Deno.remove(path);
  await rejects(openDataset(out, { log: null }), /shard-00001\.bin: the file is missing/);
  await Deno.writeTextFile(`${out}/manifest.json`, '{"format":"facet-dataset","version":9}');
  await rejects(openDataset(out, { log: null }), /manifest\.json: version 9, this reader knows 1/);
  await rejects(openDataset(`${dir}/nope`), /manifest\.json is missing; run deno task prep/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("openDataset without FFI reads the shards and says so once", async () => {
  const dir = await tempDir();
  const out = await orlShards(dir);
  using ds = await openDataset(out, { log: null });
  let sum = 0;
  for (const v of ds.rows(0, ds.n)) sum += v;
  using plain = await openDataset(out, { log: null, mmap: false });
  equal(plain.mapped, false);
  deepEqual([...plain.rawRows(90, 110)], [...ds.rawRows(90, 110)]);
  const child = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "tests/data_prep/_open_no_ffi.ts", out],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(child.stderr);
  equal(child.code, 0, stderr);
  const got = JSON.parse(new TextDecoder().decode(child.stdout));
  deepEqual([got.mapped, got.n], [false, 400]);
  ok(Math.abs(got.sum - sum) < 1e-3 * sum, `${got.sum} vs ${sum}`);
  match(stderr, /Reading dataset shards into memory: FFI is not allowed \(run with --allow-ffi/);
  equal(stderr.match(/Reading dataset shards/g)?.length, 1);
  await Deno.remove(dir, { recursive: true });
});

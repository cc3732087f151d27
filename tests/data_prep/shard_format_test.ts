import { deepEqual, throws } from "node:assert/strict";
import { decodeShardHeader, encodeShardHeader } from "../../data_prep/shard_format.ts";

Deno.test("shard header round-trips and rejects foreign bytes", () => {
  const h = { version: 1, dtype: "f32" as const, rows: 12345, cols: 4096, checksum: 0xdeadbeef };
  const b = encodeShardHeader(h);
  deepEqual(decodeShardHeader(b, "s.bin"), h);
  throws(() => decodeShardHeader(b.subarray(0, 10), "s.bin"), /s\.bin: file is 10 bytes/);
  const bad = b.slice();
  bad[0] = 0x50;
  throws(() => decodeShardHeader(bad, "s.bin"), /s\.bin: not a facet shard/);
  const v2 = b.slice();
  v2[4] = 2;
  throws(() => decodeShardHeader(v2, "s.bin"), /format version 2/);
});

import { deepEqual, equal, throws } from "node:assert/strict";
import { readFactors, writeFactors } from "../../pipeline/factor_store.ts";

const state = {
  iteration: 20,
  loss: [3, 2, 1],
  lossIterations: [0, 10, 20],
  lossSeconds: [0, 0.5, 1],
  complete: false,
  stopReason: null,
  messages: ["hello"],
  seconds: 1,
};

Deno.test("factor store: round trip, replaced atomically, damage is named", async () => {
  const dir = await Deno.makeTempDir();
  const W = { rows: 5, cols: 3, data: Float32Array.from({ length: 15 }, (_, i) => i / 7) };
  const H = { rows: 3, cols: 4, data: Float32Array.from({ length: 12 }, (_, i) => -i) };
  await writeFactors(`${dir}/f`, { W, H }, state);
  const a = readFactors(`${dir}/f`);
  deepEqual(a.state, state);
  deepEqual(Array.from(a.factors.W.data), Array.from(W.data));
  deepEqual(Array.from(a.factors.H.data), Array.from(H.data));
  equal(a.factors.H.rows, 3);
  a.close();
  await writeFactors(`${dir}/f`, { W }, { ...state, iteration: 30 });
  const b = readFactors(`${dir}/f`);
  equal(b.state.iteration, 30);
  deepEqual(Object.keys(b.factors), ["W"]);
  b.close();
  deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["f"]); // no leftovers
  const shard = `${dir}/f/W/shard-00000.bin`;
  const bytes = Deno.readFileSync(shard);
  bytes[40] ^= 1;
  Deno.writeFileSync(shard, bytes);
  throws(() => readFactors(`${dir}/f`), /Cannot read factor shard .*W\/shard-00000\.bin: checksum/);
  Deno.writeFileSync(shard, bytes.subarray(0, 50));
  throws(() => readFactors(`${dir}/f`), /file is 50 bytes, expected 92/);
  throws(() => readFactors(`${dir}/none`), /Cannot read factors .*none\/factors\.json/);
  await Deno.remove(dir, { recursive: true });
});

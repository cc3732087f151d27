import { equal, notEqual } from "node:assert/strict";
import { testGpu } from "../_reference.ts";
import { BufferPool } from "../../gpu/buffer_pool.ts";

Deno.test("BufferPool reuses released buffers of the same size and destroys free ones on clear", async () => {
  const { device } = await testGpu();
  const pool = new BufferPool(device);
  const a = pool.acquire(100);
  equal(a.size, 112); // rounded up to a multiple of 16
  pool.release(a);
  equal(pool.acquire(100), a);
  const b = pool.acquire(200);
  notEqual(b, a);
  equal(pool.liveBuffers, 2);
  pool.release(a);
  pool.release(b);
  pool.clear();
  equal(pool.liveBuffers, 0);
  notEqual(pool.acquire(100), a);
  pool.clear();
});

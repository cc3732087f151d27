import { unpackU8 } from "../../gpu/unpack_u8.ts";
import { seededRandom } from "../../factorize/seeded_random.ts";
import { assertClose, testGpu } from "../_reference.ts";
import { throws } from "node:assert/strict";

// Exact up to f32 rounding of byte / 255.
const TOL = 1e-7;

Deno.test("unpackU8: bytes to [0, 1] floats vs float64, sizes not divisible by 4 or 64", async () => {
  const gpu = await testGpu();
  for (const [rows, cols] of [[1, 1], [1, 7], [3, 5], [65, 17], [200, 1001]]) {
    const rand = seededRandom(rows * 1000 + cols);
    const bytes = new Uint8Array(rows * cols).map(() => Math.floor(rand() * 256));
    bytes[0] = 255;
    const m = unpackU8(gpu, rows, cols, bytes);
    assertClose(await m.toArray(), Array.from(bytes, (b) => b / 255), TOL, `${rows}x${cols}`);
    m.dispose();
  }
  const m = unpackU8(gpu, 1, 3, new Uint8Array([1, 2, 3]), { scale: 2 });
  assertClose(await m.toArray(), [2, 4, 6], TOL, "scale 2");
  m.dispose();
  throws(() => unpackU8(gpu, 2, 2, new Uint8Array(3)), RangeError);
});

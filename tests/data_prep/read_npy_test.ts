import { deepEqual, equal, throws } from "node:assert/strict";
import { readNpy } from "../../data_prep/read_npy.ts";
import { npyBytes } from "./_fixtures.ts";

Deno.test("readNpy reads u1, f4 and f8 in C and Fortran order", () => {
  const u = readNpy(npyBytes("|u1", [2, 3], false, new Uint8Array([1, 2, 3, 4, 5, 6])));
  deepEqual([u.rows, u.cols, u.order, ...Array.from(u.data)], [2, 3, "C", 1, 2, 3, 4, 5, 6]);
  const f4 = new Float32Array([0.5, 0.25, 1, 0]);
  const a = readNpy(npyBytes("<f4", [2, 2], true, new Uint8Array(f4.buffer)));
  deepEqual([a.order, ...Array.from(a.data)], ["F", 0.5, 0.25, 1, 0]);
  const f8 = new Float64Array([1.5, -2]);
  deepEqual(Array.from(readNpy(npyBytes("<f8", [1, 2], false, new Uint8Array(f8.buffer))).data), [
    1.5,
    -2,
  ]);
});

/** `values` in dtype `descr` ("<i8", ">u2", "<f2", …), written the way NumPy writes them. */
function encode(descr: string, values: number[]): Uint8Array {
  const little = descr[0] !== ">";
  const [kind, size] = [descr[1], Number(descr.slice(2))];
  const out = new Uint8Array(values.length * size);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => {
    const o = i * size;
    if (kind === "f" && size === 2) {
      // exact halves only: sign, exponent, 10-bit fraction of values the test picks
      const e = x === 0 ? 0 : Math.floor(Math.log2(Math.abs(x)));
      const f = x === 0 ? 0 : Math.round((Math.abs(x) / 2 ** e - 1) * 1024);
      v.setUint16(o, (x < 0 ? 0x8000 : 0) | (x === 0 ? 0 : (e + 15) << 10) | f, little);
    } else if (kind === "f") size === 4 ? v.setFloat32(o, x, little) : v.setFloat64(o, x, little);
    else if (size === 8) {
      kind === "i" ? v.setBigInt64(o, BigInt(x), little) : v.setBigUint64(o, BigInt(x), little);
    } else {
      const set = {
        i: [v.setInt8, v.setInt16, v.setInt32],
        u: [v.setUint8, v.setUint16, v.setUint32],
      };
      set[kind as "i" | "u"][Math.log2(size)].call(v, o, x, little);
    }
  });
  return out;
}

Deno.test("readNpy converts every integer and float dtype of either byte order, and says so", () => {
  const cases: [string, number[]][] = [
    ["|i1", [-128, 0, 127]],
    ["<i2", [-300, 2, 32767]],
    [">i2", [-300, 2, 32767]],
    ["<i4", [-70000, 5, 2 ** 31 - 1]],
    ["<i8", [-(2 ** 40), 6, 2 ** 52]],
    [">i8", [-(2 ** 40), 6, 2 ** 52]],
    ["<u2", [0, 1000, 65535]],
    ["<u4", [0, 7, 2 ** 32 - 1]],
    ["<u8", [0, 9, 2 ** 50]],
    ["<f2", [-2.5, 0, 0.75]],
    [">f4", [-1.5, 0.25, 1e6]],
    [">f8", [-1e-300, 3.5, 1e300]],
  ];
  for (const [descr, values] of cases) {
    const m = readNpy(npyBytes(descr, [1, 3], false, encode(descr, values)), "x.npy");
    deepEqual(Array.from(m.data), values, descr);
    equal(/read as float64/.test(m.converted ?? ""), true, `${descr}: ${m.converted}`);
    equal(/big-endian/.test(m.converted!), descr[0] === ">", descr);
  }
  const plain = readNpy(npyBytes("<f4", [1, 1], false, new Uint8Array(4)));
  equal(plain.converted, null, "little-endian float32 is read as is");
});

Deno.test("readNpy reads an (n, h, w) stack as n images, Fortran order reordered to row-major pixels", () => {
  // 2 images of 2 x 3: image i pixel (y, x) = 100 i + 10 y + x
  const value = (i: number, y: number, x: number) => 100 * i + 10 * y + x;
  const c: number[] = [];
  for (let i = 0; i < 2; i++) {
    for (let y = 0; y < 2; y++) for (let x = 0; x < 3; x++) c.push(value(i, y, x));
  }
  const f: number[] = [];
  for (let x = 0; x < 3; x++) {
    for (let y = 0; y < 2; y++) for (let i = 0; i < 2; i++) f.push(value(i, y, x));
  }
  for (const [fortran, data] of [[false, c], [true, f]] as const) {
    const m = readNpy(npyBytes("<i2", [2, 2, 3], fortran, encode("<i2", data)), "s.npy");
    deepEqual([m.rows, m.cols, m.order, m.imageShape], [2, 6, "C", { height: 2, width: 3 }]);
    deepEqual(Array.from(m.data), c, `fortran ${fortran}`);
  }
});

Deno.test("readNpy rejects other shapes, dtypes and truncated files", () => {
  const d = new Uint8Array(8);
  throws(
    () => readNpy(npyBytes("|u1", [2, 2, 2, 1], false, d), "a.npy"),
    /a\.npy: shape \(2, 2, 2, 1\) is neither 2-D .* nor 3-D/,
  );
  throws(() => readNpy(npyBytes("|b1", [1, 2], false, d), "b.npy"), /b\.npy: dtype \|b1 is not/);
  throws(() => readNpy(npyBytes("<c8", [1, 1], false, d), "b.npy"), /dtype <c8 is not supported/);
  throws(() => readNpy(npyBytes("<f8", [2, 2], false, d), "c.npy"), /c\.npy: truncated data/);
  throws(() => readNpy(new Uint8Array(20), "d.npy"), /d\.npy: not a NumPy/);
});

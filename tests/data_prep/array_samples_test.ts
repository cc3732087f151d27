import { deepEqual, equal, match, throws } from "node:assert/strict";
import { arraySamples, type Matrix2D } from "../../data_prep/array_samples.ts";

// Two 2x3 images (width 3, height 2), pixel values 10*image + row-major pixel index.
const rowMajor = [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15];
const size = { width: 3, height: 2 };

function fortran(m: Matrix2D): Matrix2D {
  const data = new Array(m.rows * m.cols);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) data[j * m.rows + i] = m.data[i * m.cols + j];
  }
  return { ...m, order: "F", data };
}

Deno.test("arraySamples gives the same images from C and Fortran order, rows or columns", () => {
  const c: Matrix2D = { rows: 2, cols: 6, order: "C", data: rowMajor };
  const want = [[0, 1, 2, 3, 4, 5], [10, 11, 12, 13, 14, 15]];
  for (const m of [c, fortran(c)]) {
    const s = arraySamples(m, { pixelOrder: "row", imageSize: size }, "x");
    deepEqual([s.n, s.width, s.height, s.dtype], [2, 3, 2, "u8"]);
    deepEqual([[...s.image(0)], [...s.image(1)]], want);
  }
  // The transpose with imagesAsColumns: 6 x 2.
  const t = fortran(c); // same numbers read as a C-order 6 x 2 array of the transpose
  const cols = arraySamples({ rows: 6, cols: 2, order: "C", data: t.data }, {
    imagesAsColumns: true,
    pixelOrder: "row",
    imageSize: size,
  }, "x");
  deepEqual([[...cols.image(0)], [...cols.image(1)]], want);
});

Deno.test("arraySamples pixelOrder column transposes MATLAB-style images to row-major", () => {
  // Image 0 stored column-major: columns (x) of height 2.
  const colMajor = [0, 3, 1, 4, 2, 5];
  const s = arraySamples({ rows: 1, cols: 6, order: "C", data: colMajor }, {
    pixelOrder: "column",
    imageSize: size,
  }, "x");
  deepEqual([...s.image(0)], [0, 1, 2, 3, 4, 5]);
});

Deno.test("arraySamples: integers 0..255 as u8, other values kept unless --scale asks", () => {
  const one = (data: number[], scale?: "none" | "max" | "minmax") =>
    arraySamples({ rows: 1, cols: 4, order: "C", data }, { pixelOrder: "row", scale }, "x");
  equal(one([0, 255, 3, 4]).dtype, "u8");
  const unit = one([0, 0.5, 1, 0.25]);
  deepEqual([unit.dtype, unit.negative, ...unit.image(0)], ["f32", false, 0, 0.5, 1, 0.25]);
  // Nothing is rescaled unasked: mixed-sign data reach semi-NMF as they are.
  const mixed = one([-2, 0, 2.5, 1]);
  deepEqual([mixed.negative, ...mixed.image(0)], [true, -2, 0, 2.5, 1]);
  match(mixed.valueMapping, /values kept as given \(-2 to 2\.5\)/);
  const byMax = one([-2, 0, 4, 1], "max");
  deepEqual([byMax.negative, ...byMax.image(0)], [true, -0.5, 0, 1, 0.25]);
  const minmax = one([-2, 0, 2, 1], "minmax");
  deepEqual([minmax.negative, ...minmax.image(0)], [false, 0, 0.5, 1, 0.75]);
  match(minmax.valueMapping, /min-max scaled: .*--scale minmax/);
  const by255 = one([0, 127.5, 255, 51]);
  deepEqual([...by255.image(0)], [0, 127.5, 255, 51], "floats in 0..255 are kept too");
});

Deno.test("arraySamples errors name the source and what to pass", () => {
  const m: Matrix2D = { rows: 1, cols: 6, order: "C", data: [0, 1, 2, 3, 4, 5] };
  throws(() => arraySamples(m, { pixelOrder: "row" }, "f.npy"), /f\.npy: 6 values .*--image-size/);
  throws(
    () => arraySamples(m, { pixelOrder: "row", imageSize: { width: 2, height: 2 } }, "f.npy"),
    /image size 2x2 does not match 6/,
  );
  throws(
    () =>
      arraySamples(
        { ...m, data: [0, NaN, 0, 0, 0, 0] },
        { pixelOrder: "row", imageSize: size },
        "f",
      ),
    /value NaN/,
  );
});

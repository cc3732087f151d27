import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { arraySamples } from "../../data_prep/array_samples.ts";
import { readMat } from "../../data_prep/read_mat.ts";
import { correlation, matBytes, tempDir } from "./_fixtures.ts";

Deno.test("readMat reads Cai's ORL_32x32.mat: X 400x1024 uint8 and 40 classes in gnd", async () => {
  const mat = await readMat("data/ORL_32x32.mat");
  equal(mat.variable, "X");
  deepEqual([mat.matrix.rows, mat.matrix.cols], [400, 1024]);
  ok(mat.variables.includes("gnd"));
  equal(mat.labels!.length, 400);
  const counts = new Map<number, number>();
  for (const l of mat.labels!) counts.set(l, (counts.get(l) ?? 0) + 1);
  deepEqual([counts.size, Math.min(...counts.values()), Math.max(...counts.values())], [
    40,
    10,
    10,
  ]);
  equal(arraySamples(mat.matrix, { pixelOrder: "column" }, "X").dtype, "u8");
});

Deno.test("ORL_32x32 images are column-major: transposed, faces are left-right symmetric", async () => {
  // Cai's faces are tightly cropped, so compare with a property rather than the PGMs: an
  // upright face correlates with its left-right mirror far more than with its upside-down one.
  const mat = await readMat("data/ORL_32x32.mat");
  const lr = (a: Float32Array) => a.map((_, i) => a[Math.floor(i / 32) * 32 + 31 - (i % 32)]);
  const ud = (a: Float32Array) => a.map((_, i) => a[(31 - Math.floor(i / 32)) * 32 + (i % 32)]);
  const symmetry = (order: "row" | "column") => {
    const s = arraySamples(mat.matrix, { pixelOrder: order }, "X");
    let mirror = 0;
    let flip = 0;
    for (let k = 0; k < s.n; k += 4) {
      const im = s.image(k);
      mirror += correlation(im, lr(im));
      flip += correlation(im, ud(im));
    }
    return mirror - flip;
  };
  ok(symmetry("column") > 20, `column-major: ${symmetry("column")}`);
  ok(symmetry("row") < -20, `row-major: ${symmetry("row")}`);
});

Deno.test("readMat errors name the file and the variables", async () => {
  await rejects(
    readMat("data/ORL_32x32.mat", { variable: "fea" }),
    /has no variable fea \(variables: X,/,
  );
  const dir = await tempDir();
  await Deno.writeTextFile(`${dir}/bad.mat`, "not a mat file ".repeat(20));
  await rejects(readMat(`${dir}/bad.mat`), /Cannot read MATLAB file .*bad\.mat/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("readMat says why a file cannot be read: cut short, no header, v7.3, missing", async () => {
  const dir = await tempDir();
  const mat = matBytes([{
    name: "fea",
    rows: 4,
    cols: 4,
    data: Array.from({ length: 16 }, (_, i) => i),
  }]);
  const write = (name: string, bytes: Uint8Array) => Deno.writeFile(`${dir}/${name}`, bytes);
  await write("whole.mat", mat);
  equal((await readMat(`${dir}/whole.mat`)).matrix.rows, 4);
  await write("cut.mat", mat.subarray(0, mat.length - 20));
  await rejects(
    readMat(`${dir}/cut.mat`),
    /^Error: Cannot read MATLAB file .*cut\.mat: cut short: the variable at byte 128 needs \d+ bytes, \d+ are left; re-copy or re-save it$/,
  );
  await write("head.mat", mat.subarray(0, 100));
  await rejects(readMat(`${dir}/head.mat`), /100 bytes, shorter than the 128-byte level-5 header/);
  const v73 = mat.slice();
  v73.set(new TextEncoder().encode("MATLAB 7.3 MAT-file"));
  await write("v73.mat", v73);
  await rejects(readMat(`${dir}/v73.mat`), /is a v7\.3 \(HDF5\) file; re-save it with save -v7/);
  await rejects(readMat(`${dir}/none.mat`), /Cannot read MATLAB file .*none\.mat: No such file/);
  await Deno.remove(dir, { recursive: true });
});

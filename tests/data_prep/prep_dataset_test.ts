import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { parse } from "csv-parse";
import { openDataset } from "../../data_prep/open_dataset.ts";
import { prepDataset, type PrepOptions } from "../../data_prep/prep_dataset.ts";
import { nmf } from "../../factorize/nmf.ts";
import { testGpu } from "../_reference.ts";
import { semiNmf } from "../../factorize/semi_nmf.ts";
import { processImage } from "../../data_prep/process_image.ts";
import {
  celebaTree,
  jpegBytes,
  matBytes,
  npyBytes,
  pgmBytes,
  pngBytes,
  randomPixels,
  tempDir,
  writeTree,
} from "./_fixtures.ts";

const quiet = { log: null, workers: 0 } satisfies Partial<PrepOptions>;

const csvRows = async (path: string) =>
  parse(await Deno.readTextFile(path), { skip_empty_lines: true }) as string[][];

Deno.test("prep of a class-folder set: JPEG, PNG, PGM; damaged files skipped and listed", async () => {
  const dir = await tempDir();
  const jpg = await jpegBytes(40, 30, 1);
  await writeTree(dir, {
    "src/cats/a.jpg": jpg,
    "src/cats/b.png": await pngBytes(25, 25, 2),
    "src/cats/cut.jpg": jpg.slice(0, 250),
    "src/dogs/c.pgm": pgmBytes(12, 20, randomPixels(240, 3)),
    "src/dogs/bad.pgm": "P5\n12 twelve\n255\n",
  });
  const r = await prepDataset(`${dir}/src`, {
    ...quiet,
    out: `${dir}/ds`,
    size: { width: 8, height: 6 },
  });
  const m = r.manifest;
  deepEqual([m.n, m.d, m.width, m.height, m.dtype, m.scale], [3, 48, 8, 6, "u8", 1 / 255]);
  deepEqual(m.skipped.map((s) => s.file), ["cats/cut.jpg", "dogs/bad.pgm"]);
  match(m.skipped[0].reason, /JPEG data is damaged/);
  match(m.skipped[1].reason, /bad P5 header/);
  deepEqual(m.labels, [{ name: "class", distinct: 2, values: ["cats", "dogs"] }]);
  equal(m.partitions, null);
  deepEqual(await csvRows(`${dir}/ds/labels.csv`), [
    ["index", "file", "class", "partition"],
    ["0", "cats/a.jpg", "cats", ""],
    ["1", "cats/b.png", "cats", ""],
    ["2", "dogs/c.pgm", "dogs", ""],
  ]);
  using ds = await openDataset(`${dir}/ds`, { log: null });
  const want = await processImage(jpg, "a.jpg", { size: { width: 8, height: 6 }, crop: null });
  deepEqual([...ds.rawRows(0, 1)], [...want.pixels]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("prep reruns: same settings do nothing, other settings or --force rebuild", async () => {
  const dir = await tempDir();
  const lines: string[] = [];
  const opts = { workers: 0, out: `${dir}/ds`, limit: 20, size: { width: 16, height: 16 } };
  const first = await prepDataset("data/att_faces", { ...opts, log: null });
  equal(first.upToDate, false);
  const stamp = (await Deno.stat(`${dir}/ds/manifest.json`)).mtime!.getTime();
  const again = await prepDataset("data/att_faces", { ...opts, log: (l) => lines.push(l) });
  equal(again.upToDate, true);
  match(lines[0], /is up to date \(20 samples, same settings and source files\); nothing to do/);
  equal((await Deno.stat(`${dir}/ds/manifest.json`)).mtime!.getTime(), stamp);
  const bigger = await prepDataset("data/att_faces", {
    ...opts,
    size: { width: 20, height: 20 },
    log: null,
  });
  deepEqual([bigger.upToDate, bigger.manifest.d], [false, 400]);
  const forced = await prepDataset("data/att_faces", { ...opts, force: true, log: null });
  equal(forced.upToDate, false);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("prep of the real ORL PGMs (2 classes): rows equal the per-image pipeline", async () => {
  const dir = await tempDir();
  const r = await prepDataset("data/att_faces", { log: null, out: `${dir}/orl`, limit: 20 });
  deepEqual([r.manifest.n, r.manifest.width, r.manifest.height], [20, 64, 64]);
  deepEqual(r.manifest.labels[0].values, ["s1", "s2"]);
  using ds = await openDataset(`${dir}/orl`, { log: null });
  for (const [row, file] of [[0, "s1/1.pgm"], [19, "s2/10.pgm"]] as const) {
    const bytes = await Deno.readFile(`data/att_faces/${file}`);
    const p = await processImage(bytes, file, { size: { width: 64, height: 64 }, crop: null });
    deepEqual([...ds.rawRows(row, row + 1)], [...p.pixels]);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("prep of a CelebA layout: crop, resize, partition, attributes and identity", async () => {
  const dir = await tempDir();
  await celebaTree(`${dir}/celeba`, 6);
  for (let i = 1; i <= 6; i++) {
    await Deno.writeFile(
      `${dir}/celeba/img_align_celeba/${String(i).padStart(6, "0")}.jpg`,
      await jpegBytes(178, 218, i),
    );
  }
  const crop = { width: 178, height: 178 };
  const r = await prepDataset(`${dir}/celeba`, {
    ...quiet,
    out: `${dir}/ds`,
    crop,
    size: { width: 16, height: 16 },
    partition: "test",
  });
  const m = r.manifest;
  deepEqual([m.source.layout, m.n, m.d], ["celeba", 2, 256]);
  deepEqual(m.partitions, { test: 2 });
  deepEqual(m.labels.map((l) => l.name), ["Smiling", "Male", "Young", "identity"]);
  const rows = await csvRows(`${dir}/ds/labels.csv`);
  deepEqual(rows[0], ["index", "file", "Smiling", "Male", "Young", "identity", "partition"]);
  deepEqual(rows[1], ["0", "img_align_celeba/000002.jpg", "-1", "-1", "1", "100", "test"]);
  using ds = await openDataset(`${dir}/ds`, { log: null });
  const bytes = await Deno.readFile(`${dir}/celeba/img_align_celeba/000005.jpg`);
  const want = await processImage(bytes, "5", { size: { width: 16, height: 16 }, crop });
  deepEqual([...ds.rawRows(1, 2)], [...want.pixels]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("prep of ORL_32x32.mat: u8 32x32 row-major, gnd as class, several shards", async () => {
  const dir = await tempDir();
  const r = await prepDataset("data/ORL_32x32.mat", {
    ...quiet,
    out: `${dir}/ds`,
    maxShardBytes: 100 * 1024,
  });
  const m = r.manifest;
  deepEqual([m.n, m.width, m.height, m.dtype, m.shards.length], [400, 32, 32, "u8", 4]);
  deepEqual(m.shards.map((s) => s.rows), [100, 100, 100, 100]);
  deepEqual([m.labels[0].name, m.labels[0].distinct], ["class", 40]);
  using ds = await openDataset(`${dir}/ds`, { log: null });
  const cls = ds.labelColumn("class");
  deepEqual([cls.values[0], cls.values[39], cls.codes[0], cls.codes[399]], ["1", "40", 0, 39]);
  const small = await prepDataset("data/ORL_32x32.mat", {
    ...quiet,
    out: `${dir}/ds16`,
    size: { width: 16, height: 16 },
  });
  equal(small.manifest.d, 256);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("Cai .mat layouts: fea d x n is detected by gnd, a wrong --columns names the fix", async () => {
  const dir = await tempDir();
  const [d, n] = [16, 6];
  const byRows = Array.from({ length: n * d }, (_, i) => (i * 37) % 256); // n x d, row-major
  const gnd = { name: "gnd", rows: n, cols: 1, data: [1, 1, 2, 2, 3, 3] };
  // Column-major storage of the n x d matrix and of its transpose, d x n.
  const asRows = Array.from({ length: n * d }, (_, i) => byRows[(i % n) * d + Math.floor(i / n)]);
  await Deno.writeFile(
    `${dir}/rows.mat`,
    matBytes([{ name: "fea", rows: n, cols: d, data: asRows }, gnd]),
  );
  await Deno.writeFile(
    `${dir}/cols.mat`,
    matBytes([{ name: "fea", rows: d, cols: n, data: byRows }, gnd]),
  );
  const lines: string[] = [];
  const rows = await prepDataset(`${dir}/rows.mat`, { ...quiet, out: `${dir}/r` });
  const cols = await prepDataset(`${dir}/cols.mat`, {
    ...quiet,
    log: (l) => lines.push(l),
    out: `${dir}/c`,
  });
  deepEqual([cols.manifest.n, cols.manifest.d], [n, d]);
  match(
    cols.manifest.source.description,
    /images as columns \(detected: gnd has one label per column\)/,
  );
  ok(lines.some((l) => l.includes("images as columns (detected")), lines.join("\n"));
  match(rows.manifest.source.description, /images as rows \(--columns if they are the columns\)/);
  using a = await openDataset(`${dir}/r`, { log: null });
  using b = await openDataset(`${dir}/c`, { log: null });
  deepEqual([...b.rawRows(0, n)], [...a.rawRows(0, n)]);
  deepEqual(b.labelColumn("class").codes, a.labelColumn("class").codes);
  await rejects(
    prepDataset(`${dir}/rows.mat`, { ...quiet, out: `${dir}/x`, imagesAsColumns: true }),
    /has 6 values for 16 samples \(images as columns of 6x16\); leave out --columns/,
  );
  await rejects(
    prepDataset(`${dir}/cols.mat`, { ...quiet, out: `${dir}/x`, imagesAsColumns: false }),
    /has 6 values for 16 samples \(images as rows of 16x6\); give --columns/,
  );
  equal(await Deno.stat(`${dir}/x`).then(() => true, () => false), false);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("prep of a gzipped CSV with a label column equals the .mat it came from", async () => {
  const dir = await tempDir();
  const mat = await prepDataset("data/ORL_32x32.mat", { ...quiet, out: `${dir}/m`, limit: 30 });
  using m = await openDataset(`${dir}/m`, { log: null });
  const rows = m.rawRows(0, m.n) as Uint8Array;
  const { values, codes } = m.labelColumn("class");
  const lines = Array.from(
    { length: m.n },
    (_, i) => [...rows.subarray(i * m.d, (i + 1) * m.d), values[codes[i]]].join(","),
  );
  const gz = new Blob([lines.join("\n") + "\n"]).stream().pipeThrough(
    new CompressionStream("gzip"),
  );
  await Deno.writeFile(`${dir}/orl.csv.gz`, new Uint8Array(await new Response(gz).arrayBuffer()));
  await rejects(
    prepDataset(`${dir}/orl.csv.gz`, { ...quiet, out: `${dir}/c` }),
    /1025 columns, one more than 32x32 images; name the label column \(--label-column -1/,
  );
  const csv = await prepDataset(`${dir}/orl.csv.gz`, {
    ...quiet,
    out: `${dir}/c`,
    labelColumn: "-1",
  });
  deepEqual([csv.manifest.n, csv.manifest.d, csv.manifest.dtype], [30, 1024, "u8"]);
  equal(csv.manifest.source.layout, "csv");
  using c = await openDataset(`${dir}/c`, { log: null });
  deepEqual([...c.rawRows(0, c.n)], [...rows]);
  deepEqual(c.labelColumn("class").codes, m.labelColumn("class").codes);
  equal(mat.manifest.n, 30);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("prep of .npy: f32 values with a labels CSV; u8 Fortran images-as-columns", async () => {
  const dir = await tempDir();
  const f = new Float32Array(3 * 4).map((_, i) => i / 11);
  await Deno.writeFile(`${dir}/x.npy`, npyBytes("<f4", [3, 4], false, new Uint8Array(f.buffer)));
  await Deno.writeTextFile(`${dir}/y.csv`, "digit,partition\n7,train\n1,test\n7,train\n");
  const r = await prepDataset(`${dir}/x.npy`, {
    ...quiet,
    out: `${dir}/ds`,
    labels: `${dir}/y.csv`,
  });
  const m = r.manifest;
  deepEqual([m.dtype, m.n, m.width, m.height, m.scale], ["f32", 3, 2, 2, 1]);
  deepEqual(m.partitions, { train: 2, test: 1 });
  deepEqual(m.labels, [{ name: "digit", distinct: 2, values: ["1", "7"] }]);
  using ds = await openDataset(`${dir}/ds`, { log: null });
  deepEqual([...ds.rows(1, 2)], [...f.subarray(4, 8)]);
  // 4 x 2 uint8 in Fortran order, images as columns: image j = column j.
  const u = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
  await Deno.writeFile(`${dir}/u.npy`, npyBytes("|u1", [4, 2], true, u));
  const r2 = await prepDataset(`${dir}/u.npy`, {
    ...quiet,
    out: `${dir}/du`,
    imagesAsColumns: true,
  });
  using du = await openDataset(`${dir}/du`, { log: null });
  deepEqual([r2.manifest.dtype, ...du.rawRows(0, 2)], ["u8", 1, 2, 3, 4, 5, 6, 7, 8]);
  await Deno.writeTextFile(`${dir}/short.csv`, "digit\n7\n");
  await rejects(
    prepDataset(`${dir}/x.npy`, { ...quiet, out: `${dir}/d2`, labels: `${dir}/short.csv` }),
    /short\.csv has 1 rows but .*x\.npy holds 3 samples/,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("prep of a 3-D int64 .npy stack: n images of h x w, the conversion said in the manifest", async () => {
  const dir = await tempDir();
  // 3 images of 2 x 4 (NumPy's default int64), values 0..23
  const values = new BigInt64Array(24).map((_, i) => BigInt(i));
  await Deno.writeFile(
    `${dir}/s.npy`,
    npyBytes("<i8", [3, 2, 4], false, new Uint8Array(values.buffer)),
  );
  const r = await prepDataset(`${dir}/s.npy`, { ...quiet, out: `${dir}/ds` });
  const m = r.manifest;
  deepEqual([m.n, m.width, m.height, m.dtype], [3, 4, 2, "u8"]);
  match(m.source.description, /3 images of 2x4 .*int64 read as float64/);
  using ds = await openDataset(`${dir}/ds`, { log: null });
  deepEqual([...ds.rawRows(1, 2)], [8, 9, 10, 11, 12, 13, 14, 15]);
  await rejects(
    prepDataset(`${dir}/s.npy`, { ...quiet, out: `${dir}/d2`, imageSize: { width: 2, height: 4 } }),
    /s\.npy holds 4x2 images .*leave out the image size or give 4x2/,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("prep keeps mixed-sign .npy values as given (--scale asks otherwise); NMF refuses them, semi-NMF fits", async () => {
  const dir = await tempDir();
  const f = Float32Array.from({ length: 6 * 4 }, (_, i) => Math.sin(i) * 3); // 6 samples of 2 x 2
  await Deno.writeFile(`${dir}/x.npy`, npyBytes("<f4", [6, 4], false, new Uint8Array(f.buffer)));
  const r = await prepDataset(`${dir}/x.npy`, { ...quiet, out: `${dir}/ds` });
  deepEqual([r.manifest.dtype, r.manifest.scale, r.manifest.negative], ["f32", 1, true]);
  match(r.manifest.source.description, /values kept as given/);
  using ds = await openDataset(`${dir}/ds`, { log: null });
  deepEqual([...ds.rows(0, 6)], [...f]);
  const gpu = await testGpu();
  const input = { data: ds.rows(0, 6), d: 4, n: 6, samplesAsRows: true };
  await rejects(
    nmf(gpu, input, { rank: 2 }),
    /negative entry .*use semi-NMF \(semiNmf, --model semi-nmf\)/,
  );
  const semi = await semiNmf(gpu, input, { rank: 2, maxIter: 20 });
  ok(semi.loss.at(-1)! < semi.loss[0]);
  const scaled = await prepDataset(`${dir}/x.npy`, { ...quiet, out: `${dir}/d2`, scale: "minmax" });
  equal(scaled.manifest.negative, false);
  match(scaled.manifest.source.description, /min-max scaled/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("prep errors: empty source, all images bad, attribute mismatch, mixed sizes", async () => {
  const dir = await tempDir();
  await Deno.mkdir(`${dir}/empty`);
  await rejects(prepDataset(`${dir}/empty`, { ...quiet, out: `${dir}/ds` }), /holds no images/);
  await writeTree(dir, { "bad/a/1.jpg": "nope", "bad/a/2.png": "nope" });
  await rejects(
    prepDataset(`${dir}/bad`, { ...quiet, out: `${dir}/ds` }),
    /None of the 2 images .* could be used \(first: a\/1\.jpg: Cannot decode/,
  );
  const f = Float32Array.from({ length: 4 * 16 }, (_, i) => i);
  f[21] = Infinity;
  await Deno.writeFile(`${dir}/inf.npy`, npyBytes("<f4", [4, 16], false, new Uint8Array(f.buffer)));
  await rejects(
    prepDataset(`${dir}/inf.npy`, { ...quiet, out: `${dir}/ds` }),
    /inf\.npy: value Infinity at element 21; clean the data/,
  );
  const npy = npyBytes("<f4", [4, 16], false, new Uint8Array(new Float32Array(64).buffer));
  await Deno.writeFile(`${dir}/cut.npy`, npy.subarray(0, npy.length - 8));
  await rejects(
    prepDataset(`${dir}/cut.npy`, { ...quiet, out: `${dir}/ds` }),
    /Cannot read .*cut\.npy: truncated data, 248 bytes, expected 256/,
  );
  await celebaTree(`${dir}/celeba`, 3, { "list_attr_celeba.txt": "1\nSmiling\n000009.jpg 1\n" });
  await rejects(
    prepDataset(`${dir}/celeba`, { ...quiet, out: `${dir}/ds` }),
    /None of the 3 images in .* has a row in/,
  );
  await rejects(
    prepDataset(`${dir}/empty`, { ...quiet, out: `${dir}/ds`, limit: 0 }),
    /Option limit must be a whole number >= 1, got 0/,
  );
  // Mixed sizes without a resize target: a clear error, and the previous dataset stays whole.
  await writeTree(dir, {
    "mixed/a/1.pgm": pgmBytes(4, 4, randomPixels(16, 1)),
    "mixed/a/2.pgm": pgmBytes(5, 4, randomPixels(20, 2)),
  });
  const ok1 = await prepDataset(`${dir}/mixed`, {
    ...quiet,
    out: `${dir}/ds`,
    limit: 1,
    size: null,
  });
  equal(ok1.manifest.d, 16);
  await rejects(
    prepDataset(`${dir}/mixed`, { ...quiet, out: `${dir}/ds`, size: null }),
    /Images differ in size: a\/2\.pgm is 5x4 but a\/1\.pgm is 4x4; pass a resize target \(--size WxH\)/,
  );
  using ds = await openDataset(`${dir}/ds`, { log: null, verify: "open" });
  equal(ds.n, 1);
  const left = [];
  for await (const e of Deno.readDir(dir)) left.push(e.name);
  ok(!left.some((n) => n.includes(".tmp-")), `temp folders left: ${left}`);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("prep after an interrupted run: leftover temp folder removed, old dataset kept until swap", async () => {
  const dir = await tempDir();
  await prepDataset("data/att_faces", {
    ...quiet,
    out: `${dir}/ds`,
    limit: 10,
    size: { width: 8, height: 8 },
  });
  // What a killed run leaves: a half-written temp folder beside the dataset.
  await writeTree(dir, { ".ds.tmp-999-zzz/shard-00000.bin": "half" });
  using before = await openDataset(`${dir}/ds`, { log: null, verify: "open" });
  equal(before.n, 10);
  const lines: string[] = [];
  const r = await prepDataset("data/att_faces", {
    workers: 0,
    out: `${dir}/ds`,
    limit: 12,
    size: { width: 8, height: 8 },
    log: (l) => lines.push(l),
  });
  equal(r.manifest.n, 12);
  ok(
    lines.some((l) => /Removed .*\.ds\.tmp-999-zzz, left by an interrupted run/.test(l)),
    lines.join("\n"),
  );
  const left = [];
  for await (const e of Deno.readDir(dir)) left.push(e.name);
  deepEqual(left, ["ds"]);
  await Deno.remove(dir, { recursive: true });
});

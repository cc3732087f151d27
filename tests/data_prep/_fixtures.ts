// Small image files written by the tests: seeded-random JPEG/PNG (imagescript) and PGMs by hand.

import { Image } from "imagescript";
import { seededRandom } from "../../factorize/seeded_random.ts";

/** A fresh temporary folder. */
export function tempDir(): Promise<string> {
  return Deno.makeTempDir({ prefix: "facet-prep-test-" });
}

/** A smooth RGB test image (a gradient plus seeded noise), row-major RGBA. */
export function testRgba(width: number, height: number, seed: number): Uint8Array {
  const rand = seededRandom(seed);
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      out[i] = Math.floor((255 * x) / Math.max(1, width - 1));
      out[i + 1] = Math.floor((255 * y) / Math.max(1, height - 1));
      out[i + 2] = Math.floor(rand() * 64) + 96;
      out[i + 3] = 255;
    }
  }
  return out;
}

function _image(width: number, height: number, seed: number): Image {
  const img = new Image(width, height);
  img.bitmap.set(testRgba(width, height, seed));
  return img;
}

/** PNG bytes of {@linkcode testRgba}. */
export function pngBytes(width: number, height: number, seed: number): Promise<Uint8Array> {
  return _image(width, height, seed).encode();
}

/** JPEG bytes of {@linkcode testRgba} (quality 90). */
export function jpegBytes(width: number, height: number, seed: number): Promise<Uint8Array> {
  return _image(width, height, seed).encodeJPEG(90);
}

/** A raw P5 PGM of the given 8-bit pixels. */
export function pgmBytes(width: number, height: number, pixels: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode(`P5\n# test\n${width} ${height}\n255\n`);
  const out = new Uint8Array(head.length + pixels.length);
  out.set(head);
  out.set(pixels, head.length);
  return out;
}

/** Seeded random 8-bit pixels. */
export function randomPixels(n: number, seed: number): Uint8Array {
  const rand = seededRandom(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
}

/** Writes `files` (relative path -> bytes or text) under `root`, creating folders. */
export async function writeTree(
  root: string,
  files: Record<string, Uint8Array | string>,
): Promise<void> {
  for (const [rel, data] of Object.entries(files)) {
    const path = `${root}/${rel}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    if (typeof data === "string") await Deno.writeTextFile(path, data);
    else await Deno.writeFile(path, data);
  }
}

/** Pearson correlation of two equal-length arrays. */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** .npy v1 bytes: header padded so the data starts at a multiple of 64. */
export function npyBytes(
  descr: string,
  shape: number[],
  fortran: boolean,
  data: Uint8Array,
): Uint8Array {
  let dict = `{'descr': '${descr}', 'fortran_order': ${fortran ? "True" : "False"}, 'shape': (${
    shape.join(", ")
  }${shape.length === 1 ? "," : ""}), }`;
  while ((10 + dict.length + 1) % 64 !== 0) dict += " ";
  dict += "\n";
  const head = new TextEncoder().encode(dict);
  const out = new Uint8Array(10 + head.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, head.length & 255, head.length >> 8]);
  out.set(head, 10);
  out.set(data, 10 + head.length);
  return out;
}

/** A CelebA-layout tree with `n` (empty) images, 3 attributes, CRLF and runs of spaces. */
export async function celebaTree(
  dir: string,
  n: number,
  extra: Record<string, string> = {},
): Promise<void> {
  const files: Record<string, Uint8Array | string> = {};
  const rows = [String(n), "Smiling Male  Young"];
  const parts: string[] = [];
  const ids: string[] = [];
  for (let i = 1; i <= n; i++) {
    const f = `${String(i).padStart(6, "0")}.jpg`;
    files[`img_align_celeba/${f}`] = new Uint8Array(1);
    rows.push(`${f}  ${i % 2 ? "1" : "-1"} -1   ${i % 3 ? " 1" : "-1"}`);
    parts.push(`${f} ${i % 3}`);
    ids.push(`${f} ${100 + (i % 2)}`);
  }
  files["list_attr_celeba.txt"] = rows.join("\r\n") + "\r\n";
  files["list_eval_partition.txt"] = parts.join("\n") + "\n";
  files["identity_CelebA.txt"] = ids.join("\n");
  await writeTree(dir, { ...files, ...extra });
}

/** One double matrix of a .mat file: `data` column-major, as MATLAB stores it. */
export interface MatVariable {
  name: string;
  rows: number;
  cols: number;
  data: ArrayLike<number>;
}

/** Uncompressed level-5 .mat bytes (little-endian) holding double matrices. */
export function matBytes(variables: MatVariable[]): Uint8Array {
  const pad8 = (b: number) => (b + 7) & ~7;
  const parts: Uint8Array[] = [];
  const header = new Uint8Array(128).fill(32);
  header.set(new TextEncoder().encode("MATLAB 5.0 MAT-file, written by facet's tests"));
  header.set([0, 1, 0x49, 0x4d], 124); // version 0x0100, endian "IM"
  parts.push(header);
  for (const v of variables) {
    const name = new TextEncoder().encode(v.name);
    const body = 16 + 16 + 8 + pad8(name.length) + 8 + v.data.length * 8;
    const b = new DataView(new ArrayBuffer(8 + body));
    let o = 0;
    const u32 = (x: number) => (b.setUint32(o, x, true), o += 4);
    u32(14), u32(body); // miMATRIX
    u32(6), u32(8), u32(6), u32(0); // array flags: mxDOUBLE_CLASS
    u32(5), u32(8), u32(v.rows), u32(v.cols); // dimensions (miINT32)
    u32(1), u32(name.length); // name (miINT8)
    new Uint8Array(b.buffer).set(name, o);
    o += pad8(name.length);
    u32(9), u32(v.data.length * 8); // real part (miDOUBLE)
    for (let i = 0; i < v.data.length; i++, o += 8) b.setFloat64(o, v.data[i], true);
    parts.push(new Uint8Array(b.buffer));
  }
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, at), at += p.length;
  return out;
}

function _crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A valid PNG whose IHDR (CRC fixed up) claims `width` x `height`: a decompression bomb. */
export async function hugePngBytes(width: number, height: number): Promise<Uint8Array> {
  const png = (await pngBytes(8, 8, 1)).slice();
  const v = new DataView(png.buffer);
  v.setUint32(16, width);
  v.setUint32(20, height);
  v.setUint32(29, _crc32(png.subarray(12, 29)));
  return png;
}

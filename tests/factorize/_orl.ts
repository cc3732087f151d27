// The ORL faces for the clustering tests: data/att_faces/s1..s40/1..10.pgm (92x112 P5),
// box-averaged 4x4 to 23x28 = 644 features, n = 400, labels 0..39; and the clustering score
// the ORL tests compare models by.

import { clusteringAccuracy } from "../../eval/clustering_accuracy.ts";
import { transposeMatrix } from "../../eval/dense_matrix.ts";
import { kmeans } from "../../eval/kmeans.ts";
import { nmi } from "../../eval/nmi.ts";
import type { HostMatrix } from "../../factorize/factorization_result.ts";

const ROOT = new URL("../../data/att_faces/", import.meta.url);

/** Pixels of a binary P5 PGM (maxval < 256). */
function parseP5(bytes: Uint8Array, name: string): { w: number; h: number; px: Uint8Array } {
  const fields: string[] = [];
  let i = 0;
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(bytes[i]))) i++;
    if (bytes[i] === 35) { // '#' comment
      while (bytes[i] !== 10) i++;
      continue;
    }
    let tok = "";
    while (i < bytes.length && !/\s/.test(String.fromCharCode(bytes[i]))) {
      tok += String.fromCharCode(bytes[i++]);
    }
    fields.push(tok);
  }
  i++; // the single whitespace after maxval
  const [magic, w, h, max] = [fields[0], +fields[1], +fields[2], +fields[3]];
  if (magic !== "P5" || !(max < 256) || bytes.length - i < w * h) {
    throw new Error(`Cannot read ${name}: not an 8-bit P5 PGM of ${w}x${h}`);
  }
  return { w, h, px: bytes.subarray(i, i + w * h) };
}

/** X (644 x 400, features x samples, values in [0, 1]) and the identity of each sample. */
export async function loadOrl(): Promise<
  { x: Float32Array; d: number; n: number; labels: Int32Array }
> {
  const [bw, bh] = [23, 28];
  const d = bw * bh;
  const n = 400;
  const x = new Float32Array(d * n);
  const labels = new Int32Array(n);
  for (let p = 0; p < 40; p++) {
    for (let j = 0; j < 10; j++) {
      const s = p * 10 + j;
      labels[s] = p;
      const name = `s${p + 1}/${j + 1}.pgm`;
      const { w, px } = parseP5(await Deno.readFile(new URL(name, ROOT)), name);
      for (let by = 0; by < bh; by++) {
        for (let bx = 0; bx < bw; bx++) {
          let sum = 0;
          for (let dy = 0; dy < 4; dy++) {
            for (let dx = 0; dx < 4; dx++) sum += px[(by * 4 + dy) * w + bx * 4 + dx];
          }
          x[(by * bw + bx) * n + s] = sum / (16 * 255);
        }
      }
    }
  }
  return { x, d, n, labels };
}

/** k-means (40 clusters, 10 starts, seed 0) on the columns of H: [accuracy, NMI] vs `labels`. */
export async function clusterScores(
  h: HostMatrix,
  labels: Int32Array,
): Promise<[number, number]> {
  const r = await kmeans(transposeMatrix(h), { k: 40, seed: 0 });
  return [clusteringAccuracy(labels, r.labels), nmi(labels, r.labels)];
}

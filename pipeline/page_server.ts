/**
 * The local server of facet's browser page (`deno task serve`): web/index.html, the page's
 * code bundled for the browser (web/app.ts with facet's core and kernels, by `deno bundle`),
 * and the embedded ORL faces (Cai's 32x32 .mat) as a float32 X, one face per column.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { readMat } from "../data_prep/read_mat.ts";

const WEB = new URL("../web/", import.meta.url);
const ORL_MAT = new URL("../data/ORL_32x32.mat", import.meta.url);

/**
 * The page's code as one browser script: `deno bundle --platform browser web/app.ts`
 * (WGSL kernels inlined as text), or of another entry module (the browser tests' pages).
 * Throws with the bundler's message when it fails.
 */
export async function bundlePage(entry: URL = new URL("app.ts", WEB)): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--quiet", "--platform", "browser", fileURLToPath(entry)],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success || !text.trim()) {
    throw new Error(
      `Bundling ${fileURLToPath(entry)} failed: ${new TextDecoder().decode(out.stderr).trim()}`,
    );
  }
  return text;
}

/** The ORL faces the page offers: X (d x n) in [0, 1] (Cai's pixel order) and their meta. */
export interface OrlPayload {
  /** d * n float32 values, row-major: one face per column, as the fits take X. */
  x: Float32Array;
  /** Samples, pixels, image size, pixel order and each sample's person (0..39). */
  meta: {
    n: number;
    d: number;
    width: number;
    height: number;
    pixelOrder: "column-major";
    labels: number[];
  };
}

/** Reads data/ORL_32x32.mat (400 faces of 40 people, 32x32, values 0..255) for the page. */
export async function orlPayload(): Promise<OrlPayload> {
  const mat = await readMat(fileURLToPath(ORL_MAT));
  const { rows: n, cols: d, data, order } = mat.matrix;
  const x = new Float32Array(d * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) x[j * n + i] = data[order === "C" ? i * d + j : j * n + i] / 255;
  }
  const people = [...new Set(mat.labels ?? [])].sort((a, b) => a - b);
  const labels = (mat.labels ?? []).map((l) => people.indexOf(l));
  return {
    x,
    meta: { n, d, width: 32, height: 32, pixelOrder: "column-major", labels },
  };
}

/** Options of {@linkcode servePage}. */
export interface ServePageOptions {
  /** Port on 127.0.0.1; 0 picks a free one. Default 8000. */
  port?: number;
  /** Called with the page's address once it listens. */
  onListen?: (url: string) => void;
}

/** A running page server. */
export interface PageServer {
  /** The page's address, e.g. http://127.0.0.1:8000/. */
  url: string;
  /** Stops the server. */
  shutdown(): Promise<void>;
}

/**
 * Bundles the page, reads the ORL faces and serves them on 127.0.0.1 only: `/` (the page),
 * `/app.js`, `/orl_32x32.f32` and `/orl_32x32.json`; anything else is 404.
 *
 * @example
 * ```ts
 * const server = await servePage({ port: 0 });
 * console.log((await fetch(server.url)).status); // 200
 * await server.shutdown();
 * ```
 */
export async function servePage(options: ServePageOptions = {}): Promise<PageServer> {
  const port = options.port ?? 8000;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`Option port must be an integer in 0..65535, got ${port}`);
  }
  const [app, orl, html] = await Promise.all([
    bundlePage(),
    orlPayload(),
    Deno.readTextFile(new URL("index.html", WEB)),
  ]);
  const files: Record<string, [BodyInit, string]> = {
    "/": [html, "text/html; charset=utf-8"],
    "/index.html": [html, "text/html; charset=utf-8"],
    "/app.js": [app, "text/javascript; charset=utf-8"],
    "/orl_32x32.f32": [orl.x.slice().buffer, "application/octet-stream"],
    "/orl_32x32.json": [JSON.stringify(orl.meta), "application/json"],
  };
  const server = Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, (req) => {
    const file = files[new URL(req.url).pathname];
    if (!file || req.method !== "GET") return new Response("Not found", { status: 404 });
    return new Response(file[0], {
      headers: { "content-type": file[1], "cache-control": "no-store" },
    });
  });
  const url = `http://127.0.0.1:${server.addr.port}/`;
  options.onListen?.(url);
  return { url, shutdown: () => server.shutdown() };
}

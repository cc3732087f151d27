/**
 * Web Worker body for {@linkcode decodeImages}: reads, decodes and processes
 * one image per message and posts the 8-bit pixels back (transferred).
 *
 * Message in: `{ id, path, name, options }`; out: `{ id, ok: true, image }` or
 * `{ id, ok: false, reason }`.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { processImage, type ProcessOptions } from "./process_image.ts";

interface _Job {
  id: number;
  path: string;
  name: string;
  options: ProcessOptions;
}

self.onmessage = async (e: MessageEvent<_Job>) => {
  const { id, path, name, options } = e.data;
  try {
    const bytes = await Deno.readFile(path);
    const image = await processImage(bytes, name, options);
    self.postMessage({ id, ok: true, image }, [image.pixels.buffer as ArrayBuffer]);
  } catch (err) {
    self.postMessage({ id, ok: false, reason: err instanceof Error ? err.message : String(err) });
  }
};

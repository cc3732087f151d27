/**
 * Writes a run's output files atomically (the one eval module that touches
 * the file system).
 *
 * @module
 */

import { join } from "node:path";

/**
 * Writes each `files[name]` (text or bytes) into `dir` (created if missing):
 * first to a temporary name in the same directory, then renamed over the
 * target, so a reader never sees a half-written report. Names must be plain
 * file names. Returns the written paths.
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * const files = { "report.html": "<p>hi</p>", "x.bin": new Uint8Array([1, 2]) };
 * const paths = await writeRunFiles(dir, files);
 * console.log(paths.length, await Deno.readTextFile(paths[0])); // 2 <p>hi</p>
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeRunFiles(
  dir: string,
  files: Record<string, string | Uint8Array>,
): Promise<string[]> {
  for (const name of Object.keys(files)) {
    if (!name || name === "." || name === ".." || /[\/\\\0]/.test(name)) {
      throw new RangeError(
        `Cannot write run file "${name}": give a plain file name, without directories`,
      );
    }
  }
  await Deno.mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    const tmp = join(dir, `.${name}.${crypto.randomUUID()}.tmp`);
    try {
      if (typeof content === "string") await Deno.writeTextFile(tmp, content);
      else await Deno.writeFile(tmp, content);
      await Deno.rename(tmp, path);
    } catch (e) {
      await Deno.remove(tmp).catch(() => {});
      throw new Error(`Cannot write ${path}: ${(e as Error).message}`, { cause: e });
    }
    written.push(path);
  }
  return written;
}

/**
 * Atomic replacement of a whole folder: build it under a temporary sibling
 * name, then swap it in with renames, so that readers see the old folder or
 * the new one (or, if killed between the two renames, none), never a half one.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";

/** Options of {@linkcode writeAtomicDir}. */
export interface AtomicDirOptions {
  /** File whose presence marks a finished folder (default `manifest.json`). */
  marker?: string;
  /** Where notes go (leftovers removed); `null` for none. Default console.error. */
  log?: ((line: string) => void) | null;
}

async function _exists(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.stat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/**
 * Removes what an interrupted run left beside `out`: temporary build folders
 * `.<name>.tmp-*` are deleted; an old folder `.<name>.old-*` parked during a
 * swap is put back when `out` is missing, else deleted.
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/.orl.tmp-123`); // as a killed run leaves it
 * await cleanLeftovers(`${dir}/orl`, { log: console.log }); // Removed <dir>/.orl.tmp-123, ...
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function cleanLeftovers(out: string, options: AtomicDirOptions = {}): Promise<void> {
  const log = options.log === undefined ? console.error : options.log;
  const parent = dirname(out);
  const name = basename(out);
  if (!(await _exists(parent))) return;
  const found: string[] = [];
  for await (const e of Deno.readDir(parent)) {
    if (e.name.startsWith(`.${name}.tmp-`) || e.name.startsWith(`.${name}.old-`)) {
      found.push(e.name);
    }
  }
  for (const f of found.sort()) {
    const path = join(parent, f);
    if (f.startsWith(`.${name}.old-`) && !(await _exists(out))) {
      await Deno.rename(path, out);
      log?.(`Restored ${out} from ${path}, left by an interrupted run`);
    } else {
      await Deno.remove(path, { recursive: true });
      log?.(`Removed ${path}, left by an interrupted run`);
    }
  }
}

/**
 * Builds folder `out` atomically: removes leftovers of interrupted runs,
 * lets `build(tmp)` fill a fresh temporary sibling folder (it should write
 * the marker file last), then renames the old `out` aside, the new one into
 * place, and deletes the old one. If `build` throws, the temporary folder is
 * removed and `out` is untouched. Refuses to replace an existing non-empty
 * folder that lacks the marker file (not one of ours).
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * await writeAtomicDir(`${dir}/ds`, async (tmp) => {
 *   await Deno.writeTextFile(`${tmp}/manifest.json`, "{}"); // the marker file, written last
 * });
 * console.log([...Deno.readDirSync(dir)].map((e) => e.name)); // ["ds"]: no temporary folder left
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeAtomicDir(
  out: string,
  build: (tmp: string) => Promise<void>,
  options: AtomicDirOptions = {},
): Promise<void> {
  const marker = options.marker ?? "manifest.json";
  await cleanLeftovers(out, options);
  const info = await _exists(out);
  if (info && !info.isDirectory) {
    throw new Error(`Output ${out} exists and is not a folder; choose another --out`);
  }
  if (info && !(await _exists(join(out, marker)))) {
    for await (const _ of Deno.readDir(out)) {
      throw new Error(
        `Output folder ${out} exists, is not empty and has no ${marker}; choose another --out or remove it`,
      );
    }
  }
  const parent = dirname(out);
  const name = basename(out);
  await Deno.mkdir(parent, { recursive: true });
  const tag = `${Deno.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const tmp = join(parent, `.${name}.tmp-${tag}`);
  await Deno.mkdir(tmp);
  try {
    await build(tmp);
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw e;
  }
  if (info) {
    const old = join(parent, `.${name}.old-${tag}`);
    await Deno.rename(out, old);
    await Deno.rename(tmp, out);
    await Deno.remove(old, { recursive: true });
  } else {
    await Deno.rename(tmp, out);
  }
}

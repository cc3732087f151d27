/**
 * Whether a path exists, for the file-system side (data prep and run folders).
 *
 * @module
 */

/**
 * True when `path` exists (file or folder); false when it does not. Other errors (permission
 * denied, say) propagate.
 *
 * @example
 * ```ts
 * console.log(await pathExists("data/att_faces"), await pathExists("no/such/dir")); // true false
 * ```
 */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/**
 * Loads WGSL source that lives beside a module, in Deno (file: URLs, needs
 * read permission) and in browsers (http: URLs) alike.
 *
 * @module
 */

/**
 * The text of `path` resolved against `base` (pass `import.meta.url`).
 *
 * @example
 * ```ts
 * const src = await loadWgsl("./gemm_register.wgsl", import.meta.url);
 * ```
 */
export async function loadWgsl(path: string, base: string): Promise<string> {
  const url = new URL(path, base);
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new Error(`Cannot load kernel source ${url}: ${(e as Error).message}`);
  }
  if (!res.ok) throw new Error(`Cannot load kernel source ${url}: HTTP ${res.status}`);
  return await res.text();
}

/**
 * Fills `{{NAME}}` placeholders in WGSL source.
 *
 * @module
 */

/**
 * Replaces every `{{NAME}}` in `source` with `values[NAME]`.
 *
 * Throws when a placeholder has no value or a value has no placeholder, so a
 * kernel never compiles with a forgotten substitution.
 *
 * @example
 * ```ts
 * console.log(fillTemplate("let x = {{A}};", { A: "1.0" })); // "let x = 1.0;"
 * ```
 */
export function fillTemplate(
  source: string,
  values: Readonly<Record<string, string | number>>,
): string {
  const used = new Set<string>();
  const out = source.replace(/\{\{([A-Z0-9_]+)\}\}/g, (_, name: string) => {
    if (!(name in values)) {
      throw new Error(`Template placeholder {{${name}}} has no value`);
    }
    used.add(name);
    return String(values[name]);
  });
  for (const name of Object.keys(values)) {
    if (!used.has(name)) throw new Error(`Template value ${name} has no placeholder {{${name}}}`);
  }
  const leftover = out.match(/\{\{[^}]*\}\}/);
  if (leftover) throw new Error(`Template has a malformed placeholder ${leftover[0]}`);
  return out;
}

/**
 * Escaping text for HTML and SVG.
 *
 * @module
 */

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes `&`, `<`, `>`, `"` and `'`, so any text is safe in element content
 * and in quoted attribute values of HTML and SVG.
 *
 * @example
 * ```ts
 * console.log(escapeXml('a < b & "c"')); // a &lt; b &amp; &quot;c&quot;
 * ```
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch]);
}

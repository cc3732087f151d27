// A small well-formedness check for the HTML and SVG the eval module writes.

const VOID = new Set(["meta", "img", "br", "hr", "input", "link", "col", "wbr"]);

/**
 * Throws unless every element of `markup` is closed in order (void HTML
 * elements and `/>` excepted) and no raw `<` or `&` appears outside tags and
 * entities. Returns the number of each element name.
 */
export function checkMarkup(markup: string): Map<string, number> {
  const counts = new Map<string, number>();
  const stack: string[] = [];
  const body = markup.replace(/^<!DOCTYPE html>/i, "");
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+(?:="[^"<]*")?)*)\s*(\/?)>/g;
  let last = 0;
  for (const m of body.matchAll(tag)) {
    const text = body.slice(last, m.index);
    if (/[<>]/.test(text)) throw new Error(`Stray < or > near: ${text.slice(0, 80)}`);
    if (/&(?!(amp|lt|gt|quot|#\d+);)/.test(text)) {
      throw new Error(`Unescaped & near: ${text.slice(0, 80)}`);
    }
    last = m.index! + m[0].length;
    const [, closing, rawName, , selfClosing] = m;
    const name = rawName.toLowerCase();
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else {
      counts.set(name, (counts.get(name) ?? 0) + 1);
      if (!selfClosing && !VOID.has(name)) stack.push(name);
    }
  }
  if (/[<>]/.test(body.slice(last))) throw new Error("Stray < or > at the end");
  if (stack.length > 0) throw new Error(`Unclosed elements: ${stack.join(", ")}`);
  return counts;
}

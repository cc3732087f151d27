// deno run --allow-read --allow-write examples/man_pages.ts <out.csv> [--root /usr/share/man] [--max-chars 20000]
//
// A larger real English corpus than the package descriptions, on most Linux machines: the
// installed manual pages (/usr/share/man/man1 .. man8, gzipped troff), one document per page
// with its section (1 user commands, 3 library calls, 8 administration, ...) as its class,
// written as a CSV (columns page, section, text) for
// `deno task prep <out.csv> --layout text --label-column section`. The troff is reduced to
// its words: comments, request and macro names, font and size escapes are dropped, the
// macros' arguments kept. Pages that only point at another (`.so`) and symlinks are skipped.
import { stringify } from "csv-stringify";
import { parseArgs } from "node:util";
import { join } from "node:path";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: { root: { type: "string", default: "/usr/share/man" }, "max-chars": { type: "string" } },
});
if (positionals.length !== 1) {
  console.error("man_pages: give the CSV to write, e.g. runs/man.csv");
  Deno.exit(2);
}
const maxChars = Number(values["max-chars"] ?? 20000);

/** The words of a troff page: text lines and macro arguments, escapes removed. */
function troffText(src: string): string {
  const out: string[] = [];
  for (const raw of src.split("\n")) {
    if (/^['.]\s*\\"/.test(raw)) continue; // comment
    let line = raw;
    if (/^['.]/.test(line)) {
      const [name, ...rest] = line.slice(1).trim().split(/\s+/);
      if (
        /^(TH|so|ds|de|nr|if|ie|el|ig|tr|ft|ps|ll|in|ti|sp|br|ne|na|ad|fi|nf|hy|nh)$/.test(name)
      ) {
        continue;
      }
      // Indents and paragraph spacing are numbers, not words (`.RS 2m`, `.TP 8`).
      line = /^(RS|RE|TP|PD|IP|HP|PP|LP|P)$/.test(name)
        ? rest.filter((a) => !/^[-+]?\d+(\.\d+)?[a-z]?$/i.test(a)).join(" ")
        : rest.join(" ");
    }
    line = line
      .replace(/\\[hvwlLoxDZ]'[^']*'/g, " ")
      .replace(/\\f(\(..|\[[^\]]*\]|.)/g, "")
      .replace(/\\s[+-]?\d+/g, "")
      .replace(/\\\*(\(..|\[[^\]]*\]|.)/g, " ")
      .replace(/\\\(../g, " ")
      .replace(/\\\[[^\]]*\]/g, " ")
      .replace(/\\-/g, "-")
      .replace(/\\(.)/g, " ")
      .replace(/"/g, " ");
    if (line.trim()) out.push(line.trim());
  }
  return out.join(" ").slice(0, maxChars);
}

const rows: string[][] = [];
let skipped = 0;
for (let s = 1; s <= 8; s++) {
  const dir = join(values.root!, `man${s}`);
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)].sort((a, b) => a.name < b.name ? -1 : 1);
  } catch {
    continue;
  }
  for (const e of entries) {
    if (!e.isFile) continue;
    const bytes = await Deno.readFile(join(dir, e.name));
    const text = e.name.endsWith(".gz")
      ? await new Response(
        new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")),
      ).text()
      : new TextDecoder().decode(bytes);
    if (/^\.so\s/m.test(text.slice(0, 200)) && text.length < 200) {
      skipped++;
      continue;
    }
    const words = troffText(text);
    if (!words) {
      skipped++;
      continue;
    }
    rows.push([e.name.replace(/\.gz$/, ""), String(s), words]);
  }
}
const tmp = `${positionals[0]}.tmp`;
await Deno.writeTextFile(tmp, stringify([["page", "section", "text"], ...rows]));
await Deno.rename(tmp, positionals[0]);
console.error(
  `Wrote ${positionals[0]}: ${rows.length} manual pages (${skipped} redirects or empty skipped)`,
);

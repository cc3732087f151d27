// deno run --allow-run --allow-read --allow-write examples/debian_descriptions.ts <out.csv> [--limit N]
//
// A real English corpus on every Debian machine: the package descriptions that
// `apt-cache dumpavail` prints (tens of thousands), each with its Section as a
// class, written as a CSV (columns package, section, text) for
// `deno task prep <out.csv> --layout text --label-column section`.
import { stringify } from "csv-stringify";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: { limit: { type: "string" } },
});
if (positionals.length !== 1) {
  console.error("debian_descriptions: give the CSV to write, e.g. runs/debian.csv");
  Deno.exit(2);
}
const out = await new Deno.Command("apt-cache", { args: ["dumpavail"], stdout: "piped" }).output();
if (!out.success) {
  console.error("debian_descriptions: apt-cache dumpavail failed (is this a Debian system?)");
  Deno.exit(1);
}
const rows: string[][] = [];
const seen = new Set<string>();
for (const stanza of new TextDecoder().decode(out.stdout).split(/\n\n+/)) {
  const field = (name: string) => stanza.match(new RegExp(`^${name}: (.*)$`, "m"))?.[1] ?? "";
  const pkg = field("Package");
  // The description: its first line, then the indented lines below it ("." is a blank line).
  const desc = stanza.match(/^Description(?:-en)?: (.*(?:\n .*)*)/m)?.[1];
  if (!pkg || !desc || seen.has(pkg)) continue;
  seen.add(pkg);
  const text = desc.split("\n").map((l) => l.trim()).filter((l) => l !== ".").join(" ");
  rows.push([pkg, field("Section").split("/").at(-1) ?? "", text]);
}
const limit = values.limit ? Number(values.limit) : rows.length;
const tmp = `${positionals[0]}.tmp`;
await Deno.writeTextFile(tmp, stringify([["package", "section", "text"], ...rows.slice(0, limit)]));
await Deno.rename(tmp, positionals[0]);
console.error(
  `Wrote ${positionals[0]}: ${Math.min(limit, rows.length)} of ${rows.length} packages`,
);

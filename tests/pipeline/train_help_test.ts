import { deepEqual, ok } from "node:assert/strict";
import { MODEL_NAMES, MODEL_OPTIONS, RUN_OPTIONS } from "../../pipeline/train_config.ts";
import {
  readmeWithOptionTable,
  trainOptionsHelp,
  trainOptionsMarkdown,
} from "../../pipeline/train_help.ts";

Deno.test("train help: every option of every model is in --help and the README table", () => {
  const help = trainOptionsHelp();
  const table = trainOptionsMarkdown();
  const keys = [
    ...Object.keys(RUN_OPTIONS),
    ...MODEL_NAMES.flatMap((m) => Object.keys(MODEL_OPTIONS[m])),
  ];
  for (const key of keys) {
    const flag = "--" + key.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
    ok(help.includes(`  ${flag} `), `--help lacks ${flag}`);
    ok(table.includes(`| \`${key}\` (\`${flag}\`) |`), `table lacks ${key}`);
  }
  ok(help.split("\n").every((l) => l.length <= 100), "a --help line is over 100 columns");
});

/** A Markdown table's cells, trimmed (deno fmt pads them), dash runs of separator rows as one. */
function cells(text: string): string[][] {
  return text.trim().split("\n").map((row) =>
    row.split("|").map((c) => (/^\s*-+\s*$/.test(c) ? "-" : c.trim()))
  );
}

Deno.test("train help: the README's option table is the one the schemas write", async () => {
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  const block = (text: string) =>
    text.split("checked by the tests -->")[1].split("<!-- options:end")[0];
  deepEqual(
    cells(block(readme)),
    cells(block(readmeWithOptionTable(readme))),
    "README.md's option table is out of date: run deno run -A tasks/options_table.ts",
  );
});

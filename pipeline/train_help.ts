/**
 * The train task's option docs, written from the schemas: `--help` text and the
 * README's option table (a test keeps the README's copy current).
 *
 * @module
 */

import { describeOption, type OptionSpec } from "../factorize/option_schema.ts";
import { flagName, MODEL_NAMES, MODEL_OPTIONS, RUN_OPTIONS } from "./train_config.ts";

const _PLACEHOLDER: Record<OptionSpec["type"], string> = {
  integer: "N",
  number: "X",
  string: "S",
  boolean: "B",
  "integer[]": "N,N",
  "number[]": "X,X",
  "string[]": "S,S",
  object: "",
};

function _default(spec: OptionSpec): string {
  if (spec.required) return "required";
  const v = spec.default;
  return `default ${Array.isArray(v) ? v.join(",") : String(v)}`;
}

function _wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/**
 * `--help` lines of `schema`'s options (all, or `keys`): flag, value, doc,
 * what it takes and its default, wrapped to 100 columns.
 *
 * @example
 * ```ts
 * const schema = {
 *   maxIter: { type: "integer", min: 0, default: 200, doc: "Most iterations." },
 * } as const;
 * console.log(optionHelp(schema)); // --max-iter N, padded, then the doc, range and default
 * ```
 */
export function optionHelp(schema: Record<string, OptionSpec>, keys?: readonly string[]): string {
  const out: string[] = [];
  for (const key of keys ?? Object.keys(schema)) {
    const spec = schema[key];
    const flag = `  ${flagName(key)} ${_PLACEHOLDER[spec.type]}`;
    const text = `${spec.doc} (${describeOption(spec)}; ${_default(spec)})`;
    const pad = Math.max(28, flag.length + 3);
    const lines = _wrap(text, 100 - 28);
    out.push(flag.padEnd(pad) + lines[0], ...lines.slice(1).map((l) => " ".repeat(28) + l));
  }
  return out.join("\n");
}

/**
 * The option part of `deno task train --help`: the run's options, then each
 * model's, from the schemas.
 *
 * @example
 * ```ts
 * console.log(trainOptionsHelp().includes("--beta-loss S")); // true
 * ```
 */
export function trainOptionsHelp(): string {
  const parts = [`Options of every run:\n${optionHelp(RUN_OPTIONS)}`];
  for (const model of MODEL_NAMES) {
    parts.push(`Options of --model ${model}:\n${optionHelp(MODEL_OPTIONS[model])}`);
  }
  return parts.join("\n\n");
}

/**
 * The README's option table (Markdown) of the train task, from the schemas.
 *
 * @example
 * ```ts
 * console.log(trainOptionsMarkdown().split("\n")[0]); // | option | models | takes | default | what it does |
 * ```
 */
export function trainOptionsMarkdown(): string {
  const rows = [
    "| option | models | takes | default | what it does |",
    "| --- | --- | --- | --- | --- |",
  ];
  // One row per distinct option; the models that share it are listed together.
  const seen = new Map<string, { key: string; spec: OptionSpec; models: string[] }>();
  const add = (key: string, spec: OptionSpec, model: string) => {
    const id = `${key} ${JSON.stringify(spec)}`;
    if (seen.has(id)) seen.get(id)!.models.push(model);
    else seen.set(id, { key, spec, models: [model] });
  };
  for (const [key, spec] of Object.entries(RUN_OPTIONS)) add(key, spec, "all");
  for (const model of MODEL_NAMES) {
    for (const [key, spec] of Object.entries(MODEL_OPTIONS[model])) add(key, spec, model);
  }
  for (const { key, spec, models } of seen.values()) {
    const cell = (s: string) => s.replaceAll("|", "\\|");
    rows.push(
      `| \`${key}\` (\`${flagName(key)}\`) | ${models.join(", ")} | ${
        cell(describeOption(spec))
      } | ` +
        `${cell(_default(spec).replace(/^default /, ""))} | ${cell(spec.doc)} |`,
    );
  }
  return rows.join("\n");
}

const _BEGIN =
  "<!-- train options: written by `deno run -A tasks/options_table.ts`, checked by the tests -->";
const _END = "<!-- options:end -->";

/**
 * `readme` with its train option table (between the two marker comments)
 * replaced by {@linkcode trainOptionsMarkdown}; throws when a marker is missing.
 *
 * @example
 * ```ts
 * const marks = "<!-- train options: written by `deno run -A tasks/options_table.ts`, checked by the tests -->\n<!-- options:end -->";
 * console.log(readmeWithOptionTable(`# Tool\n${marks}\n`).includes("| `rank`")); // true
 * ```
 */
export function readmeWithOptionTable(readme: string): string {
  const a = readme.indexOf(_BEGIN);
  const b = readme.indexOf(_END);
  if (a < 0 || b < a) throw new Error(`README lacks the option table markers ${_BEGIN} … ${_END}`);
  return readme.slice(0, a + _BEGIN.length) + "\n\n" + trainOptionsMarkdown() + "\n\n" +
    readme.slice(b);
}

// deno run -A tasks/options_table.ts: rewrites the README's table of the
// train task's options from the schemas (tests/pipeline/train_help_test.ts checks it is current).
import { readmeWithOptionTable } from "../pipeline/train_help.ts";

const path = new URL("../README.md", import.meta.url);
const text = readmeWithOptionTable(await Deno.readTextFile(path));
const tmp = new URL("../README.md.tmp", import.meta.url);
await Deno.writeTextFile(tmp, text);
await Deno.rename(tmp, path);
await new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", path.pathname] }).output();
console.log("README.md: option table written");

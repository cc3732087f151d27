import { equal, match, ok } from "node:assert/strict";
import { parse } from "csv-parse";
import { runExample } from "./_run_example.ts";

const hasApt = await new Deno.Command("apt-cache", { args: ["--version"], stdout: "null" })
  .output().then((o) => o.success, () => false);

Deno.test({
  name: "debian_descriptions: apt-cache's packages as a CSV of package, section, text",
  ignore: !hasApt, // a Debian machine's tool; every machine of this project has it
  fn: async () => {
    const dir = await Deno.makeTempDir();
    const r = await runExample("debian_descriptions.ts", [`${dir}/d.csv`, "--limit", "50"]);
    equal(r.code, 0, r.stderr);
    match(r.stderr, /Wrote .*d\.csv: 50 of \d+ packages/);
    const rows = parse(await Deno.readTextFile(`${dir}/d.csv`)) as string[][];
    equal(rows[0].join(), "package,section,text");
    equal(rows.length, 51);
    ok(
      rows.slice(1).every((row) => row[0] !== "" && row[2] !== ""),
      "every row has a package and text",
    );
    equal((await runExample("debian_descriptions.ts", [])).code, 2);
    await Deno.remove(dir, { recursive: true });
  },
});

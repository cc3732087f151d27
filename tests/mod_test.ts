import { equal, ok } from "node:assert/strict";

Deno.test("mod.ts imports under deno run with no permissions at all (no file reads, no native add-on)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const script = `${dir}/import_mod.ts`;
    const mod = new URL("../mod.ts", import.meta.url).href;
    await Deno.writeTextFile(
      script,
      `const facet = await import(${JSON.stringify(mod)});\n` +
        `console.log(typeof facet.nmf, typeof facet.prepDataset, typeof facet.Gpu);\n`,
    );
    const config = new URL("../deno.json", import.meta.url).pathname;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", "--config", config, script],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    equal(out.code, 0, stderr);
    equal(new TextDecoder().decode(out.stdout).trim(), "function function function");
    ok(!/Requires|PermissionDenied|NotCapable/.test(stderr), stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

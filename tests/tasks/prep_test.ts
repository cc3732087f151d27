import { equal, match } from "node:assert/strict";
import { runTask } from "./_run_task.ts";

function prep(...args: string[]) {
  return runTask("prep", args);
}

Deno.test("prep CLI: --help, bad options exit 2 with one line", async () => {
  const help = await prep("--help");
  equal(help.code, 0);
  match(help.stdout, /Usage: deno task prep <source> --out <dir>/);
  for (
    const [args, msg] of [
      [["x", "--bogus"], /^prep: Unknown option '--bogus' \(see --help\)\n$/],
      [
        ["x", "--out", "y", "--size", "64"],
        /^prep: --size must look like 64x64 .*got 64 \(see --help\)\n$/,
      ],
      [["x", "--out", "y", "--limit", "-3"], /^prep: .*limit/],
      [
        ["x", "--out", "y", "--layout", "zip"],
        /^prep: --layout must be one of folder, celeba, mat, npy, got zip/,
      ],
      [["x", "--out", "y", "--partition", "dev"], /^prep: --partition must be train, val or test/],
      [["x"], /^prep: --out <dir> is required/],
      [["--out", "y"], /^prep: expected one <source>, got 0/],
    ] as const
  ) {
    const r = await prep(...args);
    equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    match(r.stderr, msg);
    equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  }
});

Deno.test("prep CLI: prepares ORL_32x32.mat, then says it is up to date", async () => {
  const dir = await Deno.makeTempDir();
  const first = await prep("data/ORL_32x32.mat", "--out", `${dir}/ds`, "--size", "16x16");
  equal(first.code, 0, first.stderr);
  match(
    first.stderr,
    /prep: 400 in .* s \(\d+\/s\)\nWrote .*ds: 400 samples of 16x16 \(u8\) in 1 shard\(s\), 0 skipped/,
  );
  const again = await prep("data/ORL_32x32.mat", "--out", `${dir}/ds`, "--size", "16x16");
  match(again.stderr, /is up to date .*nothing to do/);
  const missing = await prep(`${dir}/none`, "--out", `${dir}/x`);
  equal(missing.code, 1);
  match(missing.stderr, /^prep: Source .*none does not exist\n$/);
  await Deno.remove(dir, { recursive: true });
});

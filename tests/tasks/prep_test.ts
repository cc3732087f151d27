import { equal, match } from "node:assert/strict";
import { runTask, taskFlags } from "./_run_task.ts";
import { openDataset } from "../../data_prep/open_dataset.ts";

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
        /^prep: --layout must be one of folder, celeba, mat, npy, csv, text, got zip/,
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

Deno.test("prep CLI: SIGKILL mid-write leaves the old dataset whole; the rerun cleans up", async () => {
  const dir = await Deno.makeTempDir();
  const out = `${dir}/ds`;
  equal((await prep("data/ORL_32x32.mat", "--out", out, "--size", "8x8")).code, 0);
  const args = ["data/att_faces", "--out", out, "--size", "256x256", "--shard-mb", "1"];
  const shardsIn = async (tmp: string) => {
    let count = 0;
    for await (const e of Deno.readDir(`${dir}/${tmp}`)) {
      count += e.name.startsWith("shard-") ? 1 : 0;
    }
    return count;
  };
  let killed = false;
  for (let attempt = 0; attempt < 5 && !killed; attempt++) {
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        ...taskFlags("prep"),
        "tasks/prep.ts",
        ...args,
        "--workers",
        "0",
      ],
      env: { XDG_RUNTIME_DIR: "/tmp", INIT_CWD: Deno.cwd() },
      stdout: "null",
      stderr: "null",
    }).spawn();
    let done = false;
    child.status.then(() => done = true);
    while (!done && !killed) {
      for await (const e of Deno.readDir(dir)) {
        if (e.name.startsWith(".ds.tmp-") && await shardsIn(e.name).catch(() => 0) >= 2) {
          child.kill("SIGKILL");
          killed = true;
        }
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    await child.status;
    if (!killed) {
      await Deno.remove(out, { recursive: true }).then(() =>
        prep("data/ORL_32x32.mat", "--out", out, "--size", "8x8")
      );
    }
  }
  equal(killed, true, "prep was killed while writing shards");
  const before = await openDataset(out, { log: null, verify: "open" });
  equal(before.d, 64, "the old 8x8 dataset is still there, whole");
  before.close();
  const again = await prep(...args);
  equal(again.code, 0, again.stderr);
  match(again.stderr, /Removed .*\.ds\.tmp-\d+-\w+, left by an interrupted run/);
  using ds = await openDataset(out, { log: null, verify: "open" });
  equal([ds.n, ds.d].join(), "400,65536");
  const left = [];
  for await (const e of Deno.readDir(dir)) left.push(e.name);
  equal(left.join(), "ds", "nothing else is left");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("prep CLI: relative paths are the caller's folder under deno task (INIT_CWD)", async () => {
  const dir = await Deno.makeTempDir();
  const r = await runTask("prep", [
    `${Deno.cwd()}/data/ORL_32x32.mat`,
    "--out",
    "ds",
    "--size",
    "8x8",
  ], {
    INIT_CWD: dir,
  });
  equal(r.code, 0, r.stderr);
  equal((await Deno.stat(`${dir}/ds/manifest.json`)).isFile, true);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("prep CLI: --layout text writes a term dataset; bad text options exit 2; train fits its topics", async () => {
  const dir = await Deno.makeTempDir();
  const ok = await prep(
    "data/debian_sample.csv",
    "--layout",
    "text",
    "--label-column",
    "section",
    "--min-df",
    "2",
    "--out",
    `${dir}/t`,
  );
  equal(ok.code, 0, ok.stderr);
  match(ok.stderr, /Wrote .*t: 400 documents x \d+ terms/);
  for (
    const [args, msg] of [
      [
        ["--min-df", "2.5"],
        /^prep: --min-df must be a fraction in \(0, 1\) or a whole count of documents, got 2\.5/,
      ],
      [["--stop-words", "french"], /^prep: --stop-words must be english or none, got french/],
      [["--weighting", "bm25"], /^prep: --weighting must be tfidf or tf, got bm25/],
    ] as const
  ) {
    const r = await prep(
      "data/debian_sample.csv",
      "--layout",
      "text",
      "--out",
      `${dir}/x`,
      ...args,
    );
    equal(r.code, 2, r.stderr);
    match(r.stderr, msg);
  }
  const none = await prep(
    "data/debian_sample.csv",
    "--layout",
    "text",
    "--min-df",
    "5000",
    "--out",
    `${dir}/x`,
  );
  equal(none.code, 1);
  match(none.stderr, /\nprep: No terms are left .*lower --min-df or raise --max-df\n$/);
  const args = ["--data", `${dir}/t`, "--out", `${dir}/runs`, "--rank", "6", "--max-iter", "20"];
  const train = await runTask("train", args);
  equal(train.code, 0, train.stderr);
  match(train.stdout, /report\.html\n$/);
  const image = await runTask("train", [...args, "--model", "semi-nmf"]);
  equal(image.code, 2, image.stderr);
  match(image.stderr, /--model semi-nmf needs image data, and dataset .* is a text corpus/);
  await Deno.remove(dir, { recursive: true });
});

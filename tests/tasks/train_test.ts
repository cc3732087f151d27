import { equal, match, ok } from "node:assert/strict";
import { readFactors } from "../../pipeline/factor_store.ts";
import { tinyOrl } from "../pipeline/_fixtures.ts";
import { runTask, taskFlags } from "./_run_task.ts";

Deno.test("train CLI: --help; bad options, bad values and missing data are one line each", async () => {
  const help = await runTask("train", ["--help"]);
  equal(help.code, 0);
  match(help.stdout, /^Usage: deno task train --data <dataset dir>/);
  const data = await tinyOrl();
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/c.json`, '{ "rank": 3, "colour": "red" }');
  const cases: [string[], RegExp, number][] = [
    [["--data", data, "--bogus", "1"], /^train: Unknown option '--bogus' \(see --help\)$/, 2],
    [["--data", data, "--rank", "zero"], /^train: --rank must be an integer >= 1, got "zero"/, 2],
    [["--data", data, "--model", "pca"], /^train: --model must be one of nmf, semi-nmf/, 2],
    [
      ["--data", data, "--solver", "sgd"],
      /^train: --solver must be one of mu, cd, pgd, als, got "sgd"/,
      2,
    ],
    [["--rank", "4"], /^train: --data <dataset dir> is required/, 2],
    [
      ["--data", data, "--config", `${dir}/c.json`],
      /^train: Unknown option "colour" in .*c\.json/,
      2,
    ],
    [["--data", data, "--config", `${dir}/none.json`], /^train: Cannot read config file/, 2],
    [
      ["--resume", dir, "--rank", "3"],
      /^train: --resume takes the run's config; only --max-iter/,
      2,
    ],
    [
      ["--data", data, "--probe-labels", "Smiling"],
      /^train: --probe-labels names label column "Smiling"/,
      2,
    ],
    [
      ["--data", data, "--model", "deep-wsf", "--layers", "8,4", "--graphs", "class"],
      /^train: --graphs must name one label column per layer \(2; .*got 1: class \(see --help\)$/,
      2,
    ],
    [
      ["--data", data, "--model", "deep-wsf", "--layers", "8,4", "--graphs", "class,Young"],
      /^train: --graphs names label column "Young", which dataset .* lacks/,
      2,
    ],
    [["--data", data, "--model", "deep-semi-nmf", "--layers", "4,8"], /^train: --layers must/, 2],
    [["--data", data, "--model", "gnmf", "--lambdas", "1"], /^train: --lambdas is an option of/, 2],
    [["--data", `${dir}/missing`], /^train: Cannot open dataset .*missing.*deno task prep/, 1],
    [["--resume", `${dir}/norun`], /^train: Cannot resume .*norun.*config\.json is unreadable/, 1],
  ];
  for (const [args, msg, code] of cases) {
    const r = await runTask("train", args);
    const lines = r.stderr.trim().split("\n").filter((l) => !l.startsWith("facet: GPU adapter"));
    equal(r.code, code, `${args.join(" ")}: ${r.stderr}`);
    equal(lines.length, 1, r.stderr);
    match(lines[0], msg);
  }
  const gemm = await runTask("train", ["--data", data], { FACET_GEMM: "fast" });
  equal(gemm.code, 2);
  match(
    gemm.stderr,
    /^train: FACET_GEMM must be one of register, tiled, tiled_db_64x64, .*, got fast/,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("train CLI: Ctrl-C keeps a checkpoint, --resume continues it to a report", async () => {
  const data = await tinyOrl();
  const out = await Deno.makeTempDir();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...taskFlags("train"),
      "tasks/train.ts",
      ...["--data", data, "--out", out, "--rank", "6", "--max-iter", "5000", "--tol", "0"],
      ...["--checkpoint-every", "10"],
    ],
    env: { XDG_RUNTIME_DIR: "/tmp", INIT_CWD: Deno.cwd() },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const dec = new TextDecoder();
  let err = "";
  const reader = child.stderr.getReader();
  while (!/\[checkpoint\]/.test(err)) {
    const { value, done } = await reader.read();
    if (done) break;
    err += dec.decode(value);
  }
  match(err, /iteration 10\/5000 {2}loss [\d.e+]+ {2}[\d.]+ ms\/it {2}ETA [\d.]+ (s|min)/);
  child.kill("SIGINT");
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    err += dec.decode(value);
  }
  const status = await child.status;
  await child.stdout.cancel();
  equal(status.code, 130, err);
  const m = /resume with: deno task train --resume (\S+)/.exec(err);
  ok(m, err);
  const runDir = m![1];
  const cut = readFactors(`${runDir}/factors`);
  const at = cut.state.iteration;
  cut.close();
  ok(at >= 10 && at < 5000 && at % 10 === 0, `checkpoint at ${at}`);
  equal(cut.state.complete, false);
  const resumed = await runTask("train", ["--resume", runDir, "--max-iter", String(at + 20)]);
  equal(resumed.code, 0, resumed.stderr);
  match(resumed.stderr, new RegExp(`Resuming .* from iteration ${at}`));
  equal(resumed.stdout.trim(), `${runDir}/report.html`);
  const done = readFactors(`${runDir}/factors`);
  equal(done.state.iteration, at + 20);
  equal(done.state.complete, true);
  const its = done.state.lossIterations;
  done.close();
  equal(its[0], 0);
  ok(its.every((v, i) => i === 0 || v === its[i - 1] + 10), `loss iterations ${its}`);
  equal(JSON.parse(Deno.readTextFileSync(`${runDir}/config.json`)).maxIter, at + 20);
  await Deno.remove(out, { recursive: true });
});

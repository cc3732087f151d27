// `deno task test`: runs `deno test` over tests/ (or the paths given) in a child process and
// ends with a plain "N passed, N failed" line.
//
// Why a child: Deno 2.9.6's `deno test` sometimes aborts at process exit, after the summary,
// with a glibc "double free or corruption" in its WebGPU teardown (about 1 run in 15 here with
// llvmpipe; never under `deno run`). The abort happens after every test has reported, so when
// the child dies by SIGABRT and its JUnit report lists every test with no failure and no error,
// the run counts as passed and says so. Any failed test, any other exit, or a missing report
// still fails the run.

const paths = Deno.args.length > 0 ? Deno.args : ["tests/"];
const junit = await Deno.makeTempFile({ prefix: "facet-junit-", suffix: ".xml" });
const child = new Deno.Command(Deno.execPath(), {
  args: [
    "test",
    "--allow-read",
    "--allow-write",
    "--allow-env",
    "--allow-ffi",
    "--allow-run",
    "--allow-net=127.0.0.1", // the page server and the browser it drives (tests/web/app_test.ts)
    `--junit-path=${junit}`,
    ...paths,
  ],
  stdout: "inherit",
  stderr: "inherit",
}).spawn();
const status = await child.status;
const xml = await Deno.readTextFile(junit).catch(() => "");
await Deno.remove(junit).catch(() => {});
const head = xml.match(/<testsuites [^>]*>/)?.[0] ?? "";
const count = (name: string) => Number(head.match(new RegExp(`${name}="(\\d+)"`))?.[1] ?? NaN);
const [tests, failures, errors] = [count("tests"), count("failures"), count("errors")];
const clean = tests > 0 && failures === 0 && errors === 0;
if (status.success || (clean && status.signal === "SIGABRT")) {
  if (!status.success) {
    console.error(
      "deno test aborted at exit after every test passed (Deno's WebGPU teardown); counted as passed",
    );
  }
  console.log(`${tests} passed, 0 failed`);
  Deno.exit(0);
}
if (head) console.log(`${tests - failures - errors} passed, ${failures + errors} failed`);
Deno.exit(status.code === 0 ? 1 : status.code);

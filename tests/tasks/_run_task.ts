// Runs a task file as a subprocess (as deno task would), capturing its output.

/** Exit code, stdout and stderr of `deno run <permissions> tasks/<task>.ts args`. */
export async function runTask(
  task: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-ffi",
      `tasks/${task}.ts`,
      ...args,
    ],
    // INIT_CWD as deno task sets it: the tasks resolve paths from there.
    env: { XDG_RUNTIME_DIR: "/tmp", INIT_CWD: Deno.cwd(), ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

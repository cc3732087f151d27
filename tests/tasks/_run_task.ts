// Runs a task file as a subprocess with the permissions its deno.json task gives it
// (so a task that lacks one fails here as it would for a user), capturing its output.

const _tasks: Record<string, string> = JSON.parse(
  Deno.readTextFileSync(new URL("../../deno.json", import.meta.url)),
).tasks;

/** The `deno run` flags of the deno.json task that runs tasks/<task>.ts. */
export function taskFlags(task: string): string[] {
  const file = `tasks/${task}.ts`;
  const command = Object.values(_tasks).find((c) => c.trim().endsWith(file));
  if (!command) throw new Error(`deno.json has no task that runs ${file}`);
  const words = command.trim().split(/\s+/);
  if (words[0] !== "deno" || words[1] !== "run") throw new Error(`Task ${file} is not deno run`);
  return words.slice(2, -1);
}

/** Exit code, stdout and stderr of tasks/<task>.ts run with its deno.json flags and `args`. */
export async function runTask(
  task: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...taskFlags(task), `tasks/${task}.ts`, ...args],
    // INIT_CWD as deno task sets it: the tasks resolve paths from there.
    env: { XDG_RUNTIME_DIR: "/tmp", INIT_CWD: Deno.cwd(), ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

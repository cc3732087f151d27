// Shared by the tasks: option parsing with one-line errors (exit 2), failures
// (exit 1), and the GPU from FACET_GEMM with a clear message when there is none.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { GEMM_DEVICE_FAMILIES, type GemmFamily, Gpu } from "../gpu/gpu.ts";

type _Options = NonNullable<ParseArgsConfig["options"]>;

/** Prints `<task>: <message> (see --help)` on stderr and exits with code 2. */
export function usage(task: string, message: string): never {
  console.error(`${task}: ${message} (see --help)`);
  Deno.exit(2);
}

/** Prints `<task>: <message>` on stderr and exits with code 1. */
export function fail(task: string, message: string): never {
  console.error(`${task}: ${message}`);
  Deno.exit(1);
}

/** The message of anything thrown. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * parseArgs over Deno.args with `--help`/`-h` added: prints `help` and exits 0
 * when asked; an unknown option or a missing value is one line and exit 2.
 * Under `deno task`, which runs tasks in deno.json's folder, it first changes to
 * the folder the task was called from (INIT_CWD), so relative paths are the caller's.
 */
export function parseCli<O extends _Options>(
  task: string,
  help: string,
  options: O,
  allowPositionals = false,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const caller = Deno.env.get("INIT_CWD");
  if (caller) Deno.chdir(caller);
  let parsed;
  try {
    parsed = parseArgs({
      args: Deno.args,
      allowPositionals,
      strict: true,
      options: { ...options, help: { type: "boolean", short: "h" } },
    });
  } catch (e) {
    usage(task, errorText(e).split(/\.\s/)[0]);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) {
    console.log(help);
    Deno.exit(0);
  }
  delete values.help;
  return { values, positionals: parsed.positionals };
}

/**
 * The GPU, with the GEMM family from FACET_GEMM (GEMM_DEVICE_FAMILIES): a bad value
 * exits 2, no WebGPU adapter exits 1 with the reason.
 */
export async function taskGpu(task: string, log: ((s: string) => void) | null): Promise<Gpu> {
  const gemm = (Deno.env.get("FACET_GEMM") || undefined) as GemmFamily | undefined;
  if (gemm !== undefined && !GEMM_DEVICE_FAMILIES.includes(gemm)) {
    usage(task, `FACET_GEMM must be one of ${GEMM_DEVICE_FAMILIES.join(", ")}, got ${gemm}`);
  }
  try {
    return await Gpu.create({ gemm, log });
  } catch (e) {
    fail(task, `no usable GPU: ${errorText(e)}`);
  }
}

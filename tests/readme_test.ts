import { deepEqual } from "node:assert/strict";

Deno.test("every deno task the README names is in deno.json, and every task file has a test", async () => {
  const readme = await Deno.readTextFile("README.md");
  const tasks = JSON.parse(await Deno.readTextFile("deno.json")).tasks as Record<string, string>;
  const named = [...new Set([...readme.matchAll(/deno task ([a-z][a-z:]*)/g)].map((m) => m[1]))];
  deepEqual(named.filter((t) => !(t in tasks)), [], "README tasks missing from deno.json");
  const files = Object.values(tasks).map((c) => c.match(/tasks\/([a-z_]+)\.ts$/)?.[1])
    .filter((f): f is string => f !== undefined);
  const untested = [];
  for (const f of files) {
    const test = await Deno.stat(`tests/tasks/${f}_test.ts`).catch(() => null);
    if (!test) untested.push(f);
  }
  deepEqual(untested, [], "task files without tests/tasks/<name>_test.ts");
});

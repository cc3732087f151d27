import { equal } from "node:assert/strict";
import { createProgress } from "../../data_prep/progress.ts";

function run(terminal: boolean) {
  let t = 0;
  const out: string[] = [];
  const p = createProgress(100, {
    label: "decode",
    terminal,
    intervalMs: 1000,
    write: (s) => out.push(s),
    now: () => t,
  });
  for (let i = 0; i < 50; i++) {
    t += 100; // 10 items per second
    p.tick();
  }
  p.done();
  return out;
}

Deno.test("progress prints plain periodic lines with count, rate and ETA off a terminal", () => {
  const out = run(false);
  equal(out.length, 6); // every 1000 ms over 5 s, plus the final line
  equal(out[0], "decode: 10/100 10% 10/s ETA 0:09\n");
  equal(out[4], "decode: 50/100 50% 10/s ETA 0:05\n");
  equal(out[5], "decode: 50 in 5.0 s (10/s)\n");
});

Deno.test("progress redraws a bar in place on a terminal", () => {
  const out = run(true);
  equal(out.length, 51);
  const ESC = "\x1b";
  equal(out[49], `\rdecode [${"#".repeat(12)}${".".repeat(12)}] 50/100 50% 10/s ETA 0:05${ESC}[K`);
  equal(out[50], `\rdecode: 50 in 5.0 s (10/s)${ESC}[K\n`);
});

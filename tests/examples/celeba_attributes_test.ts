import { equal, match } from "node:assert/strict";
import { jpegBytes, writeTree } from "../data_prep/_fixtures.ts";
import { runExample } from "./_run_example.ts";

const example = (args: string[]) => runExample("celeba_attributes.ts", args);

Deno.test("CelebA example: runs on a tiny CelebA-layout folder; a missing folder is one clear line", async () => {
  const dir = await Deno.makeTempDir();
  const n = 40;
  const files: Record<string, Uint8Array | string> = {};
  const attrs = [String(n), "Smiling Young"];
  const parts: string[] = [];
  for (let i = 1; i <= n; i++) {
    const f = `${String(i).padStart(6, "0")}.jpg`;
    files[`img_align_celeba/${f}`] = await jpegBytes(20, 24, i);
    attrs.push(`${f}  ${i % 2 ? "1" : "-1"} ${i % 3 ? " 1" : "-1"}`);
    parts.push(`${f} ${i <= 28 ? 0 : i <= 32 ? 1 : 2}`);
  }
  files["list_attr_celeba.txt"] = attrs.join("\r\n") + "\r\n";
  files["list_eval_partition.txt"] = parts.join("\n") + "\n";
  await writeTree(`${dir}/celeba`, files);
  const r = await example([
    `${dir}/celeba`,
    ...[
      "--limit",
      "40",
      "--crop",
      "20x20",
      "--size",
      "8",
      "--layers",
      "6,4",
      "--max-iter",
      "20",
      "--out",
      `${dir}/runs`,
    ],
  ]);
  equal(r.code, 0, r.stderr);
  match(r.stdout, /^layer +attribute +probe acc/);
  for (const layer of ["H1", "H2"]) {
    match(
      r.stdout,
      new RegExp(`\n${layer} +Young +[\\d.]+ +[\\d.]+ +[\\d.–]+ +[\\d.]+ +[\\d.]+\n`),
    );
    match(r.stdout, new RegExp(`\n${layer} +Smiling `));
  }
  match(r.stdout, /Report: .*runs\/.*report\.html/);
  const report = /Report: (\S+)/.exec(r.stdout)![1];
  const html = Deno.readTextFileSync(report);
  match(html, /dataset partition: 28 train \/ 8 test/);
  match(html, /Deep WSF, layers 6-4, graphs Young\/Smiling/);
  // The non-linear model: the same study, fine-tuned by Adam with relu between the layers.
  const relu = await example([
    `${dir}/celeba`,
    ...["--limit", "40", "--crop", "20x20", "--size", "8", "--layers", "6,4", "--max-iter", "20"],
    ...["--activation", "relu", "--lr", "0.01", "--out", `${dir}/runs`],
  ]);
  equal(relu.code, 0, relu.stderr);
  const reluHtml = Deno.readTextFileSync(/Report: (\S+)/.exec(relu.stdout)![1]);
  match(reluHtml, /Deep WSF \(Adam, relu\), layers 6-4, graphs Young\/Smiling/);
  const none = await example([`${dir}/nothing`]);
  equal(none.code, 1);
  match(
    none.stderr,
    /^celeba_attributes: CelebA folder .*nothing lacks img_align_celeba, list_attr_celeba\.txt; download/,
  );
  equal(none.stderr.trim().split("\n").length, 1);
  await Deno.remove(dir, { recursive: true });
});

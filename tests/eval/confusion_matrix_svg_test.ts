import { equal, ok, throws } from "node:assert/strict";
import { confusionMatrixSvg } from "../../eval/confusion_matrix_svg.ts";
import { checkMarkup } from "./_markup.ts";

Deno.test("confusionMatrixSvg: one cell per pair, shaded by row rate, counts shown", () => {
  const svg = confusionMatrixSvg([50, 0, 7, 43], ["no", "yes"], { title: "Smiling" });
  const counts = checkMarkup(svg);
  equal(counts.get("rect"), 1 + 4); // background + cells
  for (const n of [">50<", ">0<", ">7<", ">43<", ">no<", ">yes<"]) ok(svg.includes(n), n);
  ok(svg.includes('fill="rgb(8,69,148)"')); // recall 1 is the darkest shade
  ok(svg.includes('fill="rgb(255,255,255)"')); // rate 0 is white
  const big = confusionMatrixSvg(
    new Array(40 * 40).fill(1),
    Array.from({ length: 40 }, (_, i) => i),
  );
  equal(checkMarkup(big).get("text"), 3); // title and axis names only beyond 20 classes
  throws(() => confusionMatrixSvg([1, 2, 3], ["a", "b"]), /expected 4/);
});

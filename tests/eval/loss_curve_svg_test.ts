import { equal, ok, throws } from "node:assert/strict";
import { lossCurveSvg } from "../../eval/loss_curve_svg.ts";
import { checkMarkup } from "./_markup.ts";

function polylines(svg: string): number[][][] {
  return [...svg.matchAll(/<polyline[^>]*points="([^"]*)"/g)].map((m) =>
    m[1].split(" ").map((p) => p.split(",").map(Number))
  );
}

Deno.test("lossCurveSvg: log scale puts decades at equal heights; legend names every series", () => {
  const svg = lossCurveSvg([
    { name: "NMF <k=40>", values: [1000, 100, 10, 1] },
    { name: "GNMF", values: [500, 50, 5] },
  ], { title: "ORL & co" });
  const counts = checkMarkup(svg);
  equal(counts.get("polyline"), 2);
  ok(svg.includes("NMF &lt;k=40&gt;") && svg.includes("GNMF") && svg.includes("ORL &amp; co"));
  const [a] = polylines(svg);
  const dy = a.slice(1).map((p, i) => p[1] - a[i][1]);
  ok(dy.every((d) => Math.abs(d - dy[0]) < 0.11), `steps ${dy}`);
  ok(dy[0] > 0); // lower loss is lower on the page (larger y)
  const dx = a.slice(1).map((p, i) => p[0] - a[i][0]);
  ok(dx.every((d) => Math.abs(d - dx[0]) < 0.11));
  for (const t of ["1", "10", "100", "1000"]) ok(svg.includes(`>${t}</text>`), `tick ${t}`);
});

Deno.test("lossCurveSvg: gaps for non-positive values, linear axis, bad input", () => {
  const svg = lossCurveSvg([{ name: "x", values: [3, 2, 0, 1, 0.5, NaN, 0.1] }]);
  checkMarkup(svg);
  equal(polylines(svg).length, 2); // [3, 2] and [1, 0.5]
  equal((svg.match(/<circle/g) ?? []).length, 1); // the lone 0.1
  const lin = lossCurveSvg([{ name: "x", values: [-1, 0, 1] }], { logY: false });
  equal(polylines(lin)[0].length, 3);
  // No positive value at all (a fit of all-zero data): drawn on a linear axis, not refused.
  const zeros = lossCurveSvg([{ name: "x", values: [0, 0, 0] }]);
  checkMarkup(zeros);
  equal(polylines(zeros)[0].length, 3);
  ok(!zeros.includes("(log)"), "the axis says it is linear");
  throws(() => lossCurveSvg([{ name: "x", values: [NaN, Infinity] }]), /no plottable values/);
  throws(() => lossCurveSvg([]), /at least one/);
});

Deno.test("lossCurveSvg: round tick labels on a linear axis and a narrow log range", () => {
  const lin = lossCurveSvg([{ name: "x", values: [-1, 0, 1], x: [0, 0.1, 0.3] }], { logY: false });
  const labels = [...lin.matchAll(/>([-\d.e]+)<\/text>/g)].map((m) => m[1]);
  ok(labels.includes("0") && labels.includes("0.5") && labels.includes("-0.5"), `${labels}`);
  ok(labels.every((l) => l.length <= 5), `${labels}`);
  const narrow = lossCurveSvg([{ name: "x", values: [5200, 4100, 3900] }]);
  for (const t of ["4000", "5000"]) ok(narrow.includes(`>${t}</text>`), t);
});

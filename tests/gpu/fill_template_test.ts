import { equal, throws } from "node:assert/strict";
import { fillTemplate } from "../../gpu/fill_template.ts";

Deno.test("fillTemplate substitutes every placeholder, repeated ones too", () => {
  equal(fillTemplate("{{A}} + {{B}} * {{A}}", { A: "x", B: 2 }), "x + 2 * x");
});

Deno.test("fillTemplate throws on a missing value, an unused value and a malformed placeholder", () => {
  throws(() => fillTemplate("{{A}} {{B}}", { A: "1" }), /placeholder \{\{B\}\} has no value/);
  throws(() => fillTemplate("{{A}}", { A: "1", C: "2" }), /value C has no placeholder/);
  throws(() => fillTemplate("{{A}} {{b-c}}", { A: "1" }), /malformed placeholder \{\{b-c\}\}/);
});

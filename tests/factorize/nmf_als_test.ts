import { refAls } from "./_nmf_reference.ts";
import { checkAgainstReference } from "./_solver_check.ts";

// Normal equations in f32 GEMMs, inverse in float64: within 1e-3 of float64 after 3 iterations.
Deno.test("ALS: 3 iterations match a float64 CPU implementation, both layouts", async () => {
  await checkAgainstReference({ solver: "als" }, refAls, 1e-3);
});

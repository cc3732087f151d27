import { refPgd } from "./_nmf_reference.ts";
import { checkAgainstReference } from "./_solver_check.ts";

// f32 over 3 projected gradient iterations: within 1e-4 of float64.
Deno.test("PGD: 3 iterations match a float64 CPU implementation, both layouts", async () => {
  await checkAgainstReference({ solver: "pgd" }, refPgd, 1e-4);
});

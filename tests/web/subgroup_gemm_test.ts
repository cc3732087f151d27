// The subgroup GEMM (gpu/gemm_subgroup.wgsl) against float64 in headless Chromium, whose
// SwiftShader adapter has subgroups (llvmpipe under Deno has none): every transpose, sizes that
// divide no tile, alpha and beta. Skipped, with the reason printed, where no Chromium is installed.
import { ok } from "node:assert/strict";
import { bundlePage } from "../../pipeline/page_server.ts";
import { Chromium, findChromium } from "../_chromium.ts";

const chromium = findChromium();
if (!chromium) {
  console.error(
    "tests/web/subgroup_gemm_test.ts: skipped: no Chromium on PATH (apt-get install chromium)",
  );
}

Deno.test({
  name: "gemm subgroup in headless Chromium: against float64, all transposes, awkward sizes",
  ignore: !chromium,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const js = await bundlePage(new URL("./_subgroup_gemm_page.ts", import.meta.url));
    const html = '<!DOCTYPE html><meta charset="utf-8"><script type="module" src="t.js"></script>';
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (req) =>
        new URL(req.url).pathname === "/t.js"
          ? new Response(js, { headers: { "content-type": "text/javascript" } })
          : new Response(html, { headers: { "content-type": "text/html" } }),
    );
    const browser = await Chromium.open(chromium!, `http://127.0.0.1:${server.addr.port}/`);
    try {
      type Row = { label: string; relative: number };
      type Result = { adapter: string; hasSubgroups: boolean; rows: Row[] };
      const r = await browser.waitFor<Result>("subgroupResult", "subgroupError", 120);
      ok(r.hasSubgroups, `${r.adapter} has no subgroups: nothing was tested`);
      ok(r.rows.length === 24, `${r.rows.length} cases`);
      // f32 sums of up to 1024 products of values in [-1, 1]: 1e-4 of the largest |C|.
      for (const row of r.rows) ok(row.relative <= 1e-4, `${row.label}: ${row.relative}`);
    } finally {
      await browser.close();
      await server.shutdown();
    }
  },
});

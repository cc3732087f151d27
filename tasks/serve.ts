// deno task serve [--port 8000]: facet's browser page on 127.0.0.1.
import { servePage } from "../pipeline/page_server.ts";
import { errorText, fail, parseCli, usage } from "./_cli.ts";

const HELP = `Usage: deno task serve [--port <port>]

Serves facet's browser page on 127.0.0.1 only: pick the embedded ORL faces or a
folder of images, a model (NMF with MU or HALS, semi-NMF, Deep Semi-NMF linear
or relu), its rank or layers and iterations; the fit runs on the browser's
WebGPU with facet's kernels, and the factors (.npy) and report.html download.
Needs a browser with WebGPU (Chrome or Edge 113+, Safari 26, Firefox 141+).

Options:
  --port <port>   port on 127.0.0.1 (default 8000; 0 picks a free one)
  -h, --help      this text
`;

const { values } = parseCli("serve", HELP, { port: { type: "string" } });
const port = Number(values.port ?? 8000);
if (!/^\d+$/.test(String(values.port ?? 8000)) || port > 65535) {
  usage("serve", `--port must be an integer in 0..65535, got ${values.port}`);
}
try {
  const server = await servePage({ port });
  console.log(`serve: facet's page at ${server.url} (Ctrl-C stops it)`);
} catch (e) {
  if (e instanceof Deno.errors.AddrInUse) {
    fail("serve", `port ${port} on 127.0.0.1 is in use: pass another --port (0 picks a free one)`);
  }
  fail("serve", errorText(e));
}

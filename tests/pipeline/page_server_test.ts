import { servePage } from "../../pipeline/page_server.ts";
import { deepEqual, match, ok, rejects } from "node:assert/strict";

Deno.test("servePage: the page, its bundle and the ORL faces on 127.0.0.1; nothing else", async () => {
  const server = await servePage({ port: 0 });
  try {
    match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const html = await (await fetch(server.url)).text();
    match(html, /<script type="module" src="app.js">/);
    const app = await fetch(`${server.url}app.js`);
    match(app.headers.get("content-type") ?? "", /javascript/);
    const js = await app.text();
    ok(js.includes("@workgroup_size") && js.includes("navigator.gpu"), "kernels and WebGPU");
    ok(!/\bDeno\./.test(js), "the browser bundle uses no Deno API");
    const meta = await (await fetch(`${server.url}orl_32x32.json`)).json();
    deepEqual([meta.n, meta.d, meta.width, new Set(meta.labels).size], [400, 1024, 32, 40]);
    const samples = new Float32Array(
      await (await fetch(`${server.url}orl_32x32.f32`)).arrayBuffer(),
    );
    deepEqual(samples.length, 400 * 1024);
    ok(samples.every((v) => v >= 0 && v <= 1) && samples.some((v) => v > 0.5));
    deepEqual((await fetch(`${server.url}../data/ORL_32x32.mat`)).status, 404);
    const post = await fetch(server.url, { method: "POST", body: "x" });
    deepEqual(post.status, 404);
    await post.body?.cancel();
  } finally {
    await server.shutdown();
  }
});

Deno.test("servePage: a bad port is a RangeError naming the option", async () => {
  await rejects(
    servePage({ port: 70000 }),
    /Option port must be an integer in 0..65535, got 70000/,
  );
});

// A minimal Chrome DevTools Protocol client for the browser test: finds an installed Chromium,
// starts it headless with WebGPU (SwiftShader on machines without a GPU), opens a page and
// evaluates expressions in it or takes screenshots, over the browser's WebSocket.

/** The Chromium binary: $CHROMIUM, else the first of chromium, chromium-browser, google-chrome on PATH. */
export function findChromium(): string | null {
  const env = Deno.env.get("CHROMIUM");
  if (env) return env;
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
      try {
        if (Deno.statSync(`${dir}/${name}`).isFile) return `${dir}/${name}`;
      } catch { /* not here */ }
    }
  }
  return null;
}

type Message = { id?: number; result?: unknown; error?: { message: string }; method?: string };

/** A headless Chromium and one page in it. */
export class Chromium {
  #child: Deno.ChildProcess;
  #ws: WebSocket;
  #profile: string;
  #next = 1;
  #pending = new Map<number, [(v: unknown) => void, (e: Error) => void]>();
  #session = "";

  private constructor(child: Deno.ChildProcess, ws: WebSocket, profile: string) {
    this.#child = child;
    this.#ws = ws;
    this.#profile = profile;
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data) as Message;
      const p = m.id === undefined ? undefined : this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id!);
      if (m.error) p[1](new Error(`DevTools: ${m.error.message}`));
      else p[0](m.result);
    };
  }

  /** Starts `binary` headless with WebGPU and opens `url` in a 1200 x 900 page. */
  static async open(binary: string, url: string): Promise<Chromium> {
    const profile = await Deno.makeTempDir({ prefix: "facet-chromium-" });
    const child = new Deno.Command(binary, {
      args: [
        "--headless=new",
        "--enable-unsafe-webgpu",
        "--no-sandbox",
        "--no-first-run",
        "--disable-gpu-sandbox",
        "--remote-debugging-port=0",
        `--user-data-dir=${profile}`,
        "--window-size=1200,900",
        "about:blank",
      ],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    // Chromium prints "DevTools listening on ws://..." on stderr once it is ready.
    const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const deadline = Date.now() + 30_000;
    let endpoint: string | undefined;
    while (!endpoint && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
      endpoint = text.match(/DevTools listening on (ws:\/\/\S+)/)?.[1];
    }
    (async () => { // keep draining stderr so Chromium never blocks on it
      while (!(await reader.read()).done) { /* drop */ }
    })().catch(() => {});
    if (!endpoint) {
      child.kill("SIGKILL");
      throw new Error(`Chromium did not start its DevTools endpoint: ${text.slice(-500)}`);
    }
    const ws = new WebSocket(endpoint);
    await new Promise((ok, bad) => {
      ws.onopen = ok;
      ws.onerror = () => bad(new Error(`Cannot connect to ${endpoint}`));
    });
    const browser = new Chromium(child, ws, profile);
    const { targetId } = await browser.send("Target.createTarget", { url }) as { targetId: string };
    const { sessionId } = await browser.send("Target.attachToTarget", {
      targetId,
      flatten: true,
    }) as { sessionId: string };
    browser.#session = sessionId;
    return browser;
  }

  /** Sends a DevTools command (to the page once it is attached) and waits for its result. */
  send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.#next++;
    const msg: Record<string, unknown> = { id, method, params };
    if (this.#session) msg.sessionId = this.#session;
    this.#ws.send(JSON.stringify(msg));
    return new Promise((ok, bad) => this.#pending.set(id, [ok, bad]));
  }

  /** The value of a JavaScript expression in the page (awaited when it is a promise). */
  async evaluate(expression: string): Promise<unknown> {
    const r = await this.send("Runtime.evaluate", {
      expression,
      returnByValue: true,
      awaitPromise: true,
    }) as { result: { value?: unknown }; exceptionDetails?: { text: string } };
    if (r.exceptionDetails) throw new Error(`In the page: ${r.exceptionDetails.text}`);
    return r.result.value;
  }

  /**
   * Polls the page every 200 ms until `expression` is truthy there and returns its value; throws
   * naming `what` after `seconds`.
   */
  async until(expression: string, seconds: number, what: string): Promise<unknown> {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
      const value = await this.evaluate(expression);
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`The page did not get ${what} in ${seconds} s`);
      await new Promise((done) => setTimeout(done, 200));
    }
  }

  /**
   * Waits until the page sets `globalThis[result]` (returned) or `globalThis[error]` (thrown as
   * the page's message), for at most `seconds`.
   */
  async waitFor<T>(result: string, error: string, seconds: number): Promise<T> {
    const [r, e] = [`globalThis.${result}`, `globalThis.${error}`];
    const json = await this.until(
      `(${r} || ${e}) && JSON.stringify({ r: ${r}, e: ${e} })`,
      seconds,
      `${result} or ${error} set`,
    );
    const state = JSON.parse(json as string) as { r?: T; e?: string };
    if (state.e) throw new Error(`The page reported: ${state.e}`);
    return state.r!;
  }

  /** Puts files (absolute paths) into the page's file input matching `selector`. */
  async setFiles(selector: string, files: string[]): Promise<void> {
    const { root } = await this.send("DOM.getDocument") as { root: { nodeId: number } };
    const { nodeId } = await this.send("DOM.querySelector", {
      nodeId: root.nodeId,
      selector,
    }) as { nodeId: number };
    if (!nodeId) throw new Error(`The page has no element ${selector}`);
    await this.send("DOM.setFileInputFiles", { nodeId, files });
  }

  /** A PNG screenshot of the page, or of a clip of it (CSS pixels). */
  async screenshot(
    clip?: { x: number; y: number; width: number; height: number },
  ): Promise<Uint8Array> {
    const r = await this.send("Page.captureScreenshot", {
      format: "png",
      ...(clip ? { clip: { ...clip, scale: 1 } } : {}),
    }) as { data: string };
    return Uint8Array.from(atob(r.data), (c) => c.charCodeAt(0));
  }

  /** Ends Chromium and removes its profile. */
  async close(): Promise<void> {
    try {
      this.#ws.close();
    } catch { /* already closed */ }
    try {
      this.#child.kill("SIGKILL");
    } catch { /* already ended */ }
    await this.#child.status;
    await Deno.remove(this.#profile, { recursive: true }).catch(() => {});
  }
}

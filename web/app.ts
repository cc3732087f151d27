/// <reference lib="dom" />
/**
 * The browser page (web/index.html, served by `deno task serve`): pick the embedded ORL faces
 * or a folder of images, a model and its sizes; the fit runs on this browser's WebGPU with
 * facet's kernels, the loss curve, basis images and reconstructions redraw as it goes, Stop ends
 * it, and the factors (.npy) and report.html download. `?auto=1` (with model, sizes, iter, seed,
 * every) runs the ORL faces at once and leaves the result in `globalThis.facetResult`: the
 * browser test's entry.
 *
 * @module
 */

import { decodePnm } from "../data_prep/pnm_decode.ts";
import { resizeGray } from "../data_prep/resize_gray.ts";
import { toGray } from "../data_prep/to_gray.ts";
import { encodeNpy } from "../eval/encode_npy.ts";
import type { GrayImage } from "../eval/encode_png.ts";
import { lossCurveSvg } from "../eval/loss_curve_svg.ts";
import { Gpu } from "../gpu/gpu.ts";
import { PAGE_MODELS, type PageFitOptions, type PageModel, runPageFit } from "./page_fit.ts";
import { basisImage, type PageData, pageReport, reconstructionImage } from "./page_report.ts";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $<HTMLDivElement>("status");
const modelSelect = $<HTMLSelectElement>("model");
const runButton = $<HTMLButtonElement>("run");
const stopButton = $<HTMLButtonElement>("stop");
const params = new URLSearchParams(location.search);
const page = globalThis as unknown as { facetResult?: unknown; facetError?: string };

function say(text: string, error = false): void {
  status.textContent = text;
  status.className = error ? "error" : "";
  if (error) page.facetError = text;
}

for (const [value, label] of Object.entries(PAGE_MODELS)) modelSelect.add(new Option(label, value));
modelSelect.onchange = () => {
  const deep = modelSelect.value.startsWith("deep");
  $("sizesName").textContent = deep ? "Layers (widest first)" : "Rank";
  $<HTMLInputElement>("sizes").value = deep ? "128,40" : "40";
};
$<HTMLSelectElement>("source").onchange = (e) => {
  const folder = (e.target as HTMLSelectElement).value === "folder";
  $("folderLabel").hidden = !folder;
  $("sizeLabel").hidden = !folder;
};

/** The embedded ORL faces from the server: d x n in [0, 1], column-major 32x32 images. */
async function orlData(): Promise<PageData> {
  const [meta, buf] = await Promise.all([
    fetch("orl_32x32.json").then((r) => r.json()),
    fetch("orl_32x32.f32").then((r) => r.arrayBuffer()),
  ]);
  return {
    x: { rows: meta.d, cols: meta.n, data: new Float32Array(buf) },
    width: meta.width,
    height: meta.height,
    pixelOrder: meta.pixelOrder,
    labels: Int32Array.from(meta.labels),
    name: "ORL faces 32x32",
  };
}

/** Gray levels 0..255 of an image file, decoded by the browser (PNM by facet's decoder). */
async function decodeFile(file: File): Promise<{ gray: Float32Array; w: number; h: number }> {
  if (/\.(pgm|ppm|pnm|pbm)$/i.test(file.name)) {
    const r = decodePnm(new Uint8Array(await file.arrayBuffer()), file.name);
    return { gray: toGray(r), w: r.width, h: r.height };
  }
  const bitmap = await createImageBitmap(file);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext("2d")!;
  ctx.drawImage(bitmap, 0, 0);
  const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
  const r = { width: bitmap.width, height: bitmap.height, channels: 4 as const, data };
  return { gray: toGray(r), w: r.width, h: r.height };
}

/** The picked folder's images, gray, resized (area averaging) to width x height, as columns. */
async function folderData(files: File[], width: number, height: number): Promise<PageData> {
  const images = files.filter((f) => /\.(png|jpe?g|gif|bmp|webp|pgm|ppm|pnm)$/i.test(f.name));
  if (images.length < 2) {
    throw new Error("The folder has fewer than 2 images (png, jpeg, gif, bmp, webp or pgm)");
  }
  const columns: Float32Array[] = []; // the decoded images, resized
  for (const [i, file] of images.entries()) {
    if (i % 50 === 0) say(`Decoding ${i} of ${images.length} images…`);
    try {
      const { gray, w, h } = await decodeFile(file);
      columns.push(resizeGray(gray, w, h, { width, height }));
    } catch {
      // counted as skipped below
    }
  }
  const n = columns.length;
  if (n < 2) throw new Error(`Only ${n} of ${images.length} images could be decoded`);
  const d = width * height;
  const data = new Float32Array(d * n);
  columns.forEach((px, i) => {
    for (let j = 0; j < d; j++) data[j * n + i] = Math.round(px[j]) / 255;
  });
  const skipped = images.length - n;
  const name = `${n} images${skipped ? ` (${skipped} skipped)` : ""}`;
  return { x: { rows: d, cols: n, data }, width, height, pixelOrder: "row-major", name };
}

function draw(canvas: HTMLCanvasElement, img: GrayImage): void {
  canvas.width = img.width;
  canvas.height = img.height;
  const rgba = new Uint8ClampedArray(img.width * img.height * 4);
  img.pixels.forEach((v, i) => rgba.set([v, v, v, 255], i * 4));
  canvas.getContext("2d")!.putImageData(new ImageData(rgba, img.width, img.height), 0, 0);
}

async function png(img: GrayImage): Promise<Uint8Array> {
  const canvas = document.createElement("canvas");
  draw(canvas, img);
  const blob = await new Promise<Blob>((done) => canvas.toBlob((b) => done(b!), "image/png"));
  return new Uint8Array(await blob.arrayBuffer());
}

function download(name: string, bytes: BlobPart, type: string): HTMLAnchorElement {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([bytes], { type }));
  a.download = name;
  a.textContent = name;
  return a;
}

let stopAsked = false;
stopButton.onclick = () => {
  stopAsked = true;
  say("Stopping after this chunk…");
};

async function run(options: PageFitOptions, source: "orl" | "folder"): Promise<void> {
  if (!("gpu" in navigator)) {
    say(
      "This browser has no WebGPU (navigator.gpu is missing): use a recent Chrome, Edge or " +
        "Safari, or Firefox with WebGPU enabled, over http://127.0.0.1 or https.",
      true,
    );
    return;
  }
  runButton.disabled = true;
  stopButton.disabled = false;
  stopAsked = false;
  let gpu: Gpu | null = null;
  try {
    say("Loading the data…");
    const data = source === "orl" ? await orlData() : await folderData(
      [...($<HTMLInputElement>("folder").files ?? [])],
      Number($<HTMLInputElement>("width").value),
      Number($<HTMLInputElement>("height").value),
    );
    gpu = await Gpu.create({ log: null });
    say(`${data.name} on ${gpu.adapter.name}: opening the fit…`);
    const input = { data: data.x.data, d: data.x.rows, n: data.x.cols };
    const result = await runPageFit(gpu, input, {
      ...options,
      stopped: () => stopAsked,
      onStage: (s) =>
        say(`${s.stage}: ${s.done} of ${s.total} ${s.unit}s${s.summary ? `, ${s.summary}` : ""}`),
      onProgress: (p) => {
        const label = PAGE_MODELS[options.model];
        $("loss").innerHTML = lossCurveSvg([{ name: label, values: p.loss, x: p.lossIterations }], {
          title: "Loss",
          yLabel: "‖X − X̂‖",
        });
        draw($("basis"), basisImage(p.factors, data));
        draw($("recon"), reconstructionImage(p.factors, data, options));
        say(
          `Iteration ${p.iteration} of ${options.maxIter}: loss ${p.loss.at(-1)?.toPrecision(6)}`,
        );
      },
    });
    const downloads = $("downloads");
    downloads.replaceChildren();
    for (const [name, m] of Object.entries(result.factors)) {
      downloads.append(download(`${name}.npy`, encodeNpy(m), "application/octet-stream"));
    }
    const html = await pageReport(data, {
      fit: options,
      result,
      png,
      adapter: gpu.adapter,
      createdAt: new Date().toISOString(),
    });
    downloads.append(download("report.html", html, "text/html"));
    say(
      `Done: ${result.iteration} iterations in ${result.seconds.toFixed(1)} s, stopped by ` +
        `${result.stopReason}, final loss ${result.loss.at(-1)?.toPrecision(6)}.`,
    );
    page.facetResult = {
      loss: result.loss,
      lossIterations: result.lossIterations,
      iteration: result.iteration,
      stopReason: result.stopReason,
      adapter: gpu.adapter.name,
      reportBytes: html.length,
      samples: data.x.cols,
    };
  } catch (e) {
    say(`Error: ${e instanceof Error ? e.message : String(e)}`, true);
  } finally {
    gpu?.destroy();
    runButton.disabled = false;
    stopButton.disabled = true;
  }
}

function formOptions(): PageFitOptions {
  return {
    model: modelSelect.value as PageModel,
    sizes: $<HTMLInputElement>("sizes").value.split(",").map((s) => Number(s.trim())),
    maxIter: Number($<HTMLInputElement>("iterations").value),
    seed: Number($<HTMLInputElement>("seed").value),
  };
}

$<HTMLFormElement>("controls").onsubmit = (e) => {
  e.preventDefault();
  run(formOptions(), $<HTMLSelectElement>("source").value as "orl" | "folder");
};

if (params.get("auto") === "1") {
  modelSelect.value = params.get("model") ?? "nmf-mu";
  $<HTMLInputElement>("sizes").value = params.get("sizes") ?? "40";
  $<HTMLInputElement>("iterations").value = params.get("iter") ?? "50";
  $<HTMLInputElement>("seed").value = params.get("seed") ?? "0";
  run({ ...formOptions(), every: Number(params.get("every") ?? 10) }, "orl");
}

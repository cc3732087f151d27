import { topicSummary, writeTopicReport } from "../../pipeline/topic_report.ts";
import { tfidf } from "../../data_prep/tfidf.ts";
import { openTermDataset, writeTermDataset } from "../../data_prep/term_dataset.ts";
import { resolveTrainConfig } from "../../pipeline/train_config.ts";
import { randomArray, seededRandom } from "../../factorize/seeded_random.ts";
import { deepEqual, equal, ok } from "node:assert/strict";

// Two themes of 3 words, 6 documents (the last empty), rank 2.
const docs = [
  ["gpu", "kernel", "shader"],
  ["gpu", "kernel"],
  ["shader", "kernel", "gpu"],
  ["faces", "pixels", "image"],
  ["image", "faces"],
  [],
];

Deno.test("topicSummary: top words, shares, main topics and ‖X − WH‖ / ‖X‖ against float64", () => {
  const m = tfidf(docs, { weighting: "tf" });
  const d = m.vocabulary.length;
  const rand = seededRandom(4);
  const W = { rows: d, cols: 2, data: randomArray(rand, d * 2, 0, 1) };
  const H = { rows: 2, cols: m.n, data: randomArray(rand, 2 * m.n, 0, 1) };
  const s = topicSummary(m, W, H, { count: 3 });
  // dense float64 definitions
  const x = new Float64Array(d * m.n);
  for (let j = 0; j < m.n; j++) {
    for (let e = m.indptr[j]; e < m.indptr[j + 1]; e++) x[m.indices[e] * m.n + j] = m.values[e];
  }
  let [res, xx] = [0, 0];
  const mass = [0, 0];
  for (let t = 0; t < d; t++) {
    for (let j = 0; j < m.n; j++) {
      let wh = 0;
      for (let r = 0; r < 2; r++) {
        const v = W.data[t * 2 + r] * H.data[r * m.n + j];
        wh += v;
        mass[r] += v;
      }
      res += (x[t * m.n + j] - wh) ** 2;
      xx += x[t * m.n + j] ** 2;
    }
  }
  ok(Math.abs(s.relativeError - Math.sqrt(res / xx)) < 1e-9, `${s.relativeError}`);
  for (const r of [0, 1]) {
    ok(Math.abs(s.topics[r].share - mass[r] / (mass[0] + mass[1])) < 1e-9, `share ${r}`);
    const order = [...m.vocabulary.keys()].sort((a, b) => W.data[b * 2 + r] - W.data[a * 2 + r]);
    deepEqual(s.topics[r].terms, order.slice(0, 3).map((t) => m.vocabulary[t]));
  }
  for (let j = 0; j < m.n; j++) {
    const score = [0, 1].map((r) =>
      H.data[r * m.n + j] * [...Array(d).keys()].reduce((a, t) => a + W.data[t * 2 + r], 0)
    );
    equal(s.mainTopic[j], score[1] > score[0] ? 1 : 0, `document ${j}`);
  }
  ok(Math.abs(s.meanNpmi - (s.topics[0].npmi + s.topics[1].npmi) / 2) < 1e-12);
});

Deno.test("writeTopicReport: planted topics listed with weights, clustered by class, every file written", async () => {
  const m = tfidf(docs, { weighting: "tf" });
  const d = m.vocabulary.length;
  const dir = await Deno.makeTempDir();
  const files = docs.map((_, i) => `doc${i}.txt`);
  const labels = { class: ["hw", "hw", "hw", "vision", "vision", ""] };
  const source = { path: "docs", description: "six documents" };
  await writeTermDataset(`${dir}/t`, m, { files, labels, source, settings: {}, skipped: [] });
  const ds = await openTermDataset(`${dir}/t`);
  // W: topic 0 on the hardware words, topic 1 on the vision words; H: documents' true themes.
  const hw = new Set(["gpu", "kernel", "shader"]);
  const W = {
    rows: d,
    cols: 2,
    data: Float32Array.from({ length: d * 2 }, (_, i) => {
      const isHw = hw.has(m.vocabulary[Math.floor(i / 2)]);
      return (i % 2 === 0) === isHw ? 1 : 0;
    }),
  };
  const H = { rows: 2, cols: 6, data: new Float32Array([1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0]) };
  const state = {
    iteration: 10,
    loss: [2, 1],
    lossIterations: [0, 10],
    lossSeconds: [0, 0.1],
    complete: true,
    stopReason: "maxIter",
    messages: [],
    seconds: 0.1,
  };
  const config = resolveTrainConfig([{ source: "cli", values: { data: `${dir}/t`, rank: 2 } }]);
  const r = await writeTopicReport(`${dir}/run`, ds, config, { factors: { W, H }, state });
  equal(r.metrics.clustering[0].accuracy, 1);
  equal(r.metrics.clustering[0].k, 2);
  deepEqual(new Set(r.metrics.topics![0].terms), hw);
  ok(r.metrics.topics![0].npmi > 0.5, `planted topic NPMI ${r.metrics.topics![0].npmi}`);
  deepEqual(r.notes, ["1 documents without a class or a topic are not clustered"]);
  const html = await Deno.readTextFile(r.reportPath);
  ok(html.includes("Top words (weight)") && html.includes("gpu 1.00"), "topics table");
  ok(html.includes("main topic") && !html.includes("probeC"), "text-run report");
  const doc = (await Deno.readTextFile(`${dir}/run/document-topics.csv`)).trim().split("\n");
  equal(doc[0], "file,class,main_topic,topic_0,topic_1");
  equal(doc[4], "doc3.txt,vision,1,0,1");
  equal(doc.length, 7);
  const topics = await Deno.readTextFile(`${dir}/run/topics.csv`);
  ok(topics.startsWith("topic,share,npmi,terms,weights\n0,0.6,"), topics); // 9 of 15
  await Deno.remove(dir, { recursive: true });
});

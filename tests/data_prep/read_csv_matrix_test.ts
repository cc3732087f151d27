import { deepEqual, equal, rejects } from "node:assert/strict";
import { readCsvMatrix } from "../../data_prep/read_csv_matrix.ts";

const enc = (s: string) => new TextEncoder().encode(s);

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

Deno.test("readCsvMatrix: CSV and TSV, header or none, label column by name or index, gzip", async () => {
  const plain = await readCsvMatrix(enc("1,2,3\n4,5,6\n\n"), "a.csv");
  deepEqual([plain.matrix.rows, plain.matrix.cols, [...plain.matrix.data]], [2, 3, [
    1,
    2,
    3,
    4,
    5,
    6,
  ]]);
  deepEqual([plain.header, plain.labels, plain.delimiter], [null, null, ","]);
  const last = await readCsvMatrix(enc("1,2,7\n4,5,8\n"), "a.csv", { labelColumn: "-1" });
  deepEqual([[...last.matrix.data], last.labels, last.labelName], [
    [1, 2, 4, 5],
    ["7", "8"],
    "class",
  ]);
  const tsv = await readCsvMatrix(enc("y\tp1\tp2\r\ncat\t0.5\t-1e-3\r\ndog\t2\t3\r\n"), "b.tsv", {
    labelColumn: "y",
  });
  deepEqual([tsv.delimiter, tsv.header, tsv.labels, [...tsv.matrix.data]], [
    "\t",
    ["y", "p1", "p2"],
    ["cat", "dog"],
    [0.5, -1e-3, 2, 3],
  ]);
  const gz = await readCsvMatrix(await gzip(enc("1,2,7\n4,5,8\n")), "c.csv.gz", {
    labelColumn: "2",
  });
  deepEqual([...gz.matrix.data], [1, 2, 4, 5]);
});

Deno.test("readCsvMatrix errors name the file, line and column, and what to give", async () => {
  await rejects(
    readCsvMatrix(enc("a,b\n1,2\n3,x\n"), "d.csv"),
    /^Error: d\.csv line 3, column 2 \(b\): "x" is not a finite number; give --label-column/,
  );
  await rejects(readCsvMatrix(enc("1,2\n3\n"), "d.csv"), /Cannot read d\.csv: .*(length|columns)/i);
  await rejects(
    readCsvMatrix(enc("1,2\n"), "d.csv", { labelColumn: "5" }),
    /Label column 5 is outside d\.csv's 2 columns/,
  );
  await rejects(
    readCsvMatrix(enc("1,2\n"), "d.csv", { labelColumn: "y" }),
    /no header row, so label column y must be an index/,
  );
  await rejects(
    readCsvMatrix(enc("a,b\n1,2\n"), "d.csv", { labelColumn: "y" }),
    /has no column named y \(columns: a, b\)/,
  );
  await rejects(readCsvMatrix(enc("a,b\n"), "d.csv"), /a header and no data rows/);
  await rejects(readCsvMatrix(new Uint8Array([0xff, 0xfe, 0x31]), "d.csv"), /it is not UTF-8 text/);
  await rejects(
    readCsvMatrix(new Uint8Array([0x1f, 0x8b, 1, 2, 3]), "d.csv.gz"),
    /gzip data is damaged/,
  );
  equal(
    (await readCsvMatrix(enc("1,NaN\n"), "e.csv").catch((e) => e)).message.includes(
      '"NaN" is not a finite number',
    ),
    true,
  );
});

// Run by open_dataset_test.ts without --allow-ffi: opens a dataset and prints what it read.
import { openDataset } from "../../data_prep/open_dataset.ts";

const ds = await openDataset(Deno.args[0]);
const first = ds.rows(0, ds.n);
const again = ds.rows(0, 1); // a second read must not repeat the fallback note
let sum = 0;
for (const v of first) sum += v;
console.log(JSON.stringify({ mapped: ds.mapped, n: ds.n, sum, again: again[0] }));
ds.close();

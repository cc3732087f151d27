import { equal } from "node:assert/strict";
import { fnv1a32, formatChecksum } from "../../data_prep/fnv1a.ts";
import { randomPixels } from "./_fixtures.ts";

Deno.test("fnv1a32 matches the published FNV-1a 32 test vectors", () => {
  const t = (s: string) => fnv1a32(new TextEncoder().encode(s));
  equal(t(""), 0x811c9dc5);
  equal(t("a"), 0xe40c292c);
  equal(t("foobar"), 0xbf9cf968);
  equal(formatChecksum(0xbf9cf968), "fnv1a32:bf9cf968");
  equal(formatChecksum(5), "fnv1a32:00000005");
});

Deno.test("fnv1a32 continues across pieces", () => {
  const b = randomPixels(1000, 1);
  equal(fnv1a32(b.subarray(300), fnv1a32(b.subarray(0, 300))), fnv1a32(b));
});

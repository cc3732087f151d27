import { equal } from "node:assert/strict";
import { escapeXml } from "../../eval/escape_xml.ts";

Deno.test("escapeXml: the five special characters", () => {
  equal(escapeXml(`a < b & "c" > 'd'`), "a &lt; b &amp; &quot;c&quot; &gt; &#39;d&#39;");
  equal(escapeXml("plain"), "plain");
});

// Parse every Mermaid file named on the command line with Mermaid's own parser.
// Exit 0 when all parse; print each failure and exit 1 otherwise.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;
globalThis.Element = dom.window.Element;

const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });

let failed = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  try {
    await mermaid.parse(text);
    if (text.length > 50000) throw new Error(`larger than maxTextSize: ${text.length}`);
  } catch (err) {
    failed += 1;
    console.log(`${file}: ${err && err.message ? err.message : err}`);
  }
}
console.log(`${process.argv.length - 2 - failed} parsed, ${failed} failed`);
process.exit(failed ? 1 : 0);

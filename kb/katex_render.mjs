// Render TeX to MathML with KaTeX at build time (browsers lay MathML out natively).
// A long-lived process: each stdin line is a JSON list of {tex, display}; each stdout line
// is the JSON list of results, {html} or {error}, in the same order.
import katex from "katex";
import readline from "node:readline";

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const out = JSON.parse(line).map(({ tex, display }) => {
    try {
      return { html: katex.renderToString(tex, { displayMode: display, throwOnError: true, output: "mathml", strict: "ignore" }) };
    } catch (err) {
      return { error: String(err.message || err) };
    }
  });
  process.stdout.write(JSON.stringify(out) + "\n");
});

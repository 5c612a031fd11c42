// The floor of the whole-process figures (bench/engine.ts): a Node process that reads the log as
// UTF-8 and walks its lines — the least any tool that looks at every line has to do.
import { readFileSync } from "node:fs";

const text = readFileSync(process.argv[2], "utf8");
let n = 0;
for (const line of text.split("\n")) n += line.length;
if (n < 0) console.log(n);

/** The report summary (counts, hit ratio, rebuilt seconds) — lives in ./index.ts; re-exported for record analysis. */
export { summarize } from "./index";

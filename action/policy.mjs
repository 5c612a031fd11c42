// The action's `fail-on` policy: rules separated by commas or new lines, checked against the JSON
// report (docs/report-format.md). Any rule that holds fails the job, after the comment and the
// summary are written.
//   hit-ratio<80            cache hit ratio below 80 % (also <=, >, >=)
//   rebuilt-seconds>120     more than 120 s of rebuilt steps
//   rebuilt-steps>10        more than 10 rebuilt steps
//   finding:secret-in-build-arg   a finding of that rule (finding:any: any finding)
//   cause:build-arg-changed       a root cause of that code (cause:any: any rebuilt step)
//   build-failed            the analysed build failed

const METRICS = {
  "hit-ratio": { unit: "%", read: (r) => (r.summary?.cacheHitRatio == null ? null : Math.round(r.summary.cacheHitRatio * 1000) / 10), label: "cache hit ratio" },
  "rebuilt-seconds": { unit: " s", read: (r) => r.summary?.rebuiltSeconds ?? null, label: "rebuilt time" },
  "rebuilt-steps": { unit: "", read: (r) => r.summary?.rebuilt ?? null, label: "rebuilt steps" },
};
const OPS = { "<": (a, b) => a < b, "<=": (a, b) => a <= b, ">": (a, b) => a > b, ">=": (a, b) => a >= b };

export class PolicyError extends Error {}

/** Parses `fail-on`; throws PolicyError naming the rule that cannot be read. */
export function parsePolicy(text) {
  const rules = [];
  for (const raw of String(text ?? "").split(/[,\n]/)) {
    const rule = raw.trim();
    if (!rule || rule.startsWith("#")) continue;
    let m;
    if ((m = rule.match(/^([a-z-]+)\s*(<=|>=|<|>)\s*(\d+(?:\.\d+)?)\s*(%|s)?$/))) {
      if (!METRICS[m[1]]) throw new PolicyError(`fail-on: unknown measure "${m[1]}" in "${rule}" (known: ${Object.keys(METRICS).join(", ")})`);
      rules.push({ kind: "metric", text: rule, metric: m[1], op: m[2], value: Number(m[3]) });
    } else if ((m = rule.match(/^(finding|cause):\s*([a-z0-9-]+)$/))) {
      rules.push({ kind: m[1], text: rule, code: m[2] });
    } else if (rule === "build-failed") {
      rules.push({ kind: "build-failed", text: rule });
    } else {
      throw new PolicyError(
        `fail-on: cannot read "${rule}" (examples: hit-ratio<80, rebuilt-seconds>120, finding:secret-in-build-arg, cause:no-cache, build-failed)`,
      );
    }
  }
  return rules;
}

/**
 * Checks every rule. Returns `{violations, unknown}`: the rules that hold (each with a sentence
 * saying why) and the rules this report cannot decide (a measure the log does not give).
 */
export function evaluatePolicy(rules, report) {
  const violations = [];
  const unknown = [];
  for (const rule of rules) {
    if (rule.kind === "metric") {
      const m = METRICS[rule.metric];
      const value = m.read(report);
      if (value == null) unknown.push({ rule: rule.text, reason: `the report has no ${m.label}` });
      else if (OPS[rule.op](value, rule.value)) violations.push({ rule: rule.text, message: `${m.label} is ${value}${m.unit} (policy: ${rule.text})` });
    } else if (rule.kind === "finding") {
      const hits = (report.findings ?? []).filter((f) => rule.code === "any" || f.rule === rule.code);
      if (hits.length) {
        const where = hits.map((f) => (f.line != null ? `line ${f.line}` : null)).filter(Boolean);
        violations.push({ rule: rule.text, message: `${hits.length} finding${hits.length === 1 ? "" : "s"} ${rule.code === "any" ? "" : `"${rule.code}" `}${where.length ? `(${where.join(", ")}) ` : ""}(policy: ${rule.text})` });
      }
    } else if (rule.kind === "cause") {
      const roots = (report.steps ?? []).filter((s) => s.miss?.rootCause && (rule.code === "any" || s.miss.cause === rule.code));
      if (roots.length) violations.push({ rule: rule.text, message: `${roots.length} step${roots.length === 1 ? "" : "s"} rebuilt with root cause ${rule.code === "any" ? "" : `"${rule.code}" `}(policy: ${rule.text})` });
    } else if (rule.kind === "build-failed") {
      if (report.build?.status === "failed") violations.push({ rule: rule.text, message: "the build failed (policy: build-failed)" });
    }
  }
  return { violations, unknown };
}

/** The root cause that cost the most rebuilt seconds: `{cause, step, costSeconds}` or null. */
export function topCause(report) {
  let best = null;
  for (const s of report.steps ?? []) {
    if (!s.miss?.rootCause) continue;
    const cost = s.miss.costSeconds ?? 0;
    if (!best || cost > best.costSeconds) best = { cause: s.miss.cause, step: s.text, line: s.line ?? null, costSeconds: cost };
  }
  return best;
}

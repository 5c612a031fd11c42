/** Text helpers shared with the log join: instruction texts and image references. */
import type { DockerfileInstruction } from "../../model/dockerfile";
import { escapeRegExp } from "./expand";


/**
 * Collapse an instruction text for fuzzy matching against a log vertex name: strips a `[stage i/n]`
 * prefix, an `ONBUILD`-free keyword case, runs of whitespace, a trailing `...`/`…` cut, a
 * `@sha256:…` digest and the `docker.io/library/` / `:latest` parts of image refs.
 */
export function normaliseInstructionText(text: string): string {
  // The join asks for the same texts again and again (every candidate vertex of every step);
  // short ones are remembered (bounded, so a long-lived worker keeps no large text alive).
  if (text.length > 2000) return normaliseUncached(text);
  let t = normalised.get(text);
  if (t !== undefined) return t;
  t = normaliseUncached(text);
  if (normalised.size >= 20_000) normalised.clear();
  normalised.set(text, t);
  return t;
}

const normalised = new Map<string, string>();

function normaliseUncached(text: string): string {
  let t = text.replace(/^\uFEFF/, "").trim();
  t = t.replace(/^\[[^\]]*?\d+\/\d+\]\s+/, "");
  t = t.replace(/\s+/g, " ");
  t = t.replace(/(…|\.\.\.)$/, "");
  const sp = t.indexOf(" ");
  const kw = (sp < 0 ? t : t.slice(0, sp)).toUpperCase();
  t = sp < 0 ? kw : kw + t.slice(sp);
  if (kw === "FROM") {
    const rest = t.slice(5).split(" ")[0] ?? "";
    t = "FROM " + shortImageRef(rest.replace(/@sha256:[0-9a-f…]*$/i, ""));
  }
  return t.trim();
}

function shortImageRef(ref: string): string {
  let r = ref.replace(/^(docker\.io|index\.docker\.io)\/(library\/)?/, "");
  r = r.replace(/:latest$/, "");
  return r;
}

/**
 * True when a log vertex text names this instruction: exact or normalised equality with `text`, or
 * a match of `unexpandedText` where each `$X`/`${…}` may stand for anything (build args given with
 * --build-arg, variables from the base image's ENV). Also accepts a log text cut with `...`.
 */
export function instructionTextMatches(logText: string, instruction: DockerfileInstruction): boolean {
  const a = normaliseInstructionText(logText);
  if (a === normaliseInstructionText(instruction.text)) return true;
  const cut = /(…|\.\.\.)\s*$/.test(logText);
  if (cut && normaliseInstructionText(instruction.text).startsWith(a)) return true;
  const tpl = normaliseInstructionText(instruction.unexpandedText ?? instruction.text);
  if (!tpl.includes("$")) return false;
  let re = "";
  const varRe = /\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g;
  let last = 0;
  for (let m = varRe.exec(tpl); m; m = varRe.exec(tpl)) {
    re += escapeRegExp(tpl.slice(last, m.index)) + "[\\s\\S]*?";
    last = m.index + m[0].length;
  }
  re += escapeRegExp(tpl.slice(last));
  try {
    return new RegExp("^" + re + (cut ? "" : "$")).test(a);
  } catch {
    return false;
  }
}

/** `node:20` → `docker.io/library/node:20`; `ghcr.io/a/b` → `ghcr.io/a/b:latest` (BuildKit's TagNameOnly). */
export function normaliseImageRef(ref: string): string {
  if (!ref || ref.includes("$") || /\s/.test(ref)) return ref;
  const { name, tag, digest } = splitImageRef(ref);
  let domain: string;
  let path: string;
  const slash = name.indexOf("/");
  const first = slash < 0 ? "" : name.slice(0, slash);
  if (slash < 0 || (!first.includes(".") && !first.includes(":") && first !== "localhost" && first === first.toLowerCase())) {
    domain = "docker.io";
    path = name;
  } else {
    domain = first;
    path = name.slice(slash + 1);
  }
  if (domain === "index.docker.io") domain = "docker.io";
  if (domain === "docker.io" && !path.includes("/")) path = "library/" + path;
  let out = domain + "/" + path;
  if (tag) out += ":" + tag;
  else if (!digest) out += ":latest";
  if (digest) out += "@" + digest;
  return out;
}

/** Split `name[:tag][@digest]`. */
export function splitImageRef(ref: string): { name: string; tag: string | null; digest: string | null } {
  let name = ref;
  let digest: string | null = null;
  const at = name.indexOf("@");
  if (at >= 0) {
    digest = name.slice(at + 1) || null;
    name = name.slice(0, at);
  }
  let tag: string | null = null;
  const colon = name.lastIndexOf(":");
  if (colon > name.lastIndexOf("/")) {
    tag = name.slice(colon + 1) || null;
    name = name.slice(0, colon);
  }
  return { name, tag, digest };
}


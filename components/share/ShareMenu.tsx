"use client";

/**
 * Share / export menu: permalink (inputs redacted, in the URL fragment), stored link (POST
 * /api/share) when the permalink is too long, Markdown comment, JSON report and SVG card.
 * Everything shared or exported is built from REDACTED inputs; the menu says what was redacted.
 *
 * DOM contract: share-button, share-link, share-stored-link, redaction-summary (data-testid).
 */
import { useCallback, useEffect, useId, useRef, useState } from "react";
import type { Report } from "@/lib/model/report";
import { createPermalink, type Permalink } from "@/lib/share/permalink";
import { REDACTION_LABELS, describeRedactions, mergeRedactions, redactInputs, type Redaction } from "@/lib/share/redact";
import type { CreateShareResponse, ShareInputs } from "@/lib/share/schema";

export interface ShareMenuInputs {
  dockerfile?: string | null;
  log: string;
  previousLog?: string | null;
  previousDockerfile?: string | null;
  image?: string | null;
}

export interface ShareMenuProps {
  inputs: ShareMenuInputs;
  selectedStep: string | null;
  view: string;
  /** The page's report, used for exports when nothing had to be redacted. */
  report?: Report | null;
  /** Which build of a multi-build log is shown (passed to the analysis of the redacted inputs). */
  build?: number | null;
  disabled?: boolean;
  className?: string;
}

const orNull = (s: string | null | undefined) => (s && s.length ? s : null);

function toShareInputs(i: ShareMenuInputs): ShareInputs {
  return {
    log: i.log,
    dockerfile: orNull(i.dockerfile),
    previousLog: orNull(i.previousLog),
    previousDockerfile: orNull(i.previousDockerfile),
    image: orNull(i.image),
  };
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false; // clipboard blocked (permissions / insecure context): the text stays selectable
  }
}

function download(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Inputs up to this size are redacted as soon as the menu opens, to show what will be removed. */
const PREVIEW_MAX_CHARS = 8_000_000;

type Status = { kind: "idle" } | { kind: "busy"; what: string } | { kind: "ok"; text: string } | { kind: "error"; text: string };

/**
 * Two counts of the same inputs (a preview, a link, the server's) describe the same secrets: keep
 * the larger count per kind instead of adding them up; names are merged.
 */
function mergeMax(a: Redaction[] | null, b: Redaction[]): Redaction[] {
  if (!a) return b;
  const byKind = new Map(a.map((r) => [r.kind, r] as const));
  for (const r of b) {
    const prev = byKind.get(r.kind);
    const names = [...new Set([...(prev?.names ?? []), ...(r.names ?? [])])].sort();
    byKind.set(r.kind, { kind: r.kind, count: Math.max(prev?.count ?? 0, r.count), ...(names.length ? { names } : {}) });
  }
  return mergeRedactions([...byKind.values()]);
}

export function ShareMenu({ inputs, selectedStep, view, report, build, disabled, className }: ShareMenuProps) {
  const [open, setOpen] = useState(false);
  const [link, setLink] = useState<Permalink | null>(null);
  const [stored, setStored] = useState<CreateShareResponse | null>(null);
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const [redactions, setRedactions] = useState<Redaction[] | null>(null);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);

  // A new analysis invalidates links made for the old inputs.
  useEffect(() => {
    setLink(null);
    setStored(null);
    setRedactions(null);
    setStatus({ kind: "idle" });
  }, [inputs.log, inputs.dockerfile, inputs.previousLog, inputs.previousDockerfile, inputs.image, selectedStep, view]);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    const onClick = (e: MouseEvent) => {
      if (rootRef.current && !rootRef.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("mousedown", onClick);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("mousedown", onClick);
    };
  }, [open]);

  // Tell the truth before anything is shared: what redaction will remove from these inputs.
  useEffect(() => {
    if (!open || redactions) return;
    const size = (inputs.log?.length ?? 0) + (inputs.dockerfile?.length ?? 0) + (inputs.previousLog?.length ?? 0) + (inputs.previousDockerfile?.length ?? 0) + (inputs.image?.length ?? 0);
    if (size > PREVIEW_MAX_CHARS) return; // big inputs: counted when a link or export is made
    setRedactions(redactInputs(toShareInputs(inputs)).redactions);
  }, [open, redactions, inputs]);

  const baseUrl = () => `${window.location.origin}${window.location.pathname.startsWith("/s/") ? "/" : window.location.pathname}`;

  const makeLink = useCallback((): Permalink => {
    const state = { inputs: toShareInputs(inputs), selectedStep, view };
    let p = createPermalink(state, { baseUrl: baseUrl() });
    if (p.tooLong) p = createPermalink(state, { baseUrl: baseUrl(), trim: true });
    setLink(p);
    setRedactions((prev) => mergeMax(prev, p.redactions));
    return p;
  }, [inputs, selectedStep, view]);

  const copyLink = async () => {
    const p = makeLink();
    if (p.tooLong) {
      setStatus({ kind: "error", text: `The link would be ${p.length.toLocaleString()} characters, too long to share reliably. Create a stored link instead.` });
      return;
    }
    const ok = await copyText(p.url);
    setStatus({ kind: "ok", text: ok ? "Link copied." : "Copy the link below." });
  };

  const createStored = async () => {
    setStatus({ kind: "busy", what: "Creating a stored link…" });
    try {
      // Secrets never leave the browser: redact here (the server redacts again, trusting no client).
      const { inputs: redacted, redactions: local } = redactInputs(toShareInputs(inputs));
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 60_000);
      const res = await fetch("/api/share", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ version: 1, inputs: redacted, selectedStep, view }),
        signal: controller.signal,
      }).finally(() => clearTimeout(timer));
      const body = (await res.json().catch(() => null)) as (CreateShareResponse & { error?: string }) | null;
      if (!res.ok || !body?.id) {
        setStatus({ kind: "error", text: body?.error ?? `The server answered ${res.status}.` });
        return;
      }
      const absolute = { ...body, url: new URL(body.url, window.location.origin).toString() };
      setStored(absolute);
      setRedactions((prev) => mergeMax(prev, mergeMax(local, body.redactions as Redaction[])));
      const ok = await copyText(absolute.url);
      setStatus({ kind: "ok", text: ok ? "Stored link copied." : "Copy the stored link below." });
    } catch (e) {
      setStatus({ kind: "error", text: e instanceof DOMException && e.name === "AbortError" ? "The server took too long." : "Could not reach the server." });
    }
  };

  /**
   * Report for exports: one analysed from the redacted inputs and scrubbed; the page's own (scrubbed
   * too) only when the inputs needed no redaction at all.
   */
  const sharableReport = async (): Promise<{ report: Report; redactions: Redaction[] }> => {
    const shareInputs = toShareInputs(inputs);
    const { redactions: found, known } = redactInputs(shareInputs);
    const { analyzeForSharing, scrubForSharing } = await import("@/lib/share/share-report");
    if (report && found.length === 0) return scrubForSharing(report, known);
    return analyzeForSharing({ ...shareInputs, build });
  };

  const exportAs = async (what: "markdown" | "json" | "svg") => {
    setStatus({ kind: "busy", what: "Preparing…" });
    try {
      const { report: r, redactions: found } = await sharableReport();
      setRedactions((prev) => mergeMax(prev, found));
      if (what === "markdown") {
        const { renderMarkdown } = await import("@/lib/render/markdown");
        const p = link ?? makeLink();
        const shareUrl = stored?.url ?? (p.tooLong ? null : p.url);
        const ok = await copyText(renderMarkdown(r, { shareUrl }));
        setStatus({ kind: "ok", text: ok ? "Markdown copied." : "Clipboard unavailable." });
      } else if (what === "json") {
        download("cachescope-report.json", "application/json", JSON.stringify(r, null, 2) + "\n");
        setStatus({ kind: "ok", text: "JSON report downloaded." });
      } else {
        const { renderSvgCard } = await import("@/lib/render/svg-card");
        download("cachescope-card.svg", "image/svg+xml", renderSvgCard(r));
        setStatus({ kind: "ok", text: "SVG card downloaded." });
      }
    } catch {
      setStatus({ kind: "error", text: "The export failed." });
    }
  };

  const shown = stored?.url ?? (link && !link.tooLong ? link.url : null);

  return (
    <div ref={rootRef} className={`relative ${className ?? ""}`}>
      <button
        type="button"
        data-testid="share-button"
        aria-expanded={open}
        aria-controls={panelId}
        disabled={disabled || !inputs.log}
        onClick={() => setOpen((o) => !o)}
        className="inline-flex h-8 items-center gap-1.5 rounded-md border border-zinc-300 bg-white px-3 text-sm font-medium text-zinc-800 hover:bg-zinc-100 disabled:cursor-not-allowed disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800"
      >
        Share
      </button>
      {open && (
        <div
          id={panelId}
          role="dialog"
          aria-label="Share and export"
          className="absolute right-0 z-50 mt-2 w-96 max-w-[90vw] space-y-3 rounded-lg border border-zinc-200 bg-white p-3 text-sm shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          <div className="flex flex-wrap gap-2">
            <MenuButton onClick={copyLink}>Copy link</MenuButton>
            <MenuButton onClick={() => exportAs("markdown")}>Copy Markdown</MenuButton>
            <MenuButton onClick={() => exportAs("json")}>Download JSON</MenuButton>
            <MenuButton onClick={() => exportAs("svg")}>Download SVG</MenuButton>
          </div>
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            Links carry your inputs in the URL fragment, which is never sent to a server. Secrets are redacted first.
          </p>
          {link?.tooLong && !stored && (
            <div className="space-y-2 rounded-md bg-amber-50 p-2 text-amber-900 dark:bg-amber-950 dark:text-amber-100">
              <p>
                This link would be {link.length.toLocaleString()} characters (the limit is about 32,000), even with step output trimmed. A stored link
                keeps the redacted inputs on this server instead.
              </p>
              <MenuButton onClick={createStored}>Create stored link</MenuButton>
            </div>
          )}
          {shown && (
            <label className="block space-y-1">
              <span className="text-xs text-zinc-500">{stored ? "Stored link" : "Link"}</span>
              <input
                readOnly
                value={shown}
                data-testid={stored ? "share-stored-link" : "share-link"}
                onFocus={(e) => e.currentTarget.select()}
                className="w-full rounded border border-zinc-300 bg-zinc-50 px-2 py-1 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950"
              />
              {stored?.expiresAt && <span className="text-xs text-zinc-500">Expires {new Date(stored.expiresAt).toLocaleDateString()}</span>}
              {link && link.trimmedLines > 0 && !stored && (
                <span className="block text-xs text-zinc-500">{link.trimmedLines.toLocaleString()} step output lines were left out to keep the link short.</span>
              )}
            </label>
          )}
          {redactions && (
            <div data-testid="redaction-summary" className="text-xs text-zinc-600 dark:text-zinc-300">
              {redactions.length ? (
                <>
                  <p className="sr-only">Redacted before sharing: {describeRedactions(redactions)}.</p>
                  <p aria-hidden="true">Redacted before sharing:</p>
                  <ul data-testid="redaction-list" className="mt-1 list-disc pl-4">
                    {redactions.map((r) => (
                      <li key={r.kind} data-kind={r.kind}>
                        {r.count} {REDACTION_LABELS[r.kind]?.[r.count === 1 ? 0 : 1] ?? r.kind}
                        {r.names?.length ? <span className="font-mono"> ({r.names.join(", ")})</span> : null}
                      </li>
                    ))}
                  </ul>
                </>
              ) : (
                "Nothing needed redacting."
              )}
            </div>
          )}
          <p role="status" aria-live="polite" className={status.kind === "error" ? "text-red-700 dark:text-red-400" : "text-zinc-600 dark:text-zinc-300"}>
            {status.kind === "busy" ? status.what : status.kind === "ok" || status.kind === "error" ? status.text : ""}
          </p>
        </div>
      )}
    </div>
  );
}

function MenuButton({ onClick, children }: { onClick: () => void; children: React.ReactNode }) {
  return (
    <button
      type="button"
      onClick={onClick}
      className="inline-flex h-7 items-center rounded-md border border-zinc-300 bg-white px-2 text-xs font-medium text-zinc-800 hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800"
    >
      {children}
    </button>
  );
}

export default ShareMenu;

"use client";

import dynamic from "next/dynamic";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Report } from "@/lib/model/report";
import { BuildSummary } from "@/components/build-summary";
import { ComparisonCard } from "@/components/comparison-card";
import { HistoryTrend } from "@/components/history-trend";
import { DiagnosticsList } from "@/components/diagnostics-list";
import { ExplanationPanel } from "@/components/explanation-panel";
import { FindingsList } from "@/components/findings-list";
import { LayerSizes } from "@/components/layer-sizes";
import { StepTable } from "@/components/step-table";
import { ThemeToggle, useTheme } from "@/components/theme-toggle";
import { cx } from "@/components/ui/cx";
import { ErrorBoundary } from "@/components/ui/error-boundary";
import { decodeText } from "@/lib/view/decode";
import { buildsHeldBy } from "@/lib/view/input-source";
import { prepareRecordDrop, recordDockerfileOf } from "@/lib/view/record-input";
import { routeFiles, sniffFile, type RoutedInput, type SniffedFile } from "@/lib/view/route-files";
import { DropOverlay, useDropAnywhere } from "./drop-anywhere";
import { InputGuide } from "./input-guide";
import { fetchExample } from "./examples";
import { ExampleGallery } from "./example-gallery";
import { InputPanel } from "./input-panel";
import { EMPTY_INPUTS, fromShareInputs, isEmpty, toAnalyzeInput, type InputBytes, type InputKey, type WorkbenchInputs } from "./inputs";
import { ShareSlot, readPermalinkState } from "./share-slot";
import { useAnalysis } from "./use-analysis";
import { usePersistedInputs } from "./use-persisted-inputs";

// Graph code (React Flow + dagre) and the timeline load on demand, not in the first-load bundle.
const StageGraph = dynamic(() => import("@/components/stage-graph/stage-graph"), {
  ssr: false,
  loading: () => <ViewLoading what="stage graph" />,
});
const Timeline = dynamic(() => import("@/components/timeline/timeline").then((m) => m.Timeline), {
  ssr: false,
  loading: () => <ViewLoading what="timeline" />,
});

function ViewLoading({ what }: { what: string }) {
  return <div className="grid h-full place-items-center text-sm text-zinc-500">Loading the {what}…</div>;
}

export type MainView = "graph" | "timeline";
const VIEWS: { id: MainView; label: string }[] = [
  { id: "graph", label: "Stage graph" },
  { id: "timeline", label: "Timeline" },
];
const TYPING_DELAY_MS = 350;
/** A change this large is a paste or a drop, not typing: analyse it at once. */
const PASTE_CHARS = 200;

/**
 * Once the person edits restored inputs, a reload should show their edits (kept in this browser),
 * not the link again: drop a permalink hash, and leave a stored link's /s/<id> for the home page.
 */
function leaveSharedLink() {
  if (window.location.pathname.startsWith("/s/")) {
    window.history.replaceState(null, "", "/" + window.location.search);
  } else if (/^#v\d+\./.test(window.location.hash)) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
}

const asMainView = (v: string | null | undefined): MainView | null => (v === "graph" || v === "timeline" ? v : null);

/** What a stored link (/s/<id>) opens the workbench with; wins over the URL hash and local storage. */
export interface WorkbenchInitialState {
  /** A share's inputs: absent ones null or missing. */
  inputs: { log: string } & { [K in InputKey]?: string | null };
  selectedStep: string | null;
  view: string;
}

export interface WorkbenchProps {
  initialState?: WorkbenchInitialState;
}

/** The tool: inputs on the left, the analysed build on the right, explanations in a side panel. */
export function Workbench({ initialState }: WorkbenchProps = {}) {
  // Read once: later renders of the page do not reset what the person has done since.
  const [initial] = useState(() => (initialState ? { ...initialState, inputs: fromShareInputs(initialState.inputs) } : null));
  const { inputs, setInputs, origin, setOrigin, openedLink, stashed, restoreOwn, discardStash, hydrated, markHydrated, loadFromStorage, clear, persist } =
    usePersistedInputs(initial?.inputs);
  const originRef = useRef(origin);
  originRef.current = origin;
  const inputsRef = useRef(inputs);
  inputsRef.current = inputs;
  // The Dockerfile did not match the log and the person chose to analyse the log alone.
  const [withoutDockerfile, setWithoutDockerfile] = useState(false);
  // Two logs dropped whose order their content does not tell: which one is the current build?
  const [askOrder, setAskOrder] = useState<{ a: SniffedFile & { bytes: Uint8Array }; b: SniffedFile & { bytes: Uint8Array } } | null>(null);
  const [bytes, setBytes] = useState<InputBytes>({});
  const [build, setBuild] = useState<number | null>(null);
  const [selectedStep, setSelectedStep] = useState<string | null>(initial?.selectedStep ?? null);
  const [view, setView] = useState<MainView>(asMainView(initial?.view) ?? "graph");
  const [delay, setDelay] = useState(0);
  const [exampleLoading, setExampleLoading] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [theme, cycleTheme] = useTheme();
  const returnFocus = useRef<HTMLElement | null>(null);

  // Restore: a stored link's state (initialState) first, then a permalink in the hash, then what
  // was kept in this browser. A permalink pasted into the address bar of an open tab only changes
  // the hash: restore from it then too.
  useEffect(() => {
    let live = true;
    const restore = async (first: boolean) => {
      if (first && initial) {
        await openedLink(null);
        markHydrated();
        return;
      }
      const fromLink = await readPermalinkState(window.location.hash);
      if (!live) return;
      if (fromLink?.ok) {
        // The person's own inputs are set aside, never overwritten: they can restore them.
        await openedLink(!first && originRef.current === "own" ? inputsRef.current : null);
        if (!live) return;
        setDelay(0);
        setBytes({});
        setBuild(null);
        setInputs({ ...EMPTY_INPUTS, ...fromLink.state.inputs });
        setSelectedStep(fromLink.state.selectedStep);
        const linkView = asMainView(fromLink.state.view);
        if (linkView) setView(linkView);
        setNotice(null);
      } else {
        if (fromLink && !fromLink.ok) setNotice(`This link could not be opened: ${fromLink.error}`);
        if (first) {
          const stored = await loadFromStorage();
          if (!live) return;
          // Reading storage is asynchronous: what the person dropped or typed meanwhile wins.
          if (stored && isEmpty(inputsRef.current)) setInputs(stored);
        }
      }
      if (first) markHydrated();
    };
    void restore(true);
    const onHash = () => void restore(false);
    window.addEventListener("hashchange", onHash);
    return () => {
      live = false;
      window.removeEventListener("hashchange", onHash);
    };
  }, [initial, loadFromStorage, markHydrated, setInputs, openedLink]);

  const analyzeInput = useMemo(
    () => (hydrated && inputs.log.trim() ? toAnalyzeInput(inputs, bytes, build, { withoutDockerfile }) : null),
    [hydrated, inputs, bytes, build, withoutDockerfile],
  );
  const analysis = useAnalysis(analyzeInput, delay);
  const report = analyzeInput ? analysis.report : null;
  const step = report && selectedStep ? (report.steps.find((s) => s.id === selectedStep) ?? null) : null;
  // A build record carries its Dockerfile: shown when none was pasted (the report's lines are its lines).
  const shownDockerfile = useMemo(
    () => (inputs.dockerfile.trim() ? inputs.dockerfile : (recordDockerfileOf(inputs.log, report?.input.build ?? build) ?? "")),
    [inputs.dockerfile, inputs.log, report?.input.build, build],
  );

  const change = useCallback(
    (key: InputKey, value: string) => {
      setDelay(Math.abs(value.length - inputs[key].length) >= PASTE_CHARS ? 0 : TYPING_DELAY_MS);
      leaveSharedLink();
      setOrigin("own");
      if (key === "dockerfile") setWithoutDockerfile(false);
      setInputs((i) => ({ ...i, [key]: value }));
    },
    [inputs, setInputs, setOrigin],
  );

  /** Put routed files into their inputs (text decoded once; log bytes kept for the engine). */
  const applyFiles = useCallback(
    (files: { input: RoutedInput; bytes: Uint8Array; text?: string }[], notes: string[]) => {
      if (!files.length) {
        if (notes.length) setNotice(notes.join(" "));
        return;
      }
      setDelay(0);
      leaveSharedLink();
      setOrigin("own");
      const next: Partial<WorkbenchInputs> = {};
      const nextBytes: InputBytes = {};
      for (const f of files) {
        const text = f.text ?? decodeText(f.bytes).text;
        next[f.input] = text;
        if (f.input === "log" || f.input === "previousLog") nextBytes[f.input] = { bytes: f.bytes, text };
      }
      if ("dockerfile" in next) setWithoutDockerfile(false);
      if ("log" in next) {
        setBuild(null);
        setSelectedStep(null);
      }
      setBytes((b) => ({ ...b, ...nextBytes }));
      setInputs((cur) => ({ ...cur, ...next }));
      setNotice(notes.length ? notes.join(" ") : null);
    },
    [setInputs, setOrigin],
  );

  /**
   * Files dropped anywhere or picked: routed by content (lib/view/route-files). One file dropped on
   * a field goes to that field when its content fits there (a log on "Previous build log").
   */
  const loadFiles = useCallback(
    async (target: InputKey | null, files: File[]) => {
      const read = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
      // Records become logs (their digests), paired or merged by their own dates (lib/view/record-input).
      const { files: sniffed, notes } = prepareRecordDrop(read.map((f) => ({ ...sniffFile(f.name, f.bytes), bytes: f.bytes })));
      if (target && sniffed.length === 1) {
        const f = sniffed[0];
        const fits =
          f.kind === "unknown" ||
          (f.kind === "log" && (target === "log" || target === "previousLog")) ||
          (f.kind === "dockerfile" && (target === "dockerfile" || target === "previousDockerfile")) ||
          (f.kind === "image" && target === "image") ||
          (f.kind === "changed-files" && target === "changedFiles");
        if (fits && f.kind !== "record") return applyFiles([{ input: target, bytes: f.bytes, text: f.text ?? undefined }], notes);
      }
      const plan = routeFiles(sniffed);
      for (const s of plan.skipped) notes.push(`“${sniffed[s.file].name}” was not used: ${s.reason}.`);
      const routed = plan.assign.map((a) => ({ input: a.input, bytes: sniffed[a.file].bytes, text: sniffed[a.file].text ?? undefined }));
      if (plan.askOrder) setAskOrder({ a: sniffed[plan.askOrder[0]], b: sniffed[plan.askOrder[1]] });
      applyFiles(routed, notes);
    },
    [applyFiles],
  );

  const chooseCurrent = useCallback(
    (current: "a" | "b") => {
      if (!askOrder) return;
      const cur = askOrder[current];
      const prev = askOrder[current === "a" ? "b" : "a"];
      setAskOrder(null);
      applyFiles(
        [
          { input: "log", bytes: cur.bytes, text: cur.text ?? undefined },
          { input: "previousLog", bytes: prev.bytes, text: prev.text ?? undefined },
        ],
        [],
      );
    },
    [askOrder, applyFiles],
  );

  const dragging = useDropAnywhere((files) => void loadFiles(null, files));

  const pickExample = useCallback(
    async (slug: string) => {
      setExampleLoading(slug);
      try {
        const ex = await fetchExample(slug);
        setDelay(0);
        leaveSharedLink();
        setOrigin("own");
        setWithoutDockerfile(false);
        setBytes({});
        setBuild(null);
        setSelectedStep(null);
        setInputs({ ...EMPTY_INPUTS, ...ex });
        setNotice(null);
      } catch (e) {
        setNotice(e instanceof Error ? e.message : "The example could not be loaded.");
      } finally {
        setExampleLoading(null);
      }
    },
    [setInputs, setOrigin],
  );

  const onClear = useCallback(() => {
    clear();
    setWithoutDockerfile(false);
    setAskOrder(null);
    leaveSharedLink();
    setBytes({});
    setBuild(null);
    setSelectedStep(null);
    setNotice(null);
  }, [clear]);

  const selectStep = useCallback((id: string) => {
    if (!returnFocus.current) {
      const active = document.activeElement;
      if (active instanceof HTMLElement && active !== document.body) returnFocus.current = active;
    }
    setSelectedStep(id);
  }, []);

  const closePanel = useCallback(() => {
    setSelectedStep(null);
    const el = returnFocus.current;
    returnFocus.current = null;
    if (el && el.isConnected) el.focus();
  }, []);

  useEffect(() => {
    if (!step) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && !e.defaultPrevented) closePanel();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [step, closePanel]);

  const empty = isEmpty(inputs);
  const diagnostics = report?.diagnostics ?? [];

  return (
    <div className="flex min-h-dvh flex-col">
      <header className="sticky top-0 z-50 flex h-12 items-center gap-3 border-b border-zinc-200 bg-white/95 px-3 backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/95">
        <h1 className="text-base font-bold tracking-tight">
          <span aria-hidden className="mr-1 text-sky-600">◎</span>Cachescope
        </h1>
        <p className="hidden truncate text-xs text-zinc-500 md:block dark:text-zinc-400">
          Why did my Docker build miss the cache?
        </p>
        <div className="ml-auto flex items-center gap-2">
          <span className="text-xs text-zinc-500 tabular-nums" aria-live="polite" data-testid="analysis-status">
            {analysis.pending ? "Analysing…" : report && analysis.ms != null ? `Analysed in ${Math.round(analysis.ms)} ms${analysis.via === "worker" ? " (worker)" : ""}` : ""}
          </span>
          <ShareSlot inputs={inputs} selectedStep={selectedStep} view={view} report={report} build={build} disabled={!report} />
          <ThemeToggle theme={theme} onToggle={cycleTheme} />
        </div>
      </header>

      <div className="flex flex-1 flex-col lg:grid lg:grid-cols-[minmax(320px,380px)_minmax(0,1fr)]">
        <aside
          aria-label="Inputs"
          className={cx(
            "border-zinc-200 p-3 lg:sticky lg:top-12 lg:order-none lg:h-[calc(100dvh-3rem)] lg:overflow-y-auto lg:border-t-0 lg:border-r dark:border-zinc-800",
            // On a phone the analysis comes first once there is one; the inputs follow.
            report ? "order-2 border-t" : "border-b",
          )}
        >
          <InputPanel
            inputs={inputs}
            onChange={change}
            onFiles={loadFiles}
            onPickExample={pickExample}
            exampleLoading={exampleLoading}
            onClear={onClear}
            diagnostics={diagnostics}
            persist={persist}
            empty={empty}
          />
        </aside>

        {/* From 1280 px the explanation panel sits beside the analysis instead of over it. */}
        {/* data-ready: restored and listening (drops and pastes before hydration reach no handler). */}
        <main className={cx("@container min-w-0 space-y-3 p-3", step && "xl:pr-[392px] 2xl:pr-[456px]")} aria-label="Analysis" data-ready={hydrated ? "true" : undefined}>
          {stashed && (
            <div role="status" data-testid="restore-own" className="flex flex-wrap items-center gap-2 rounded-md border border-sky-300 bg-sky-50 px-3 py-2 text-sm text-sky-950 dark:border-sky-800 dark:bg-sky-950/40 dark:text-sky-100">
              <span className="mr-auto">
                {origin === "link"
                  ? "You opened a shared link. Your own inputs were not replaced: they are kept in this browser."
                  : "Your inputs from before you opened a shared link are kept in this browser."}
              </span>
              <button
                type="button"
                data-testid="restore-own-inputs"
                className="rounded-md bg-sky-700 px-2.5 py-1 text-xs font-semibold text-white hover:bg-sky-800"
                onClick={() => {
                  leaveSharedLink();
                  setBytes({});
                  setBuild(null);
                  setSelectedStep(null);
                  void restoreOwn();
                }}
              >
                Restore my inputs
              </button>
              <button type="button" className="rounded-md px-2 py-1 text-xs font-medium underline underline-offset-2" onClick={discardStash} data-testid="discard-own-inputs">
                Discard them
              </button>
            </div>
          )}
          {askOrder && (
            <div role="group" aria-labelledby="ask-order-title" data-testid="ask-order" className="rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900">
              <p id="ask-order-title" className="font-semibold">Two build logs: which one is the build to explain?</p>
              <p className="text-xs text-zinc-600 dark:text-zinc-400">Their content does not say which ran first; the other one becomes the previous build (exact causes from the comparison).</p>
              <div className="mt-1.5 flex flex-wrap gap-2">
                {(["a", "b"] as const).map((k) => (
                  <button
                    key={k}
                    type="button"
                    onClick={() => chooseCurrent(k)}
                    data-testid={`ask-order-${k}`}
                    className="rounded-md border border-zinc-300 px-2.5 py-1 font-mono text-xs hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
                  >
                    {askOrder[k].name}
                  </button>
                ))}
                <button type="button" onClick={() => setAskOrder(null)} className="px-2 py-1 text-xs underline underline-offset-2">
                  Cancel
                </button>
              </div>
            </div>
          )}
          {withoutDockerfile && (
            <p role="status" className="rounded-md border border-zinc-300 bg-zinc-50 px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900" data-testid="log-alone-note">
              Analysed from the log alone (the Dockerfile did not match it).{" "}
              <button type="button" className="font-semibold underline underline-offset-2" onClick={() => setWithoutDockerfile(false)}>
                Use the Dockerfile again
              </button>
            </p>
          )}
          {notice && (
            <p role="status" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200">
              {notice}
            </p>
          )}
          {analysis.error && analyzeInput && (
            <p role="alert" data-testid="analysis-error" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950/40 dark:text-red-200">
              Cachescope could not analyse this input ({analysis.error}). Check that the log is a docker build log; your inputs are kept.
            </p>
          )}
          {!analyzeInput ? (
            <EmptyState hydrated={hydrated} hasDockerfile={inputs.dockerfile.trim() !== ""} onPickExample={pickExample} exampleLoading={exampleLoading} />
          ) : !report ? (
            <ViewLoading what="analysis" />
          ) : (
            <Results
              report={report}
              dockerfile={shownDockerfile}
              view={view}
              onView={setView}
              selectedStep={selectedStep}
              onSelectStep={selectStep}
              colorMode={theme}
              onBuild={setBuild}
              onAnalyseLogAlone={() => setWithoutDockerfile(true)}
            />
          )}
        </main>
      </div>

      {dragging && <DropOverlay />}
      {report && step && (
        <ErrorBoundary what="the explanation" resetKey={step.id}>
          <ExplanationPanel report={report} step={step} dockerfile={shownDockerfile} onSelectStep={selectStep} onClose={closePanel} />
        </ErrorBoundary>
      )}
    </div>
  );
}

function EmptyState({
  hydrated,
  hasDockerfile,
  onPickExample,
  exampleLoading,
}: {
  hydrated: boolean;
  hasDockerfile: boolean;
  onPickExample(slug: string): void;
  exampleLoading: string | null;
}) {
  if (!hydrated) return null;
  return (
    <div className="mx-auto max-w-4xl py-8 text-center" data-testid="empty-state">
      <h2 className="text-xl font-semibold">See why your Docker build missed the cache</h2>
      <p className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">
        {hasDockerfile ? "Now paste the build log" : "Paste a build log and its Dockerfile"} (or drop the files, or pick an example build). Cachescope shows the
        stage graph, the parallel lanes over time, every step as CACHED or REBUILT, and for each cache miss: why it happened, what it cost and how to fix it.
      </p>
      <p className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">Drop several files at once anywhere on this page: each goes to its input by what it contains.</p>
      <div className="mt-4 text-left">
        <InputGuide />
      </div>
      <h3 className="mt-8 mb-2 text-left text-sm font-semibold">Or open an example build (real captured logs)</h3>
      <div className="text-left">
        <ExampleGallery onPick={onPickExample} busySlug={exampleLoading} layout="grid" />
      </div>
    </div>
  );
}

interface ResultsProps {
  onAnalyseLogAlone(): void;
  report: Report;
  dockerfile: string;
  view: MainView;
  onView(v: MainView): void;
  selectedStep: string | null;
  onSelectStep(id: string): void;
  colorMode: "system" | "light" | "dark";
  onBuild(n: number | null): void;
}

function Results({ report, dockerfile, view, onView, selectedStep, onSelectStep, colorMode, onBuild, onAnalyseLogAlone }: ResultsProps) {
  const hasSteps = report.steps.length > 0;
  return (
    <>
      <ErrorBoundary what="the build summary" resetKey={report}>
        <BuildSummary report={report} onSelectStep={onSelectStep} onAnalyseLogAlone={onAnalyseLogAlone} />
      </ErrorBoundary>

      {report.input.buildsInLog > 1 && (
        <label className="flex items-center gap-2 text-sm">
          <span>{buildsHeldBy(report)} Show build</span>
          <select
            className="h-7 rounded-md border border-zinc-300 bg-white px-1.5 text-xs dark:border-zinc-700 dark:bg-zinc-900"
            value={report.input.build}
            onChange={(e) => onBuild(Number(e.target.value))}
            data-testid="build-select"
          >
            {Array.from({ length: report.input.buildsInLog }, (_, i) => (
              <option key={i + 1} value={i + 1}>
                {i + 1}
                {i + 1 === report.input.buildsInLog ? " (last)" : ""}
              </option>
            ))}
          </select>
        </label>
      )}

      {hasSteps ? (
        <section aria-label="Build views" className="overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          <div role="tablist" aria-label="View" className="flex gap-1 border-b border-zinc-200 px-2 pt-1.5 dark:border-zinc-800">
            {VIEWS.map((v) => (
              <button
                key={v.id}
                type="button"
                role="tab"
                id={`tab-${v.id}`}
                aria-selected={view === v.id}
                aria-controls={`panel-${v.id}`}
                tabIndex={view === v.id ? 0 : -1}
                data-testid={`view-${v.id}`}
                onClick={() => onView(v.id)}
                onKeyDown={(e) => {
                  // ARIA tabs: ←/→ (and Home/End) move to and activate the neighbouring tab.
                  const i = VIEWS.findIndex((x) => x.id === v.id);
                  const to = e.key === "ArrowRight" ? (i + 1) % VIEWS.length : e.key === "ArrowLeft" ? (i - 1 + VIEWS.length) % VIEWS.length : e.key === "Home" ? 0 : e.key === "End" ? VIEWS.length - 1 : null;
                  if (to == null) return;
                  e.preventDefault();
                  onView(VIEWS[to].id);
                  document.getElementById(`tab-${VIEWS[to].id}`)?.focus();
                }}
                className={cx(
                  "-mb-px rounded-t-md border px-3 py-1.5 text-sm font-medium whitespace-nowrap",
                  view === v.id
                    ? "border-zinc-200 border-b-white bg-white dark:border-zinc-800 dark:border-b-zinc-900 dark:bg-zinc-900"
                    : "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100",
                )}
              >
                {v.label}
              </button>
            ))}
            <span className="ml-auto hidden self-center pb-1 text-[11px] text-zinc-600 sm:inline dark:text-zinc-400">
              {view === "graph" ? "Click a step to see why it rebuilt · scroll to zoom · drag to pan · arrow keys move" : "Ctrl/⌘ + wheel to zoom · click a bar for details · arrow keys move"}
            </span>
          </div>
          <div role="tabpanel" id={`panel-${view}`} aria-labelledby={`tab-${view}`} className="h-[420px] lg:h-[480px]">
            <ErrorBoundary what={view === "graph" ? "the stage graph" : "the timeline"} resetKey={`${view}:${report.steps.length}`}>
              {view === "graph" ? (
                <StageGraph report={report} selectedStep={selectedStep} onSelectStep={onSelectStep} colorMode={colorMode} />
              ) : (
                <Timeline report={report} selectedStep={selectedStep} onSelectStep={onSelectStep} />
              )}
            </ErrorBoundary>
          </div>
        </section>
      ) : (
        <p className="rounded-md border border-zinc-200 bg-white px-3 py-4 text-sm text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400" data-testid="no-steps">
          No build steps were found in this log. {report.diagnostics.length ? "See the messages next to the inputs." : ""}
        </p>
      )}

      {hasSteps && (
        <ErrorBoundary what="the step table" resetKey={report}>
          <StepTable report={report} selectedStep={selectedStep} onSelectStep={onSelectStep} />
        </ErrorBoundary>
      )}

      {report.comparison && (
        <ErrorBoundary what="the comparison" resetKey={report}>
          <ComparisonCard comparison={report.comparison} steps={report.steps} onSelectStep={onSelectStep} />
        </ErrorBoundary>
      )}

      <ErrorBoundary what="the build history" resetKey={report}>
        <HistoryTrend report={report} onSelectStep={onSelectStep} />
      </ErrorBoundary>

      {(hasSteps || report.findings.length > 0) && (
        <div className="grid gap-3 @3xl:grid-cols-2">
          <ErrorBoundary what="the findings" resetKey={report}>
            <FindingsList findings={report.findings} onSelectStep={onSelectStep} />
          </ErrorBoundary>
          <ErrorBoundary what="the layer sizes" resetKey={report}>
            <LayerSizes layers={report.layers} steps={report.steps} onSelectStep={onSelectStep} />
          </ErrorBoundary>
        </div>
      )}

      <DiagnosticsList diagnostics={report.diagnostics} />
    </>
  );
}

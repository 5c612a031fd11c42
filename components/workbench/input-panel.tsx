"use client";

import { useRef } from "react";
import type { Diagnostic, InputSource } from "@/lib/model/diagnostics";
import { Button } from "@/components/ui/button";
import { ExampleGallery } from "./example-gallery";
import { InputGuide } from "./input-guide";
import { InputField, type InputFieldHandle } from "./input-field";
import { RecordSummary } from "./record-summary";
import { isRecordDigestText } from "@/lib/view/record-input";
import type { InputKey, WorkbenchInputs } from "./inputs";
import type { PersistState } from "./use-persisted-inputs";

const SOURCE_OF: Record<InputKey, InputSource> = {
  dockerfile: "dockerfile",
  log: "log",
  previousLog: "previous-log",
  previousDockerfile: "previous-dockerfile",
  image: "image",
  // The engine reports changed-files problems against the log's analysis, not a separate input.
  changedFiles: "log",
};

interface Props {
  inputs: WorkbenchInputs;
  onChange(key: InputKey, value: string): void;
  onFiles(key: InputKey | null, files: File[]): void;
  onPickExample(slug: string): void;
  exampleLoading: string | null;
  onClear(): void;
  diagnostics: Diagnostic[];
  persist: PersistState;
  empty: boolean;
}

export function InputPanel({ inputs, onChange, onFiles, onPickExample, exampleLoading, onClear, diagnostics, persist, empty }: Props) {
  const fields = useRef<Partial<Record<InputKey, InputFieldHandle | null>>>({});
  // A build record brings its own Dockerfile: with none pasted, its messages belong under the log (the record), not an empty field.
  const dockerfileFromRecord = !inputs.dockerfile.trim() && isRecordDigestText(inputs.log);
  const diagFor = (k: InputKey) =>
    k === "changedFiles"
      ? []
      : k === "dockerfile" && dockerfileFromRecord
        ? []
        : diagnostics.filter((d) => d.source === SOURCE_OF[k] || (k === "log" && dockerfileFromRecord && d.source === "dockerfile"));
  const moreOpen = !!(inputs.previousLog || inputs.previousDockerfile || inputs.image || inputs.changedFiles);

  const field = (k: InputKey, label: string, extra: Partial<React.ComponentProps<typeof InputField>>) => (
    <InputField
      ref={(h) => {
        fields.current[k] = h;
      }}
      label={label}
      value={inputs[k]}
      onChange={(v) => onChange(k, v)}
      onFiles={(f) => onFiles(k, f)}
      diagnostics={diagFor(k)}
      {...extra}
    />
  );

  return (
    <div className="space-y-3">
      <div className="flex items-center justify-between gap-2">
        <h2 className="text-sm font-semibold">Inputs</h2>
        <div className="flex items-center gap-2">
          <span className="text-[11px] text-zinc-600 dark:text-zinc-400" aria-live="polite">
            {persist === "too-large"
              ? "Too large to keep after a reload"
              : persist === "unavailable"
                ? "Not kept after a reload (storage off)"
                : persist === "link"
                  ? "From a link: not kept (yours are)"
                : !empty
                  ? "Kept in this browser"
                  : ""}
          </span>
          <Button size="sm" onClick={onClear} disabled={empty} data-testid="clear-inputs">
            Clear
          </Button>
        </div>
      </div>

      <details className="group rounded-md border border-zinc-200 bg-zinc-50 p-2 dark:border-zinc-800 dark:bg-zinc-900/50">
        <summary className="cursor-pointer text-xs font-semibold text-zinc-700 select-none dark:text-zinc-300">
          Example builds <span className="font-normal text-zinc-600 dark:text-zinc-400">(real captured logs, one click)</span>
        </summary>
        <div className="mt-2">
          <ExampleGallery onPick={onPickExample} busySlug={exampleLoading} />
        </div>
      </details>

      {field("log", "Build log", {
        hint: "(docker buildx build --progress=plain, rawjson, legacy, CI logs, or a .dockerbuild record)",
        testId: "log-input",
        rows: 12,
        placeholder: "Paste the output of docker buildx build --progress=plain …\nor drop the log file here.",
      })}
      <RecordSummary text={inputs.log} testId="log-record-summary" />
      {field("dockerfile", "Dockerfile", {
        hint: "(optional, recommended)",
        testId: "dockerfile-input",
        rows: 8,
        placeholder: "FROM …\nor drop the Dockerfile here.",
      })}

      <details open={moreOpen} className="rounded-md border border-zinc-200 p-2 dark:border-zinc-800">
        <summary className="cursor-pointer text-xs font-semibold text-zinc-700 select-none dark:text-zinc-300">
          More inputs <span className="font-normal text-zinc-600 dark:text-zinc-400">(previous build, image metadata, changed files)</span>
        </summary>
        <div className="mt-2 space-y-3">
          {field("previousLog", "Previous build log", {
            hint: "(turns inferred causes into exact ones)",
            testId: "previous-log-input",
            rows: 5,
          })}
          <RecordSummary text={inputs.previousLog} testId="previous-log-record-summary" />
          {field("previousDockerfile", "Previous Dockerfile", { testId: "previous-dockerfile-input", rows: 5 })}
          {field("image", "Image metadata", {
            hint: "(docker history --no-trunc --format '{{json .}}', image inspect, OCI manifest)",
            testId: "image-input",
            rows: 4,
            accept: ".json,.jsonl,.txt,application/json",
          })}
          {field("changedFiles", "Changed files (optional)", {
            hint: "(one path a line: git diff --name-only)",
            testId: "changed-files-input",
            rows: 3,
            placeholder: "src/app.js\npackage.json",
          })}
        </div>
      </details>
      <details className="rounded-md border border-zinc-200 p-2 dark:border-zinc-800">
        <summary className="cursor-pointer text-xs font-semibold text-zinc-700 select-none dark:text-zinc-300">How to get these inputs</summary>
        <div className="mt-2">
          <InputGuide />
        </div>
      </details>
      <p className="text-[11px] leading-4 text-zinc-600 dark:text-zinc-400">
        Drop several files anywhere on the page: each goes to its input by content. Everything is analysed in your browser. Nothing is uploaded unless you create a stored share link.
      </p>
    </div>
  );
}

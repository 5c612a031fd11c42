"use client";

import { forwardRef, useCallback, useId, useImperativeHandle, useMemo, useRef, useState } from "react";
import type { Diagnostic } from "@/lib/model/diagnostics";
import { Button } from "@/components/ui/button";
import { InlineText } from "@/components/ui/inline-text";
import { cx } from "@/components/ui/cx";
import { formatBytes } from "@/lib/view/format";

export interface InputFieldHandle {
  /** Focus the text area and put the caret on a 1-based line, scrolled into view. */
  goToLine(line: number): void;
}

interface Props {
  label: string;
  hint?: string;
  value: string;
  onChange(value: string): void;
  /** A file was dropped or picked onto this field. */
  onFiles(files: File[]): void;
  diagnostics: Diagnostic[];
  testId?: string;
  rows?: number;
  placeholder?: string;
  accept?: string;
}

/**
 * A browser needs ~0.4 s just to lay out a 1 MB text area. Above this size the area shows a
 * read-only preview of the start (the whole text is kept and analysed); "Edit full text" puts
 * all of it in the area. Pastes this large never go through the text area at all.
 */
export const PREVIEW_ABOVE = 200_000;
const PREVIEW_CHARS = 32_000;

/** The start of a large text. Reads only the head: a 50 MB log is never scanned for the preview. */
function previewOf(value: string): string {
  const cut = value.lastIndexOf("\n", PREVIEW_CHARS);
  const head = value.slice(0, cut > 0 ? cut : PREVIEW_CHARS);
  return `${head}\n… ${formatBytes(value.length - head.length)} more, kept in full and analysed. Use “Edit full text” to change it.`;
}

const SEVERITY_TONE: Record<Diagnostic["severity"], string> = {
  error: "text-red-700 dark:text-red-300",
  warning: "text-amber-800 dark:text-amber-300",
  info: "text-zinc-600 dark:text-zinc-400",
};

/** A paste area that also takes dropped and picked files, with its diagnostics underneath. */
export const InputField = forwardRef<InputFieldHandle, Props>(function InputField(
  { label, hint, value, onChange, onFiles, diagnostics, testId, rows = 8, placeholder, accept },
  ref,
) {
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [editFull, setEditFull] = useState(false);
  const preview = value.length > PREVIEW_ABOVE && !editFull;
  // Back to the preview once the text is small again or replaced (Clear, a new paste or file).
  const [previousValue, setPreviousValue] = useState(value);
  if (previousValue !== value) {
    setPreviousValue(value);
    if (editFull && (value.length <= PREVIEW_ABOVE || Math.abs(value.length - previousValue.length) > PREVIEW_ABOVE / 2)) setEditFull(false);
  }

  const goToLine = useCallback((line: number) => {
    const ta = area.current;
    if (!ta) return;
    if (ta.readOnly) {
      // The line may lie past the preview: show the full text first.
      setEditFull(true);
      requestAnimationFrame(() => goToLineRef.current(line));
      return;
    }
    let offset = 0;
    for (let l = 1; l < line; l++) {
      const nl = ta.value.indexOf("\n", offset);
      if (nl < 0) break;
      offset = nl + 1;
    }
    const end = ta.value.indexOf("\n", offset);
    ta.focus();
    ta.setSelectionRange(offset, end < 0 ? ta.value.length : end);
    const lh = parseFloat(getComputedStyle(ta).lineHeight) || 16;
    ta.scrollTop = Math.max(0, (line - 3) * lh);
  }, []);
  const goToLineRef = useRef(goToLine);
  goToLineRef.current = goToLine;
  useImperativeHandle(ref, () => ({ goToLine }), [goToLine]);

  const previewText = useMemo(() => (preview ? previewOf(value) : null), [preview, value]);
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const shown = diagnostics.slice(0, 6);

  return (
    <div className="min-w-0">
      <div className="mb-1 flex items-center justify-between gap-2">
        <label htmlFor={id} className="text-xs font-semibold text-zinc-700 dark:text-zinc-300">
          {label}
          {hint && <span className="ml-1 font-normal text-zinc-600 dark:text-zinc-400">{hint}</span>}
        </label>
        <div className="flex items-center gap-1">
          {value && (
            <span className="text-[11px] whitespace-nowrap text-zinc-600 tabular-nums dark:text-zinc-400">{formatBytes(value.length)}</span>
          )}
          {preview && (
            <Button size="sm" variant="ghost" onClick={() => setEditFull(true)} aria-label={`Edit the full text of ${label}`}>
              Edit full text
            </Button>
          )}
          <Button size="sm" variant="ghost" onClick={() => picker.current?.click()} aria-label={`Open a file for ${label}`}>
            Open file…
          </Button>
          <input
            ref={picker}
            type="file"
            className="sr-only"
            tabIndex={-1}
            accept={accept}
            aria-hidden="true"
            onChange={(e) => {
              const files = Array.from(e.target.files ?? []);
              e.target.value = "";
              if (files.length) onFiles(files);
            }}
          />
        </div>
      </div>
      <textarea
        ref={area}
        id={id}
        data-testid={testId}
        value={previewText ?? value}
        readOnly={preview}
        rows={rows}
        wrap="off"
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        autoCorrect="off"
        placeholder={placeholder}
        aria-invalid={errors > 0 || undefined}
        aria-describedby={diagnostics.length ? `${id}-diag` : undefined}
        onChange={(e) => {
          if (!preview) onChange(e.target.value);
        }}
        onPaste={(e) => {
          // A large paste goes straight into the inputs, never through the text area's layout.
          const text = e.clipboardData.getData("text/plain");
          if (text.length <= PREVIEW_ABOVE) return;
          e.preventDefault();
          const ta = e.currentTarget;
          onChange(preview ? text : ta.value.slice(0, ta.selectionStart) + text + ta.value.slice(ta.selectionEnd));
        }}
        onDragOver={(e) => {
          if (Array.from(e.dataTransfer.types).includes("Files")) {
            e.preventDefault();
            e.dataTransfer.dropEffect = "copy";
            setDragging(true);
          }
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          const files = Array.from(e.dataTransfer.files);
          setDragging(false);
          if (files.length) {
            e.preventDefault();
            onFiles(files);
          }
        }}
        className={cx(
          "block w-full resize-y rounded-md border bg-white px-2 py-1.5 font-mono text-[11px] leading-4 text-zinc-900 placeholder:text-zinc-500 focus:border-sky-500 focus:outline-none focus-visible:outline-2 dark:bg-zinc-950 dark:text-zinc-100 dark:placeholder:text-zinc-500",
          dragging ? "border-sky-500 ring-2 ring-sky-400/40" : errors ? "border-red-400 dark:border-red-700" : "border-zinc-300 dark:border-zinc-700",
        )}
      />
      {diagnostics.length > 0 && (
        <ul id={`${id}-diag`} className="mt-1 space-y-0.5" aria-label={`Problems in ${label}`}>
          {shown.map((d, i) => (
            <li key={i} className={cx("text-[11px] leading-4", SEVERITY_TONE[d.severity])}>
              {d.line != null ? (
                <button type="button" className="mr-1 font-mono underline decoration-dotted underline-offset-2" onClick={() => goToLine(d.line!)}>
                  line {d.line}:
                </button>
              ) : null}
              <InlineText text={d.message} />
            </li>
          ))}
          {diagnostics.length > shown.length && (
            <li className="text-[11px] text-zinc-500">…and {diagnostics.length - shown.length} more (see Diagnostics below)</li>
          )}
        </ul>
      )}
    </div>
  );
});

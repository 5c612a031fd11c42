"use client";

import { useEffect, useRef, useState } from "react";

/**
 * Files dropped anywhere on the page (not only on a text area). A field that handles its own drop
 * calls preventDefault, and the page-level handler leaves that drop alone. Returns whether files are
 * being dragged over the page (for the overlay).
 */
export function useDropAnywhere(onFiles: (files: File[]) => void): boolean {
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);
  const onFilesRef = useRef(onFiles);
  onFilesRef.current = onFiles;
  useEffect(() => {
    const hasFiles = (e: DragEvent) => !!e.dataTransfer && Array.from(e.dataTransfer.types).includes("Files");
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth.current++;
      setDragging(true);
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    };
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = "copy";
    };
    const drop = (e: DragEvent) => {
      depth.current = 0;
      setDragging(false);
      if (e.defaultPrevented || !e.dataTransfer) return;
      const files = Array.from(e.dataTransfer.files);
      if (!files.length) return;
      e.preventDefault();
      onFilesRef.current(files);
    };
    window.addEventListener("dragenter", enter);
    window.addEventListener("dragleave", leave);
    window.addEventListener("dragover", over);
    window.addEventListener("drop", drop);
    return () => {
      window.removeEventListener("dragenter", enter);
      window.removeEventListener("dragleave", leave);
      window.removeEventListener("dragover", over);
      window.removeEventListener("drop", drop);
    };
  }, []);
  return dragging;
}

export function DropOverlay() {
  return (
    <div className="pointer-events-none fixed inset-0 z-[60] grid place-items-center bg-sky-500/10 backdrop-blur-[1px]" data-testid="drop-overlay" aria-hidden>
      <div className="rounded-xl border-2 border-dashed border-sky-500 bg-white px-6 py-4 text-center shadow-lg dark:bg-zinc-900">
        <p className="text-base font-semibold">Drop your files</p>
        <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">
          Dockerfile, build log, previous build log, build record, image metadata: each goes to its input by what it contains.
        </p>
      </div>
    </div>
  );
}

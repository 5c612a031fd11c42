"use client";

import { useEffect, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { fetchExampleIndex, type ExampleEntry } from "./examples";

/** One-click example builds (real captured fixtures). */
export function ExampleGallery({ onPick, busySlug, layout = "list" }: { onPick(slug: string): void; busySlug: string | null; layout?: "list" | "grid" }) {
  const [examples, setExamples] = useState<ExampleEntry[] | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    fetchExampleIndex()
      .then((list) => live && setExamples(list))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, []);

  if (failed) return <p className="text-xs text-zinc-500">Examples could not be loaded.</p>;
  if (!examples) return <p className="text-xs text-zinc-500">Loading examples…</p>;
  if (examples.length === 0) return <p className="text-xs text-zinc-500">No example builds in this deployment.</p>;

  return (
    <ul className={layout === "grid" ? "grid gap-2 sm:grid-cols-2 xl:grid-cols-3" : "grid gap-1.5"} data-testid={layout === "grid" ? "example-gallery" : "example-list"}>
      {examples.map((e) => (
        <li key={e.slug}>
          <button
            type="button"
            data-example={e.slug}
            onClick={() => onPick(e.slug)}
            disabled={busySlug != null}
            className="h-full w-full rounded-md border border-zinc-200 bg-white px-2.5 py-1.5 text-left hover:border-sky-400 hover:bg-sky-50 disabled:opacity-60 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-sky-700 dark:hover:bg-sky-950/40"
          >
            <span className="flex items-center gap-1.5 text-xs font-medium">
              {e.title}
              {busySlug === e.slug && <span className="text-zinc-500">loading…</span>}
            </span>
            {e.description && <span className="mt-0.5 block text-[11px] leading-4 text-zinc-600 dark:text-zinc-400">{e.description}</span>}
            {e.tags.length > 0 && (
              <span className="mt-1 flex flex-wrap gap-1">
                {e.tags.slice(0, 4).map((t) => (
                  <Badge key={t}>{t}</Badge>
                ))}
              </span>
            )}
          </button>
        </li>
      ))}
    </ul>
  );
}

"use client";

/*
 * Share slot: the share developer's ShareMenu (components/share/ShareMenu.tsx) and permalink reader
 * (lib/share/permalink.ts), both loaded on demand so zod/fflate stay out of the first-load bundle.
 */
import dynamic from "next/dynamic";
import type { Report } from "@/lib/model/report";
import { fromShareInputs, type WorkbenchInputs } from "./inputs";

const ShareMenu = dynamic(() => import("@/components/share/ShareMenu").then((m) => m.ShareMenu), {
  ssr: false,
  loading: () => null,
});

export interface PermalinkState {
  inputs: Partial<WorkbenchInputs>;
  selectedStep: string | null;
  view: string;
}

export type PermalinkResult = { ok: true; state: PermalinkState } | { ok: false; error: string };

export function ShareSlot({
  inputs,
  selectedStep,
  view,
  report,
  build,
  disabled,
}: {
  inputs: WorkbenchInputs;
  selectedStep: string | null;
  view: string;
  report: Report | null;
  build: number | null;
  disabled: boolean;
}) {
  if (!inputs.log.trim()) return null;
  return <ShareMenu inputs={inputs} selectedStep={selectedStep} view={view} report={report} build={build} disabled={disabled} />;
}

/** Null when the hash holds no permalink (`#v1.…`); restored before localStorage. */
export async function readPermalinkState(hash: string): Promise<PermalinkResult | null> {
  if (!/^#v\d+\./.test(hash)) return null;
  try {
    const { readPermalinkFromHash } = await import("@/lib/share/permalink");
    const r = await readPermalinkFromHash(hash);
    if (!r.ok) return { ok: false, error: r.error };
    const i = r.state.inputs;
    return {
      ok: true,
      state: {
        inputs: fromShareInputs(i),
        selectedStep: r.state.selectedStep,
        view: r.state.view,
      },
    };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : "the link could not be read" };
  }
}

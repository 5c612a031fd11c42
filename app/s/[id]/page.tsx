import type { ComponentType } from "react";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Workbench } from "@/components/workbench/workbench";
import { loadShare } from "@/lib/server/share-api";
import { getShareStore } from "@/lib/server/storage";
import type { ShareInputs } from "@/lib/share/schema";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Shared build · Cachescope",
  robots: { index: false },
};

/** What the home page's client component is opened with for a stored link. */
export interface InitialState {
  inputs: ShareInputs;
  selectedStep: string | null;
  view: string;
}

// The workbench takes `initialState` (stored inputs win over local storage and the URL hash).
// Typed locally so this page compiles whether or not the prop has been declared yet.
const SharedWorkbench = Workbench as unknown as ComponentType<{ initialState: InitialState }>;

/** /s/<id> — a stored link: the same tool, opened with the stored (redacted) inputs. */
export default async function SharedBuildPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const share = await loadShare(id, getShareStore()).catch(() => null);
  if (!share) notFound();
  return <SharedWorkbench initialState={{ inputs: share.inputs, selectedStep: share.selectedStep, view: share.view }} />;
}

import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Workbench } from "@/components/workbench/workbench";
import { loadShare } from "@/lib/server/share-api";
import { getShareStore } from "@/lib/server/storage";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Shared build · Cachescope",
  robots: { index: false },
};

/** /s/<id> — a stored link: the same tool, opened with the stored (redacted) inputs. */
export default async function SharedBuildPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const share = await loadShare(id, getShareStore()).catch(() => null);
  if (!share) notFound();
  // Stored inputs win over local storage and the URL hash.
  return <Workbench initialState={{ inputs: share.inputs, selectedStep: share.selectedStep, view: share.view }} />;
}

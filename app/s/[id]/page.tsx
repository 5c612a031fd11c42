import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Workbench } from "@/components/workbench/workbench";
import { lookupShare } from "@/lib/server/share-api";
import { getShareStore } from "@/lib/server/storage";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Shared build · Cachescope",
  robots: { index: false },
};

/** /s/<id> — a stored link: the same tool, opened with the stored (redacted) inputs; expired links say so. */
export default async function SharedBuildPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const found = await lookupShare(id, getShareStore()).catch(() => null);
  if (found?.status === "expired") {
    return (
      <main className="mx-auto max-w-xl p-8" data-testid="share-expired">
        <h1 className="text-lg font-semibold">This stored link has expired</h1>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-300">
          It expired{found.expiresAt ? ` on ${found.expiresAt.slice(0, 10)}` : ""} and its contents were deleted. Ask whoever shared it for a new link.
        </p>
        <Link href="/" className="mt-4 inline-block text-sky-700 underline dark:text-sky-400">
          Back to Cachescope
        </Link>
      </main>
    );
  }
  if (found?.status !== "ok") notFound();
  const share = found.share;
  // Stored inputs win over local storage and the URL hash.
  return <Workbench initialState={{ inputs: share.inputs, selectedStep: share.selectedStep, view: share.view }} />;
}

"use client";

/** Route-level boundary: never a blank page, never a stack trace. */
export default function RouteError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto max-w-xl p-8" role="alert">
      <h1 className="text-lg font-semibold">Something went wrong while showing this build.</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        Your inputs are kept in this browser. Try again, or clear the inputs if the problem comes back.
      </p>
      <button
        type="button"
        onClick={reset}
        className="mt-4 rounded-md bg-sky-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-700"
      >
        Try again
      </button>
    </main>
  );
}

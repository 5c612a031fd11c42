import { InlineText } from "@/components/ui/inline-text";
import { splitFix } from "@/lib/view/fix";

/** A fix from the engine: its sentence as text, its rewritten Dockerfile lines as a code block. */
export function FixText({ text }: { text: string }) {
  const { prose, code } = splitFix(text);
  return (
    <>
      <InlineText text={prose} />
      {code != null && (
        <pre
          data-testid="fix-code"
          // Scrolls sideways for long lines: focusable so the keyboard can scroll it too.
          tabIndex={0}
          role="region"
          aria-label="Suggested Dockerfile lines"
          className="mt-1 overflow-x-auto rounded-md border border-zinc-200 bg-zinc-50 px-2 py-1.5 font-mono text-[11px] leading-[18px] whitespace-pre text-zinc-800 dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-200"
        >
          {code}
        </pre>
      )}
    </>
  );
}

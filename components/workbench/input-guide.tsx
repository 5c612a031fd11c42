/** First-run guide: how to get each input Cachescope reads. Commands only, no prose in the views' logic. */
const GUIDE: { title: string; why: string; commands: string[] }[] = [
  {
    title: "Build log",
    why: "What ran, what was CACHED. rawjson adds exact start and end times (true parallel lanes).",
    commands: [
      "docker buildx build --progress=plain . 2>&1 | tee build.log",
      "docker buildx build --progress=rawjson . 2> build.json",
      "BUILDKIT_PROGRESS=plain docker compose build 2>&1 | tee build.log",
    ],
  },
  {
    title: "A build that already ran",
    why: "BuildKit keeps recent builds: replay the log, or export the whole record.",
    commands: ["docker buildx history ls", "docker buildx history logs <ref> > build.log", "docker buildx history export <ref> -o build.dockerbuild"],
  },
  {
    title: "GitHub Actions",
    why: "The Docker build summary of a job links the build record (a .zip with the .dockerbuild inside); the job's log download works too.",
    commands: ["Job summary → Build record → download", "…or ⋯ → Download log archive"],
  },
  {
    title: "Docker Desktop",
    why: "Builds view → pick the build → ⋯ → Export (a .dockerbuild file), or Logs → copy.",
    commands: [],
  },
  {
    title: "Dockerfile, previous build, image",
    why: "The Dockerfile gives line numbers and exact causes; a previous build's log turns inferred causes into exact ones; image metadata gives layer sizes.",
    commands: ["docker history --no-trunc --format '{{json .}}' IMAGE > history.jsonl", "git diff --name-only HEAD~1 > changed.txt"],
  },
];

export function InputGuide() {
  return (
    <section aria-labelledby="guide-title" className="rounded-lg border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900" data-testid="input-guide">
      <h3 id="guide-title" className="text-sm font-semibold">
        How to get each input
      </h3>
      <dl className="mt-2 grid gap-3 sm:grid-cols-2">
        {GUIDE.map((g) => (
          <div key={g.title} className="min-w-0">
            <dt className="text-xs font-semibold">{g.title}</dt>
            <dd className="mt-0.5 text-xs text-zinc-700 dark:text-zinc-300">
              {g.why}
              {g.commands.map((c) => (
                <code key={c} className="mt-1 block rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[11px] break-all whitespace-pre-wrap text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100">
                  {c}
                </code>
              ))}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

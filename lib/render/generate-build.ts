/**
 * Generates a large multi-stage Dockerfile and the plain BuildKit log of its build, for size and
 * performance tests of the renderers (e.g. 100 stages × 20 steps = 2,000 steps). The log follows
 * the real `--progress=plain` form captured in fixtures/scenarios. Deterministic.
 */
export interface GeneratedBuild {
  dockerfile: string;
  log: string;
  steps: number;
}

export function generateBuild(stages = 100, stepsPerStage = 20, options: { rebuildFromStage?: number } = {}): GeneratedBuild {
  const rebuildFrom = options.rebuildFromStage ?? Math.floor(stages / 2);
  const df: string[] = ["# syntax=docker/dockerfile:1", "ARG BASE=local/busybox:latest"];
  const log: string[] = [
    '#0 building with "default" instance using docker driver',
    "",
    "#1 [internal] load build definition from Dockerfile",
    "#1 transferring dockerfile: 98.21kB done",
    "#1 DONE 0.0s",
    "",
    "#2 [internal] load metadata for docker.io/local/busybox:latest",
    "#2 DONE 0.0s",
    "",
    "#3 [internal] load .dockerignore",
    "#3 transferring context: 2B done",
    "#3 DONE 0.0s",
    "",
    "#4 [internal] load build context",
    "#4 transferring context: 1.21kB done",
    "#4 DONE 0.0s",
    "",
  ];
  let vertex = 5;
  let fromVertex: number | null = null;
  let t = 0.5;
  for (let s = 0; s < stages; s++) {
    const name = `stage-${String(s).padStart(3, "0")}`;
    df.push("", `FROM $BASE AS ${name}`, "WORKDIR /work");
    const body: string[] = ["WORKDIR /work"];
    if (s > 0) body.push(`COPY --from=stage-${String(s - 1).padStart(3, "0")} /work/out.txt /work/prev.txt`);
    body.push(`COPY src/part-${s % 7}.txt ./part.txt`);
    while (body.length < stepsPerStage - 1) body.push(`RUN echo "stage ${s} step ${body.length + 2}" >> /work/out.txt && sleep 0`);
    df.push(...body.slice(1));
    const n = stepsPerStage;
    // FROM: one shared vertex, printed under the first stage.
    if (fromVertex === null) {
      fromVertex = vertex++;
      log.push(`#${fromVertex} [${name} 1/${n}] FROM docker.io/local/busybox:latest`, `#${fromVertex} resolve docker.io/local/busybox:latest done`, `#${fromVertex} DONE 0.0s`, "");
    }
    body.forEach((text, i) => {
      const pos = i + 2;
      const v = vertex++;
      // The chosen stage rebuilds from its context COPY; later ones from their COPY --from.
      const rebuilt = s >= rebuildFrom && pos >= (s > rebuildFrom ? 3 : 4);
      log.push(`#${v} [${name} ${pos}/${n}] ${text}`);
      if (rebuilt) {
        const d = 0.1 + ((s * 31 + pos * 7) % 20) / 10;
        if (text.startsWith("RUN")) log.push(`#${v} ${(0.05).toFixed(3)} output of stage ${s} step ${pos}`);
        log.push(`#${v} DONE ${d.toFixed(1)}s`);
        t += d;
      } else {
        log.push(`#${v} CACHED`);
      }
      log.push("");
    });
  }
  const last = vertex++;
  log.push(
    `#${last} exporting to image`,
    `#${last} exporting layers 0.3s done`,
    `#${last} writing image sha256:${"ab".repeat(32)} done`,
    `#${last} naming to docker.io/library/generated:latest done`,
    `#${last} DONE 0.3s`,
    "",
  );
  return { dockerfile: df.join("\n") + "\n", log: log.join("\n"), steps: stages * stepsPerStage };
}

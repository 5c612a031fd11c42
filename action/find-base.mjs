// Finds the base branch's last uploaded Cachescope record (compare mode) and sets the output
// `run-id` for actions/download-artifact. Quiet when there is none: the first pull request of a
// repository, expired artifacts, or a push build.
import { pathToFileURL } from "node:url";
import { createClient, findBaseArtifactRun } from "./github.mjs";
import { readContext, readInputs, setOutputs } from "./run.mjs";

export async function findBase(env = process.env, log = (s) => process.stdout.write(s + "\n")) {
  const inputs = readInputs(env);
  const ctx = readContext(env);
  const name = (env.INPUT_ARTIFACT_NAME ?? "").trim();
  if (inputs.previous || !ctx.baseRef || !inputs.token || !name) return null;
  const client = createClient({ token: inputs.token, apiUrl: ctx.apiUrl });
  try {
    const found = await findBaseArtifactRun(client, { owner: ctx.owner, repo: ctx.repo, name, branch: ctx.baseRef });
    if (!found) log(`cachescope: no artifact "${name}" from ${ctx.baseRef} yet; explaining without compare mode`);
    else setOutputs(ctx.outputFile, { "run-id": found.runId });
    return found;
  } catch (e) {
    log(`::warning::cachescope: cannot look up the base branch's record (${e.message}); explaining without compare mode`);
    return null;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await findBase();

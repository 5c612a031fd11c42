// The few GitHub REST calls the action makes, with fetch (Node 20) and no dependency.
// The base URL comes from GITHUB_API_URL (GitHub Enterprise, or a loopback stand-in in tests).

export const COMMENT_MARKER = "<!-- cachescope-report -->";
/** Who writes the comment when the token is the workflow's GITHUB_TOKEN. */
export const ACTIONS_BOT = "github-actions[bot]";

export class GitHubError extends Error {
  constructor(method, url, status, text) {
    super(`GitHub API ${method} ${new URL(url).pathname}: HTTP ${status}${text ? ` — ${text.slice(0, 200)}` : ""}`);
    this.status = status;
  }
}

export function createClient({ token, apiUrl = "https://api.github.com", fetchImpl = fetch }) {
  const base = apiUrl.replace(/\/+$/, "");
  async function request(method, pathOrUrl, body) {
    const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${base}${pathOrUrl}`;
    const res = await fetchImpl(url, {
      method,
      headers: {
        accept: "application/vnd.github+json",
        "x-github-api-version": "2022-11-28",
        "user-agent": "cachescope-action",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { "content-type": "application/json" } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new GitHubError(method, url, res.status, text);
    return { data: text ? JSON.parse(text) : null, link: res.headers.get("link") };
  }
  /** Every item of a list endpoint, following `Link: <…>; rel="next"` (at most `maxPages`). */
  async function paginate(path, { maxPages = 50, pick = (d) => d } = {}) {
    const items = [];
    let next = `${path}${path.includes("?") ? "&" : "?"}per_page=100`;
    for (let page = 0; next && page < maxPages; page++) {
      const { data, link } = await request("GET", next);
      items.push(...pick(data));
      next = nextLink(link);
    }
    return items;
  }
  return { request, paginate };
}

/** The URL of rel="next" in a Link header, or null. */
export function nextLink(link) {
  if (!link) return null;
  for (const part of link.split(",")) {
    const m = part.match(/<([^>]+)>\s*;\s*rel="?([^";]+)"?/);
    if (m && m[2].split(/\s+/).includes("next")) return m[1];
  }
  return null;
}

/**
 * The login comments are posted as: the token's user for a personal or app user token
 * (GET /user), else the Actions bot (GITHUB_TOKEN cannot read /user).
 */
export async function commentAuthor(client, configured) {
  if (configured) return configured;
  try {
    const { data } = await client.request("GET", "/user");
    if (data?.login) return data.login;
  } catch {
    // GITHUB_TOKEN: 403 "Resource not accessible by integration".
  }
  return ACTIONS_BOT;
}

/**
 * Creates or updates the ONE Cachescope comment of a pull request: the first comment that carries
 * the marker AND was written by `author`. A comment by anyone else is never edited, even when it
 * quotes the marker. Returns `{action: "created"|"updated", id}`.
 */
export async function upsertStickyComment(client, { owner, repo, issueNumber, body, author, marker = COMMENT_MARKER }) {
  const text = body.includes(marker) ? body : `${marker}\n${body}`;
  const comments = await client.paginate(`/repos/${owner}/${repo}/issues/${issueNumber}/comments`);
  const mine = comments.find((c) => typeof c.body === "string" && c.body.includes(marker) && sameLogin(c.user?.login, author));
  if (mine) {
    await client.request("PATCH", `/repos/${owner}/${repo}/issues/comments/${mine.id}`, { body: text });
    return { action: "updated", id: mine.id };
  }
  const { data } = await client.request("POST", `/repos/${owner}/${repo}/issues/${issueNumber}/comments`, { body: text });
  return { action: "created", id: data?.id ?? null };
}

function sameLogin(a, b) {
  return typeof a === "string" && typeof b === "string" && a.toLowerCase() === b.toLowerCase();
}

/**
 * The newest workflow run of `branch` that uploaded an unexpired artifact called `name` (the base
 * branch's last record, for compare mode), or null.
 */
export async function findBaseArtifactRun(client, { owner, repo, name, branch, maxPages = 3 }) {
  const artifacts = await client.paginate(`/repos/${owner}/${repo}/actions/artifacts?name=${encodeURIComponent(name)}`, {
    maxPages,
    pick: (d) => d?.artifacts ?? [],
  });
  const candidates = artifacts
    .filter((a) => !a.expired && a.workflow_run?.head_branch === branch && a.workflow_run?.id != null)
    .sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
  return candidates.length ? { runId: candidates[0].workflow_run.id, artifactId: candidates[0].id } : null;
}

/** Files of a pull request (paths from the repository root), for --changed-files. */
export async function listPullFiles(client, { owner, repo, pullNumber }) {
  const files = await client.paginate(`/repos/${owner}/${repo}/pulls/${pullNumber}/files`, { maxPages: 30 });
  // A rename changes both paths; a removed file is a change too.
  return files.flatMap((f) => (f.previous_filename ? [f.filename, f.previous_filename] : [f.filename]));
}

// The npm registry reachable here does not serve some platform-specific optional packages
// (darwin/win32/android/freebsd/wasm builds of next's SWC and tailwind's oxide). npm then leaves
// them out of package-lock.json and `npm ci` refuses the lock as out of sync. Adding their lock
// entries with the platform they are for lets `npm ci` skip them on Linux, as it would anyway.
import { readFileSync, writeFileSync } from "node:fs";

const file = process.argv[2] ?? "package-lock.json";
const lock = JSON.parse(readFileSync(file, "utf8"));
const pkgs = lock.packages;
const platformOf = (name) => {
  const n = name.split("/").pop();
  const os = ["android", "darwin", "freebsd", "linux", "win32", "sunos", "openbsd"].find((o) => n.includes(o));
  const cpu = ["arm64", "x64", "ia32", "arm", "wasm32", "riscv64", "ppc64", "s390x"].find((c) => n.includes(`-${c}`));
  return { os: os ?? null, cpu: cpu ?? null };
};
let added = 0;
for (const [path, entry] of Object.entries(pkgs)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `${path ? path + "/" : ""}node_modules/${dep}`;
    if (pkgs[key] || pkgs[`node_modules/${dep}`]) continue;
    const { os, cpu } = platformOf(dep);
    if (!cpu && !os) continue;
    const e = { version, dev: entry.dev || undefined, optional: true };
    if (os) e.os = [os];
    if (cpu) e.cpu = [cpu];
    pkgs[`node_modules/${dep}`] = e;
    added++;
  }
}
writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
console.log(`added ${added} platform-only optional entries`);

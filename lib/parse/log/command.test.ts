import { describe, expect, it } from "vitest";
import { parseBuildCommand } from "./command";

describe("parseBuildCommand", () => {
  it("actions toolkit echo of docker buildx build (corpus 029)", () => {
    const c = parseBuildCommand(
      "[command]/usr/bin/docker buildx build --iidfile /tmp/iid.txt --platform linux/amd64,linux/arm64 --no-cache --cache-from type=gha --cache-to=type=gha,mode=max --build-arg NODE_ENV=production --build-arg=VERSION=1.2 --tag app:latest .",
    );
    expect(c).toEqual({
      text: "/usr/bin/docker buildx build --iidfile /tmp/iid.txt --platform linux/amd64,linux/arm64 --no-cache --cache-from type=gha --cache-to=type=gha,mode=max --build-arg NODE_ENV=production --build-arg=VERSION=1.2 --tag app:latest .",
      noCache: true,
      cacheFrom: ["type=gha"],
      cacheTo: ["type=gha,mode=max"],
      buildArgs: { NODE_ENV: "production", VERSION: "1.2" },
    });
  });

  it("GitHub `run:` group header and shell echoes", () => {
    expect(parseBuildCommand("##[group]Run docker build -t europe-north1-docker.pkg.dev/$PROJECT_ID/app:$SHA crud-app/")?.noCache).toBe(false);
    expect(parseBuildCommand("+ DOCKER_BUILDKIT=1 docker build --build-arg 'MSG=hello world' .")?.buildArgs).toEqual({ MSG: "hello world" });
    expect(parseBuildCommand("$ sudo docker image build --no-cache=false .")?.noCache).toBe(false);
  });

  it("not a build command", () => {
    expect(parseBuildCommand("[command]/usr/bin/docker buildx create --name b --driver docker-container")).toBeNull();
    expect(parseBuildCommand("Run docker/build-push-action@v6")).toBeNull();
    expect(parseBuildCommand("npm run build")).toBeNull();
  });
});

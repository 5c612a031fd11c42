import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "cli/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    // 2 cores: keep workers small.
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});

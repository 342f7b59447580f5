import { fileURLToPath } from "node:url";

// @contentgen/client is linked from ../../clients/js: the bundler may read files up to the repository root.
const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url));

/** @type {import("next").NextConfig} */
const nextConfig = {
  turbopack: { root: repositoryRoot },
  outputFileTracingRoot: repositoryRoot,
};

export default nextConfig;

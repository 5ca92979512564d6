import type { NextConfig } from 'next';

export const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  transpilePackages: ['@switchyard/ui', '@switchyard/core', '@switchyard/adapters'],
  // Type errors are caught by `pnpm typecheck`, which covers the tests too.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;

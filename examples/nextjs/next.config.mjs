import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // This app's root (the repo above has its own lock file). The kit needs no transpilePackages: ESM, 'use client'
  // on its component and hook modules only.
  turbopack: { root: dirname(fileURLToPath(import.meta.url)) },
};
export default nextConfig;

// Next.js config of the demo site (Turbopack, into .next): pg runs as a plain Node package.
/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ['pg'],
  // The webpack build goes to its own folder (scripts/build-demo.sh, next-demo.mjs).
  distDir: process.env.LEAD_OUTBOX_DIST_DIR ?? '.next',
  turbopack: { root: import.meta.dirname },
};
export default nextConfig;

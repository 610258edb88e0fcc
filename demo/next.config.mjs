// Next.js config of the demo site: lead-outbox's server side and pg run as plain Node packages.
/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ['pg'],
  turbopack: { root: import.meta.dirname },
};
export default nextConfig;

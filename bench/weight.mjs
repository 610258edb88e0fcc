// Download weight of the files a page loaded: raw, gzip -9 and brotli (quality 11), per file and in total.
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

/**
 * `files`: paths on disk (each counted once). Returns {files: [{name, raw, gzip, brotli}], raw, gzip, brotli} in bytes.
 */
export function weigh(files, nameOf = (f) => f) {
  const rows = [...new Set(files)].sort().map((file) => {
    const bytes = readFileSync(file);
    return {
      name: nameOf(file),
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
      }).length,
    };
  });
  const sum = (k) => rows.reduce((n, r) => n + r[k], 0);
  return { files: rows, raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli') };
}

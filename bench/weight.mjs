// Download weight of the files a page loaded: raw, gzip -9 and brotli (quality 11), per file and in total.
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

/**
 * `files`: paths on disk (each counted once). Returns {files: [{name, raw, gzip, brotli}], raw, gzip, brotli} in bytes.
 * `brotliQuality`: 11 (as servers precompress) for the report; the quick run passes a low one, since quality 11
 * over PGlite's 15 MiB took one to two minutes of the test command, and the quick run reports no figure.
 */
export function weigh(files, nameOf = (f) => f, { brotliQuality = 11 } = {}) {
  const rows = [...new Set(files)].sort().map((file) => {
    const bytes = readFileSync(file);
    return {
      name: nameOf(file),
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, {
        params: { [constants.BROTLI_PARAM_QUALITY]: brotliQuality, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
      }).length,
    };
  });
  const sum = (k) => rows.reduce((n, r) => n + r[k], 0);
  return { files: rows, raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli') };
}

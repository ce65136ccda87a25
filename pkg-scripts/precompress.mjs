// Writes a Brotli (FILE.br) and a gzip (FILE.gz) copy beside each file named on the command
// line, at the highest levels: they are made once per build and sent many times, so the slow
// settings pay for themselves. The collector sends the copy the browser accepts
// (demo/collector/src/routes/bundle.rs); a CDN or web server can do the same.
// Node's own zlib, so the build needs no other tool. Both outputs are deterministic (no
// timestamp or name in the gzip header), so a rebuild of the same bundle gives the same bytes.
//
// Usage: node pkg-scripts/precompress.mjs FILE...
import { readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node pkg-scripts/precompress.mjs FILE...');
  process.exit(2);
}
for (const file of files) {
  const raw = readFileSync(file);
  const text = !file.endsWith('.wasm');
  writeFileSync(`${file}.br`, brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
      [constants.BROTLI_PARAM_MODE]: text ? constants.BROTLI_MODE_TEXT : constants.BROTLI_MODE_GENERIC,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  }));
  writeFileSync(`${file}.gz`, gzipSync(raw, { level: constants.Z_BEST_COMPRESSION }));
}

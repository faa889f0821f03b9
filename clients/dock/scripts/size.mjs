// Prints the package's size as a page ships it: dist/index.js bundled and minified with esbuild (the Realtime SDK
// left out: it is an optional peer, loaded only by dock.voice.start), raw and gzipped.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';

const out = await build({
  entryPoints: ['dist/index.js'], bundle: true, minify: true, format: 'esm', write: false, platform: 'browser',
  external: ['@openai/agents-realtime'],
});
const code = out.outputFiles[0].contents;
console.log(`dock: ${(code.length / 1024).toFixed(1)} KiB minified, ${(gzipSync(code).length / 1024).toFixed(1)} KiB gzip`);

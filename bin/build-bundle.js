#!/usr/bin/env node
// Bundles our TypeScript CLI into dist/ with esbuild, so `fma` starts without tsx's loader (which
// resolves every module through a hooks thread and costs about half a second per run). Packages
// stay external: Node loads them as usual, native DuckDB and the wasm files included. Dynamic
// imports stay separate chunks, so commands still load only what they use.
//
// Runs after `npm ci` / `npm install`. With --if-possible a failure only warns: bin/fma.js then
// runs the sources through tsx, as it does whenever the bundle is missing or stale.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { bundleDir, bundleEntry, manifestFile, packageRoot } from './bundle-manifest.js';

const ifPossible = process.argv.includes('--if-possible');
const outDir = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? bundleDir;

try {
  const { build } = await import('esbuild');
  // Taken before reading any source, so an edit made during the build marks the bundle stale.
  const builtAt = Date.now();
  const staging = `${outDir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const result = await build({
    absWorkingDir: packageRoot,
    entryPoints: { [bundleEntry.replace(/\.js$/, '')]: 'cli/main.ts' },
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Pure-JavaScript dependencies go into the bundle (Node then compiles a few large files instead
    // of resolving and parsing hundreds); what finds files next to itself stays a package:
    // DuckDB's native binding, HiGHS's and TensorFlow.js's wasm, Chart.js (inlined into reports
    // from its file), and the development-only packages.
    external: [...externalPackages()],
    // Bundled CommonJS code calls require() for Node built-ins and the external packages.
    banner: { js: "import { createRequire as __fmaCreateRequire } from 'node:module'; const require = __fmaCreateRequire(import.meta.url);" },
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'error',
    // Flat: every chunk sits one directory below the package root, as its sources' paths assume.
    chunkNames: 'chunk-[hash]',
  });
  const sources = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules'));
  const installed = ['package.json', 'package-lock.json'].filter((f) => existsSync(join(packageRoot, f)));
  const inputs = [...sources, ...installed].map((f) => f.split(sep).join('/'));
  writeFileSync(join(staging, manifestFile), JSON.stringify({ builtAt, inputs }, null, 1));
  rmSync(outDir, { recursive: true, force: true });
  renameSync(staging, outDir);
  process.stderr.write(`fma: bundled ${sources.length} modules into ${relative(packageRoot, outDir) || '.'}/\n`);
} catch (error) {
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  process.stderr.write(`fma: ${ifPossible ? 'warning: ' : ''}could not bundle the CLI (${reason})${ifPossible ? '; fma runs from the sources' : ''}\n`);
  if (!ifPossible) process.exitCode = 1;
}

function externalPackages() {
  const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8'));
  const located = ['@duckdb/node-bindings', '@duckdb/node-bindings-*', 'highs', '@tensorflow/*', 'chart.js', 'tsx', 'esbuild'];
  return [...located, ...Object.keys(manifest.devDependencies ?? {}), ...Object.keys(manifest.optionalDependencies ?? {})];
}

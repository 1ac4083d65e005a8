#!/usr/bin/env node
// The `fma` command: runs the bundled CLI (dist/, built at install) while it matches the sources,
// else registers tsx's loader and runs the TypeScript CLI itself.
import { freshBundleUrl } from './bundle-manifest.js';

const bundle = freshBundleUrl();
let entry;
if (bundle) {
  entry = await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  entry = await import('../cli/main.ts');
}
process.exitCode = await entry.main(process.argv.slice(2));

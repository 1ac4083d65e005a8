// Where the bundled CLI lives and whether it still matches the sources. Shared by the bundler
// (which writes the manifest) and bin/fma.js (which uses the bundle only while it is fresh).
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

export const packageRoot = fileURLToPath(new URL('..', import.meta.url));
// One directory below the package root, like every source module that resolves a shipped file
// with `new URL('../…', import.meta.url)`: those paths hold in the bundle too.
export const bundleDir = join(packageRoot, 'dist');
export const bundleEntry = 'main.js';
export const manifestFile = 'manifest.json';

/**
 * The bundle's entry URL when every source file it was built from is unchanged since the build
 * (none modified later, none removed), else undefined: a developer editing a file gets the
 * sources through tsx, never a stale bundle. The inputs include package.json and the lock file,
 * since the bundle carries the pure-JavaScript dependencies. FMA_BUNDLE=0 always takes the sources.
 */
export function freshBundleUrl(dir = bundleDir, root = packageRoot) {
  if (process.env.FMA_BUNDLE === '0') return undefined;
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, manifestFile), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof manifest?.builtAt !== 'number' || !Array.isArray(manifest.inputs)) return undefined;
  for (const input of manifest.inputs) {
    const stat = statSync(join(root, input), { throwIfNoEntry: false });
    if (!stat || stat.mtimeMs > manifest.builtAt) return undefined;
  }
  return pathToFileURL(join(dir, bundleEntry)).href;
}

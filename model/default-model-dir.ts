import { fileURLToPath } from 'node:url';

/**
 * The models shipped with fma, trained on simulator data: used when no --model-dir is given.
 * Resolved from this module, one directory below the package root, so the paths also hold in the
 * bundled CLI (dist/), whose chunks sit at the same depth.
 */
export const defaultModelDir = fileURLToPath(new URL('../data/models/default', import.meta.url));
export const linearModelDir = fileURLToPath(new URL('../data/models/linear', import.meta.url));

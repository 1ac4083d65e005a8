import { fileURLToPath } from 'node:url';
import type { ModelMeta } from './model-meta.ts';

/**
 * The models shipped with fma, trained on simulator data. `default` is what `fma train --kind auto`
 * kept on the shipped fleet (used when no --model-dir is given); `linear` and `mlp` are each kind
 * alone, the baselines a backtest compares against. Resolved from this module, one directory below
 * the package root, so the paths also hold in the bundled CLI (dist/), whose chunks sit at the
 * same depth.
 */
export const defaultModelDir = fileURLToPath(new URL('../data/models/default', import.meta.url));
export const linearModelDir = fileURLToPath(new URL('../data/models/linear', import.meta.url));
export const mlpModelDir = fileURLToPath(new URL('../data/models/mlp', import.meta.url));

/** The shipped model of the other kind: what a model is compared against by default. */
export function otherKindModelDir(kind: ModelMeta['kind']): string {
  return kind === 'linear' ? mlpModelDir : linearModelDir;
}

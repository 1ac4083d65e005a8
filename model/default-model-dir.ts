import { fileURLToPath } from 'node:url';

/** The models shipped with fma, trained on simulator data: used when no --model-dir is given. */
export const defaultModelDir = fileURLToPath(new URL('../data/models/default', import.meta.url));
export const linearModelDir = fileURLToPath(new URL('../data/models/linear', import.meta.url));

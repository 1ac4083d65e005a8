import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { DemandModel } from './model-dir.ts';
import { modelMetaSchema, type ModelMeta } from './model-meta.ts';

/** A model directory's three files, read and checked; building the network from them is model-dir.ts's job. */
export interface ModelFiles {
  meta: ModelMeta;
  modelJson: z.infer<typeof modelJsonSchema>;
  weights: Buffer;
}

/**
 * A saved model whose meta.json is read but whose network is built only on the first `load()`
 * (memoized): TensorFlow.js costs a quarter second to start, and jobs the conservative rule
 * answers never need it.
 */
export interface LazyDemandModel {
  meta: ModelMeta;
  load(): Promise<DemandModel>;
}

const modelJsonSchema = z.object({
  modelTopology: z.record(z.string(), z.unknown()),
  weightsManifest: z.array(z.object({ paths: z.array(z.string()), weights: z.array(z.unknown()) })),
});

export async function readModelFiles(dir: string): Promise<ModelFiles> {
  const meta = modelMetaSchema.parse(JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')));
  const modelJson = modelJsonSchema.parse(JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')));
  const weights = await readFile(join(dir, 'weights.bin'));
  return { meta, modelJson, weights };
}

/**
 * Reads and checks the files now (a broken model directory fails up front); TensorFlow.js is
 * imported and the network built on the first `load()`, after `beforeLoad` (e.g. choosing the backend).
 */
export async function openModel(dir: string, beforeLoad: () => Promise<unknown> = async () => {}): Promise<LazyDemandModel> {
  const files = await readModelFiles(dir);
  let loading: Promise<DemandModel> | undefined;
  const build = async () => {
    await beforeLoad();
    return (await import('./model-dir.ts')).buildModel(files);
  };
  return { meta: files.meta, load: () => (loading ??= build()) };
}

/** A model already in memory (e.g. just trained) where a lazy one is expected. */
export function inMemory(model: DemandModel): LazyDemandModel {
  return { meta: model.meta, load: async () => model };
}

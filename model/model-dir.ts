import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { readModelFiles, type ModelFiles } from './model-files.ts';
import type { ModelMeta } from './model-meta.ts';

/** A trained demand model in memory: the network plus its meta.json. */
export interface DemandModel {
  network: tfl.LayersModel;
  meta: ModelMeta;
}

/**
 * Writes model.json + weights.bin (the layout tfjs-node's file:// handler writes) and meta.json.
 * tfjs-core has no file handler without tfjs-node, hence the custom one.
 */
export async function saveModel(model: DemandModel, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await model.network.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightsManifest = [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }];
      const json = { modelTopology: artifacts.modelTopology, format: artifacts.format, generatedBy: artifacts.generatedBy, weightsManifest };
      await writeFile(join(dir, 'model.json'), JSON.stringify(json));
      const data = artifacts.weightData;
      const bytes = Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : (data ?? new ArrayBuffer(0));
      await writeFile(join(dir, 'weights.bin'), Buffer.from(bytes));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  await writeFile(join(dir, 'meta.json'), `${JSON.stringify(model.meta, null, 2)}\n`);
}

export async function loadModel(dir: string): Promise<DemandModel> {
  return buildModel(await readModelFiles(dir));
}

/** The network from a model directory's files (model-files.ts reads and checks them). */
export async function buildModel({ meta, modelJson, weights }: ModelFiles): Promise<DemandModel> {
  const network = await tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[],
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
  return { network, meta };
}

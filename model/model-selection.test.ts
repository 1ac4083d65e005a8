import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { predictedPools } from '../features/job-series.ts';
import { usesModelAnswer } from './demand-answer.ts';
import { defaultTrainOptions, predictLevels } from './demand-model.ts';
import { evaluatePool } from './evaluation.ts';
import type { DemandModel } from './model-dir.ts';
import { modelMetaSchema } from './model-meta.ts';
import { heldOutScore, parseKindChoice, trainChosenModel, type ModelKind } from './model-selection.ts';
import { syntheticExamples } from './synthetic-examples.ts';
import { selectBackend } from './tf-backend.ts';
import type { TrainingExample } from './types.ts';

let backend: string;
beforeAll(async () => {
  backend = (await selectBackend()).name;
});

const options = () => ({
  ...defaultTrainOptions,
  hidden: [16],
  epochs: 40,
  batchSize: 64,
  learningRate: 1e-2,
  source: 'synthetic',
  description: 'synthetic test jobs',
  backend,
  horizonHours: 24,
  lookbackHours: 24,
  ewmaAlpha: 0.1,
});

/** Heap demand times a factor of the job's parallelism: V-shaped in ln(parallelism) (no linear fit) or linear in it. */
function fleet(jobs: number, seed: number, shape: 'v' | 'linear'): TrainingExample[] {
  return syntheticExamples(jobs, 6, seed).map((e) => {
    const x = Math.log(e.features.values.parallelism) - Math.log(6);
    const factor = Math.exp(shape === 'v' ? 1.5 * Math.abs(x) : 0.5 * x);
    return { ...e, demand: { ...e.demand, heap: e.demand.heap * factor } };
  });
}

/** heldOutScore's criterion on jobs no candidate has seen. */
function freshScore(model: DemandModel, examples: readonly TrainingExample[]): number {
  const levels = predictLevels(model, examples.map((e) => e.features));
  const perPool = predictedPools.map((pool) => {
    const rows = examples.map((_, i) => i).filter((i) => usesModelAnswer(examples[i]!.features, pool));
    return evaluatePool(model.meta.levels, rows.map((i) => levels[i]![pool]), rows.map((i) => examples[i]!.demand[pool])).pinballP95;
  });
  return perPool.reduce((s, x) => s + x, 0) / perPool.length;
}

const weightsOf = (model: DemandModel) => model.network.getWeights().map((w) => Array.from(w.dataSync()));

describe('fma train --kind auto', () => {
  it.each([
    ['v', 'mlp'],
    ['linear', undefined],
  ] as const)('on a %s relation keeps the candidate that scores better on fresh held-out jobs, and records the choice', async (shape, expected) => {
    const examples = fleet(160, 1, shape);
    const chosen = await trainChosenModel(examples, options(), 'auto', 1);
    const selection = chosen.meta.selection!;
    expect(modelMetaSchema.parse(chosen.meta).selection).toEqual(selection);
    expect(selection.candidates.map((c) => c.kind)).toEqual(['mlp', 'linear']);
    expect(selection.chosen).toBe(chosen.meta.kind);
    expect(selection.candidates.find((c) => c.kind === chosen.meta.kind)!.score).toBe(Math.min(...selection.candidates.map((c) => c.score)));
    expect(heldOutScore(chosen.meta)).toBe(selection.candidates.find((c) => c.kind === chosen.meta.kind)!.score);
    if (expected) expect(chosen.meta.kind).toBe(expected);

    // The candidate not kept, trained alone with the same seed, really is worse on jobs neither saw.
    const otherKind: ModelKind = chosen.meta.kind === 'mlp' ? 'linear' : 'mlp';
    const other = await trainChosenModel(examples, options(), otherKind, 1);
    expect(other.meta.selection).toBeUndefined();
    const fresh = fleet(80, 99, shape);
    expect(freshScore(chosen, fresh)).toBeLessThan(freshScore(other, fresh));

    // Deterministic: the kept model is byte for byte the one its kind trains alone.
    const alone = await trainChosenModel(examples, options(), chosen.meta.kind, 1);
    expect(weightsOf(alone)).toEqual(weightsOf(chosen));
    expect(alone.meta.logShift).toEqual(chosen.meta.logShift);
    for (const m of [chosen, other, alone]) m.network.dispose();
  }, 60_000);

  it('parses --kind with --linear as its alias', () => {
    expect(parseKindChoice(undefined, false)).toBe('auto');
    expect(parseKindChoice('mlp', false)).toBe('mlp');
    expect(parseKindChoice(undefined, true)).toBe('linear');
    expect(parseKindChoice('linear', true)).toBe('linear');
    expect(() => parseKindChoice('mlp', true)).toThrow(/contradicts --kind mlp/);
    expect(() => parseKindChoice('forest', false)).toThrow(/--kind must be auto, mlp or linear, got 'forest'/);
  });

  it('loads meta.json written before selection existed: the shipped linear baseline', async () => {
    const meta = JSON.parse(await readFile(new URL('../data/models/linear/meta.json', import.meta.url), 'utf8'));
    expect(meta.selection).toBeUndefined();
    expect(modelMetaSchema.parse(meta).kind).toBe('linear');
  });
});

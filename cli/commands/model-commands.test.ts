import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/run-cli.ts';

const outsideCapture = fileURLToPath(new URL('../../collector/fixtures/independent-capture.jsonl', import.meta.url));
const shippedRecording = fileURLToPath(new URL('../../data/simulated-3-jobs-seed42.jsonl.gz', import.meta.url));
// The outside capture spans two hours of one-minute polls: decision windows to match.
const shortWindows = ['--lookback-hours', '0.5', '--horizon-hours', '0.5', '--step-hours', '0.1'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fma-train-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('fma train / evaluate / backtest', () => {
  it('trains a small model into a directory, says what it was trained on, and trains it again byte for byte', async () => {
    const train = (modelDir: string, ...kind: string[]) =>
      runCli(['train', '--simulate', '30', '--seed', '3', '--days', '3', '--epochs', '5', '--training-seed', '7', '--ensemble', '2', ...kind, '--model-dir', modelDir, '--json']);
    const [run, again, mlp, contradiction] = await Promise.all([
      train(dir),
      train(join(dir, 'again')),
      train(join(dir, 'mlp'), '--kind', 'mlp'),
      train(join(dir, 'never'), '--linear', '--kind', 'mlp'),
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(again.code, again.stderr).toBe(0);
    const meta = JSON.parse(run.stdout);
    expect(meta.trainedOn.source).toBe('simulator');
    expect(meta.training).toMatchObject({ backend: 'wasm', seed: 7 });
    expect(run.stderr).toMatch(/tfjs-node: not installed/);
    // --kind auto (the default) trained both and kept the lower held-out score.
    expect(meta.selection.candidates.map((c: { kind: string }) => c.kind)).toEqual(['mlp', 'linear']);
    expect(meta.kind).toBe(meta.selection.chosen);
    expect(run.stderr).toMatch(new RegExp(`kept ${meta.kind} \\(held-out score mlp \\d\\.\\d{4}, linear \\d\\.\\d{4}\\)`));
    const saved = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8'));
    expect(saved.trainedOn.fingerprint).toBe(meta.trainedOn.fingerprint);
    // Another process, the same data, seed and backend: the same choice and the same weights.
    expect(JSON.parse(again.stdout).selection).toEqual(meta.selection);
    expect(Buffer.compare(await readFile(join(dir, 'weights.bin')), await readFile(join(dir, 'again', 'weights.bin')))).toBe(0);
    // --kind mlp: the seed ensemble alone, no selection.
    expect(mlp.code, mlp.stderr).toBe(0);
    const mlpMeta = JSON.parse(mlp.stdout);
    expect(mlpMeta).toMatchObject({ kind: 'mlp' });
    expect(mlpMeta.selection).toBeUndefined();
    expect(mlpMeta.training.members.map((m: { seed: number }) => m.seed)).toEqual([7, 1007]);
    expect(contradiction.code).toBe(2);
    expect(contradiction.stderr).toMatch(/--linear means --kind linear; it contradicts --kind mlp/);
  });

  it('evaluates the shipped model per pool with a calibration table', async () => {
    const run = await runCli(['evaluate', '--simulate', '6', '--seed', '4', '--days', '3', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.model.trainedOn.source).toBe('simulator');
    for (const pool of ['heap', 'managed', 'metaspace', 'direct']) {
      const e = out.pools[pool];
      expect(e.modelExamples + e.rule.examples).toBe(e.examples);
      expect(e.advisedCoverageP95).toBeGreaterThanOrEqual(0);
      expect(e.calibration.map((c: { level: number }) => c.level)).toEqual([0.5, 0.9, 0.95, 0.99]);
    }
    // The shipped model answers these jobs' heap itself.
    expect(out.pools.heap.modelExamples).toBeGreaterThan(0);
    expect(out.pools.heap.coverageP95).toBeGreaterThanOrEqual(0);
    const text = await runCli(['evaluate', '--simulate', '6', '--seed', '4', '--days', '3', '--backend', 'cpu']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^pool\s+examples\s+MAE p50/m);
    expect(text.stdout).toMatch(/^pool\s+decisions\s+by the model\s+by a rule\s+rule MAE p50\s+rule p95 coverage\s+advised p95 coverage$/m);
  });

  it('prints the backtest as JSON', async () => {
    const run = await runCli(['backtest', '--simulate', '4', '--seed', '6', '--days', '3', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.results).toHaveLength(5);
    expect(out.results[0]).toMatchObject({ policy: 'fma model (p95)' });
  });

  it('trains on a recording (contract 4) through a history store, then evaluates on the store and backtests the recording', async () => {
    const modelDir = join(dir, 'from-recording');
    const store = join(dir, 'history.duckdb');
    const run = await runCli(['train', '--recording', outsideCapture, '--store', store, ...shortWindows, '--epochs', '5', '--model-dir', modelDir, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const meta = JSON.parse(run.stdout);
    expect(meta.trainedOn).toMatchObject({ source: 'recording', jobs: 3, examples: 30 });
    expect(meta.trainedOn.description).toMatch(/independent-capture\.jsonl \(plus its store\): 3 jobs, targets = observed demand/);
    expect(meta).toMatchObject({ lookbackHours: 0.5, horizonHours: 0.5, minHistoryHours: 0.25 });

    const evaluated = await runCli(['evaluate', '--store', store, '--model-dir', modelDir, '--step-hours', '0.25', '--json']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const evaluation = JSON.parse(evaluated.stdout);
    expect(evaluation.history).toMatchObject({ source: 'store', groundTruth: false });
    expect(evaluation.pools.heap.examples).toBe(12);
    expect(evaluation.pools.heap.modelExamples + evaluation.pools.heap.rule.examples).toBe(12);

    const replay = await runCli(['backtest', '--recording', outsideCapture, '--job', '3252e0778f209c9ca34c448c5f7eb925', '--model-dir', modelDir, '--compare-model-dir', modelDir, '--step-hours', '0.25', '--json']);
    expect(replay.code, replay.stderr).toBe(0);
    const backtest = JSON.parse(replay.stdout);
    expect(backtest.windows).toEqual({ lookbackHours: 0.5, horizonHours: 0.5, stepHours: 0.25 });
    expect(backtest.results.map((r: { decisions: number }) => r.decisions)).toEqual([4, 4, 4, 4, 4]);
    // Scored against the observed demand, which the oracle knows: it breaks nothing.
    expect(backtest.results[4]).toMatchObject({ underProvisionedPoolHours: 0, ooms: 0 });
  });

  it('says why a recording too short for the decision windows cannot train', async () => {
    // The recording spans 48 h: 40 h of lookback plus 24 h of horizon cannot fit in it.
    const run = await runCli(['train', '--recording', shippedRecording, '--lookback-hours', '40', '--model-dir', join(dir, 'never')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no decision points in recording simulated-3-jobs-seed42\.jsonl\.gz: 3 jobs.*40 h of lookback plus 24 h of horizon/);
  });

  it('rejects bad flags with exit code 2', async () => {
    const run = await runCli(['backtest', '--days', '1', '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error).toMatch(/--days/);
    const backend = await runCli(['train', '--backend', 'gpu']);
    expect(backend.code).toBe(2);
    expect(backend.stderr).toMatch(/--backend must be one of tfjs-node, wasm, cpu/);
    const seed = await runCli(['train', '--training-seed', '-1']);
    expect(seed.code).toBe(2);
    expect(seed.stderr).toMatch(/--training-seed must be an integer from 0 to 2147483647, got '-1'/);
    const ensemble = await runCli(['train', '--ensemble', '0']);
    expect(ensemble.code).toBe(2);
    expect(ensemble.stderr).toMatch(/--ensemble must be an integer from 1 to 20, got '0'/);
  });
});

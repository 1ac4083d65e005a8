import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/run-cli.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fma-train-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('fma train / evaluate / backtest', () => {
  it('trains a small model into a directory and says what it was trained on', async () => {
    const run = await runCli(['train', '--simulate', '30', '--seed', '3', '--days', '3', '--epochs', '5', '--model-dir', dir, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const meta = JSON.parse(run.stdout);
    expect(meta.trainedOn.source).toBe('simulator');
    expect(meta.training.backend).toBe('wasm');
    expect(run.stderr).toMatch(/tfjs-node: not installed/);
    const saved = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8'));
    expect(saved.trainedOn.fingerprint).toBe(meta.trainedOn.fingerprint);
  });

  it('evaluates the shipped model per pool with a calibration table', async () => {
    const run = await runCli(['evaluate', '--simulate', '6', '--seed', '4', '--days', '3', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.model.trainedOn.source).toBe('simulator');
    for (const pool of ['heap', 'managed', 'metaspace', 'direct']) {
      expect(out.pools[pool].coverageP95).toBeGreaterThanOrEqual(0);
      expect(out.pools[pool].calibration.map((c: { level: number }) => c.level)).toEqual([0.5, 0.9, 0.95, 0.99]);
    }
    const text = await runCli(['evaluate', '--simulate', '6', '--seed', '4', '--days', '3', '--backend', 'cpu']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^pool\s+examples\s+MAE p50/m);
  });

  it('prints the backtest as JSON', async () => {
    const run = await runCli(['backtest', '--simulate', '4', '--seed', '6', '--days', '3', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.results).toHaveLength(5);
    expect(out.results[0]).toMatchObject({ policy: 'fma model (p95)' });
  });

  it('rejects bad flags with exit code 2', async () => {
    const run = await runCli(['backtest', '--days', '1', '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error).toMatch(/--days/);
    const backend = await runCli(['train', '--backend', 'gpu']);
    expect(backend.code).toBe(2);
    expect(backend.stderr).toMatch(/--backend must be one of tfjs-node, wasm, cpu/);
  });
});

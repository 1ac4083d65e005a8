import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/run-cli.ts';
import { tempDir } from '../test-support/temp-dir.ts';

describe('fma store on a store that is not there', () => {
  it('info, prune and export exit 2 naming it, and create no empty store', async () => {
    const dir = await tempDir('fma-store-cmd-');
    const store = join(dir, 'missing.duckdb');
    const runs = await Promise.all([
      runCli(['store', 'info', '--store', store]),
      runCli(['store', 'prune', '--older-than', '30d', '--store', store]),
      runCli(['store', 'export', '--parquet', join(dir, 'pq'), '--store', store]),
    ]);
    for (const run of runs) expect([run.code, run.stderr]).toEqual([2, `fma: no history store at ${store} (fma collect creates one)\n`]);
    expect(existsSync(store)).toBe(false);
  });
});

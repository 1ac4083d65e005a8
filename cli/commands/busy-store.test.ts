import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type HistoryStore } from '../../store/history-store.ts';
import { runCli } from '../../test-support/run-cli.ts';
import { tempDir } from '../../test-support/temp-dir.ts';

// Every command that reads the history store says so, one line, exit 3 (as --help and the README
// say) while another run holds it: a cron job can then tell "try later" from "broken".
describe('a history store held by another run', () => {
  let dir: string;
  let path: string;
  let held: HistoryStore;
  beforeAll(async () => {
    dir = await tempDir('fma-busy-');
    path = join(dir, 'history.duckdb');
    held = await openStore(path);
  });
  afterAll(() => held.close());

  it.each([
    ['optimize', ['optimize', '--store']],
    ['train', ['train', '--model-dir', 'model', '--store']],
    ['evaluate', ['evaluate', '--store']],
    ['backtest', ['backtest', '--store']],
  ])('makes fma %s exit 3 with one line and a JSON error', async (_name, args) => {
    const run = await runCli([...args, path, '--json'], { cwd: dir });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/^fma: history store .* is in use by another fma run/);
    expect(JSON.parse(run.stdout)).toEqual({ error: expect.stringContaining('in use by another fma run') });
  });

  it.each(['advise', 'optimize', 'train', 'evaluate', 'backtest'])('is documented as exit 3 in fma %s --help', async (name) => {
    const run = await runCli([name, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout.replace(/\s+/g, ' ')).toMatch(/3 another run holds the (--)?store/);
  });
});

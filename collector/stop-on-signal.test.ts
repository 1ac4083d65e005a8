import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/history-store.ts';
import { repoRoot } from '../test-support/run-cli.ts';
import { tempDir } from '../test-support/temp-dir.ts';
import { readRecordings } from './recording-reader.ts';
import { startFakeFlink, type FakeFlink } from './testing/fake-flink.ts';

const recording = new URL('./fixtures/independent-capture.jsonl', import.meta.url).pathname;
const servers: FakeFlink[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/**
 * Runs the real `fma` polling a fake cluster every second for ten minutes, and sends it `signal`
 * once the cluster saw a second poll start (so the first poll is complete and handed over).
 */
async function stopMidway(args: string[], signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string }> {
  const flink = await startFakeFlink({ recording, cluster: 'fraud-archiver-v2' });
  servers.push(flink);
  const child = spawn(process.execPath, [join(repoRoot, 'bin/fma.js'), ...args, '--rest-url', flink.url, '--duration', '10m', '--interval', '1s'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const polls = () => flink.requests.filter((r) => r === '/overview').length;
  const watchdog = setTimeout(() => child.kill('SIGKILL'), 60_000);
  while (polls() < 2 && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 20));
  child.kill(signal);
  const code = await exited;
  clearTimeout(watchdog);
  return { code, stderr };
}

describe('a signal stops a long collection or recording, keeping what it read', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('fma collect --duration on %s: exit %i, the samples read stored, the run recorded as interrupted', async (signal, exitCode) => {
    const store = join(await tempDir('fma-stop-'), 'h.duckdb');
    const run = await stopMidway(['collect', '--store', store], signal);
    expect(run.code).toBe(exitCode);
    expect(run.stderr).toMatch(new RegExp(`^fma: interrupted: kept [1-9]\\d* samples in ${store.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n$`));
    const kept = Number(/kept (\d+)/.exec(run.stderr)![1]);
    const opened = await openStore(store, { readOnly: true });
    try {
      const samples = (await opened.connection.runAndReadAll('SELECT count(*)::INTEGER AS n FROM metric_samples')).getRowObjectsJS()[0]!.n as number;
      const runs = (await opened.connection.runAndReadAll('SELECT status, samples::INTEGER AS samples, finished_at IS NOT NULL AS finished FROM collection_runs')).getRowObjectsJS();
      expect(samples).toBeGreaterThan(0);
      expect(samples).toBeLessThanOrEqual(kept);
      expect(runs).toEqual([{ status: 'interrupted', samples: kept, finished: true }]);
    } finally {
      opened.close();
    }
  });

  it('fma record on SIGINT: exit 130 and a complete recording (gzip intact, every line whole)', async () => {
    const out = join(await tempDir('fma-stop-rec-'), 'capture.jsonl.gz');
    const run = await stopMidway(['record', '--out', out], 'SIGINT');
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/^fma: interrupted: recorded [1-9]\d* exchanges to .*capture\.jsonl\.gz\n$/);
    const text = gunzipSync(await readFile(out)).toString('utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const back = await readRecordings([out]);
    expect(back.lines).toBe(Number(/recorded (\d+)/.exec(run.stderr)![1]));
    expect(back.understood).toBe(back.lines);
  });
});

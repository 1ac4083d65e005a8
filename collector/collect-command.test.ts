import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/history-store.ts';
import { runCli } from '../test-support/run-cli.ts';
import { readRecordings } from './recording-reader.ts';
import { startFakeFlink, type FakeFlink } from './testing/fake-flink.ts';
import { tempDir } from '../test-support/temp-dir.ts';

const recording = new URL('./fixtures/independent-capture.jsonl', import.meta.url).pathname;
const cluster = 'fraud-archiver-v2';
let dir: string;
const servers: FakeFlink[] = [];

beforeEach(async () => {
  dir = await tempDir('fma-collect-');
});
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function flink(misbehave: Parameters<typeof startFakeFlink>[0]['misbehave'] = []) {
  const f = await startFakeFlink({ recording, cluster, misbehave });
  servers.push(f);
  return f;
}

async function storeRows(store: string): Promise<Record<string, number>> {
  const info = await runCli(['store', 'info', '--store', store, '--json']);
  expect(info.code).toBe(0);
  return JSON.parse(info.stdout).rows;
}

describe('fma collect / record / store', () => {
  it('collects a live cluster into the store, then reports, prunes and exports it', async () => {
    const f = await flink();
    const store = join(dir, 'h.duckdb');
    const run = await runCli(['collect', '--rest-url', f.url, '--cluster', cluster, '--store', store, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ status: 'ok', clusters: 1, failures: 0 });
    expect(summary.samples).toBeGreaterThan(50);
    const rows = await storeRows(store);
    // One poll can read a sample twice (a subtask metric through the vertex and the subtask): stored once.
    expect(summary.stored).toBeLessThanOrEqual(summary.samples);
    expect(rows.metric_samples).toBe(summary.stored);
    expect(rows.taskmanagers).toBe(1);

    const exported = await runCli(['store', 'export', '--parquet', join(dir, 'pq'), '--store', store, '--json']);
    expect(JSON.parse(exported.stdout).tables).toContain('metric_samples');
    // The samples are from now: pruning 30 days keeps them.
    const pruned = await runCli(['store', 'prune', '--older-than', '30d', '--store', store, '--json']);
    expect(pruned.code).toBe(0);
    expect(JSON.parse(pruned.stdout).deleted.metric_samples).toBe(0);
  });

  it('fails with one line and a non-zero exit on a partial collection, keeping what it got', async () => {
    const f = await flink([{ match: /\/checkpoints$/, status: 500 }]);
    const store = join(dir, 'h.duckdb');
    const run = await runCli(['collect', '--rest-url', f.url, '--store', store, '--retries', '0']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^fma: 1 request\(s\) failed for 1 job\(s\) \(kept \d+ samples in .*\); first: GET http:\/\/127\.0\.0\.1:\d+\/jobs\/\w+\/checkpoints: HTTP 500/);
    const rows = await storeRows(store);
    expect(rows.metric_samples).toBeGreaterThan(0);
    expect(rows.collection_runs).toBe(1);
  });

  it('fails clearly when the cluster refuses connections', async () => {
    const f = await flink();
    await f.close();
    const run = await runCli(['collect', '--rest-url', f.url, '--store', join(dir, 'h.duckdb'), '--retries', '0']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^fma: 1 request\(s\) failed \(kept 0 samples in .*\); first: GET http:\/\/127\.0\.0\.1:\d+\/overview: connection refused\n$/);
  });

  it('refuses a second writer with exit code 3', async () => {
    const store = join(dir, 'h.duckdb');
    const holder = await openStore(store);
    try {
      const run = await runCli(['collect', '--recording', recording, '--store', store]);
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/^fma: history store .* is in use by another fma run \(PID \d+\)/);
    } finally {
      holder.close();
    }
  });

  it('ingests a recording from another tool', async () => {
    const store = join(dir, 'h.duckdb');
    const run = await runCli(['collect', '--recording', recording, '--store', store, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'ok', clusters: 3, lines: 575, understood: 575 });
  });

  it('rejects bad input with exit code 2', async () => {
    expect((await runCli(['collect', '--store', join(dir, 'h.duckdb')])).code).toBe(2);
    const bad = await runCli(['collect', '--rest-url', 'http://127.0.0.1:1', '--duration', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("fma: --duration 'soon' is not a duration like 30s, 10m, 2h or 7d\n");
    const noToken = await runCli(['collect', '--rest-url', 'http://127.0.0.1:1', '--bearer-token-env', 'FMA_TEST_NO_SUCH_VAR']);
    expect([noToken.code, noToken.stderr]).toEqual([2, 'fma: environment variable FMA_TEST_NO_SUCH_VAR is not set or empty\n']);
  });

  it('records exchanges with basic auth, never writing the credentials, and reads them back', async () => {
    const f = await flink();
    const secretFile = join(dir, 'auth');
    await writeFile(secretFile, 'admin:hunter2\n');
    const out = join(dir, 'rec.jsonl');
    const run = await runCli(['record', '--rest-url', f.url, '--basic-auth-file', secretFile, '--out', out, '--json']);
    expect(run.code).toBe(0);
    expect(f.headers[0]?.authorization).toBe(`Basic ${Buffer.from('admin:hunter2').toString('base64')}`);
    const text = await readFile(out, 'utf8');
    expect(text).not.toMatch(/hunter2|YWRtaW46aHVudGVyMg/);
    expect(JSON.parse(text.split('\n')[0]!)).toMatchObject({ recording: 1 });
    const back = await readRecordings([out]);
    expect(back.lines).toBe(JSON.parse(run.stdout).exchanges);
    expect(back.understood).toBe(back.lines);
    expect(back.harvest.taskManagers[0]?.memory?.taskHeap).toBe(1476394934);
  });
});

describe('fma collect / record: input a platform engineer gets wrong', () => {
  it('refuses a REST root carrying a secret (query, fragment, user:pass@) with exit 2, never printing it', async () => {
    const fleet = join(dir, 'fleet.yaml');
    await writeFile(fleet, 'fleet: 1\nclusters:\n  - name: a\n    kind: application\n    restUrl: http://127.0.0.1:1/?token=s3cret\n');
    const runs = await Promise.all([
      runCli(['collect', '--rest-url', 'http://127.0.0.1:1/?token=s3cret', '--store', join(dir, 'a.duckdb')]),
      runCli(['collect', '--rest-url', 'http://127.0.0.1:1/flink#s3cret', '--store', join(dir, 'b.duckdb')]),
      runCli(['record', '--rest-url', 'http://admin:s3cret@127.0.0.1:1', '--out', join(dir, 'r.jsonl')]),
      runCli(['collect', '--fleet', fleet, '--store', join(dir, 'c.duckdb')]),
      runCli(['collect', '--prometheus-url', 'http://127.0.0.1:1/?token=s3cret', '--since', '1h', '--store', join(dir, 'd.duckdb')]),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
    for (const r of runs) expect(r.stdout + r.stderr).not.toContain('s3cret');
    expect(runs[0]!.stderr).toBe('fma: --rest-url has a query string or fragment (not shown: it may hold a secret): give the REST root alone, e.g. http://127.0.0.1:1/\n');
    expect(runs[1]!.stderr).toContain('e.g. http://127.0.0.1:1/flink\n');
    expect(runs[2]!.stderr).toMatch(/^fma: --rest-url holds credentials: put them in an env variable or file/);
    expect(runs[3]!.stderr).toMatch(/^fma: .*fleet\.yaml: clusters\.0\.restUrl: has a query string or fragment/);
    expect(runs[4]!.stderr).toMatch(/^fma: --prometheus-url has a query string or fragment/);
  });

  it('says what a fleet file lacks without `fleet: 1`', async () => {
    const fleet = join(dir, 'fleet.yaml');
    await writeFile(fleet, 'clusters:\n  - name: a\n    kind: application\n    restUrl: http://127.0.0.1:1\n');
    const run = await runCli(['collect', '--fleet', fleet, '--store', join(dir, 'h.duckdb')]);
    expect([run.code, run.stderr]).toEqual([2, `fma: ${fleet}: fleet: must be 1 (the fleet-file format version): add \`fleet: 1\` as the first line\n`]);
  });

  it('refuses with exit 2 a --recording that is no recording, naming the file and what a recording is', async () => {
    const fleet = join(dir, 'fleet.yaml');
    await writeFile(fleet, 'fleet: 1\nclusters:\n  - name: a\n    kind: application\n    restUrl: http://127.0.0.1:1\n');
    const run = await runCli(['collect', '--recording', fleet, '--store', join(dir, 'h.duckdb')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `fma: recording ${fleet}: no Flink REST exchange fma understands in its 5 line(s); a recording is JSON Lines of {"t","url","status","body"} objects, one REST answer each (fma record writes them)\n`,
    );
    const help = await runCli(['collect', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toMatch(/a directory means its \*\.jsonl and \*\.jsonl\.gz files/);
  });

  it('a failed fma record writes no file (and leaves an earlier recording at that path as it was), and says so', async () => {
    const f = await flink();
    await f.close();
    const out = join(dir, 'capture.jsonl');
    await writeFile(out, 'an earlier recording\n');
    const run = await runCli(['record', '--rest-url', f.url, '--out', out, '--retries', '0']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^fma: 1 request\\(s\\) failed \\(recorded nothing, so .*capture\\.jsonl was not written\\); first: GET http://127\\.0\\.0\\.1:\\d+/overview: connection refused\n$`));
    expect(await readFile(out, 'utf8')).toBe('an earlier recording\n');
    const fresh = join(dir, 'fresh.jsonl');
    expect((await runCli(['record', '--rest-url', f.url, '--out', fresh, '--retries', '0'])).code).toBe(1);
    await expect(readFile(fresh)).rejects.toThrow(/ENOENT/);
  });
});

describe('fma collect over https', () => {
  it('trusts a custom CA given with --ca-file, and names the certificate problem without it', async () => {
    const { execFileSync } = await import('node:child_process');
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const f = await startFakeFlink({ recording, cluster, tls: { key: await readFile(key, 'utf8'), cert: await readFile(cert, 'utf8') } });
    servers.push(f);
    const trusted = await runCli(['collect', '--rest-url', f.url, '--ca-file', cert, '--store', join(dir, 'a.duckdb'), '--json']);
    expect(trusted.code).toBe(0);
    expect(JSON.parse(trusted.stdout).samples).toBeGreaterThan(0);
    const untrusted = await runCli(['collect', '--rest-url', f.url, '--retries', '0', '--store', join(dir, 'b.duckdb')]);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toMatch(/\/overview: self[- ]signed certificate/);
  });
});

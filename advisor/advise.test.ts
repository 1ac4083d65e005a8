import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRecordings } from '../collector/recording-reader.ts';
import { parseConfigFile, parseDynamicProperties } from '../flink/config-file.ts';
import { MemorySize } from '../flink/memory-size.ts';
import { deriveTaskManagerMemory } from '../flink/taskmanager-memory.ts';
import { resolveFlinkVersion } from '../flink/version.ts';
import { startSimulator } from '../simulator/index.ts';
import { repoRoot, runCli } from '../test-support/run-cli.ts';
import { tempDir } from '../test-support/temp-dir.ts';
import { jobDirectoryName, sessionDirectoryName } from './export/patch-files.ts';
import { fromFlinkPools } from './flink-pools.ts';
import { POOL_NAMES } from '../optimizer/types.ts';
import { poolsBelowObservedPeak, recommendationSchema, type Recommendation } from './recommendation.ts';

const simulated = join(repoRoot, 'data/simulated-3-jobs-seed42.jsonl.gz');
const independent = join(repoRoot, 'collector/fixtures/independent-capture.jsonl');
const session = join(repoRoot, 'data/simulated-session-seed7.jsonl.gz');

async function adviseJson(args: string[]): Promise<Recommendation[]> {
  const run = await runCli(['advise', ...args, '--json']);
  expect(run.code, run.stderr).toBe(0);
  const out = JSON.parse(run.stdout) as { jobs: unknown[] };
  expect(Object.keys(out)).toEqual(['jobs']);
  return out.jobs.map((j) => recommendationSchema.parse(j));
}

describe('fma advise', () => {
  let dir: string;
  let fromSimulated: Recommendation[];
  beforeAll(async () => {
    dir = await tempDir('fma-advise-');
    fromSimulated = await adviseJson(['--recording', simulated, '--all', '--export', join(dir, 'patches'), '--format', 'all']);
  });

  it('prints the contract-4 fields for every job of a recording', async () => {
    const { harvest } = await readRecordings([simulated]);
    expect(fromSimulated.map((r) => r.jobId).sort()).toEqual([...new Set(harvest.jobs.map((j) => j.jobId))].sort());
    for (const rec of fromSimulated) {
      expect(rec.taskManagers).toBeGreaterThan(0);
      for (const pool of POOL_NAMES) {
        expect(Number.isInteger(rec.current.pools[pool])).toBe(true);
        expect(rec.predicted[pool].p50).toBeLessThanOrEqual(rec.predicted[pool].p95);
      }
      expect(rec.recommended.processSize).toBe(POOL_NAMES.reduce((s, p) => s + rec.recommended.pools[p], 0));
      expect(MemorySize.parse(rec.recommended.flinkConfig['taskmanager.memory.process.size']!).toNumber()).toBe(rec.recommended.processSize);
      expect(rec.reasons.some((r) => r.includes('OutOfMemoryError'))).toBe(true);
      // 48 h of history: the model answers, and the risk reads its calibrated quantiles.
      expect(rec.risk.forecast).toBe('model');
    }
    // Every memory failure in the recording's exception history is cited as evidence of its job.
    for (const rec of fromSimulated) {
      const ooms = harvest.exceptions.filter((e) => e.jobId === rec.jobId && e.memoryFailure !== undefined);
      expect(rec.evidence.outOfMemoryErrors.length > 0).toBe(ooms.length > 0);
      expect(rec.evidence.outOfMemoryErrors.length).toBeLessThanOrEqual(ooms.length);
    }
  });

  it('writes patches that Flink derives back to recommended.pools, byte for byte, in every format', async () => {
    for (const rec of fromSimulated) {
      const version = resolveFlinkVersion(rec.flinkVersion);
      const jobDir = join(dir, 'patches', jobDirectoryName(rec));
      const read = (name: string) => readFile(join(jobDir, name), 'utf8');
      const configs = [
        parseConfigFile('flink-conf.yaml', await read('flink-conf.yaml')).config,
        parseConfigFile('config.yaml', await read('config.yaml')).config,
        parseDynamicProperties((await read('dynamic-properties.txt')).trim().split('\n').map((l) => l.replace(/^-D/, ''))),
      ];
      for (const config of configs) expect(fromFlinkPools(deriveTaskManagerMemory(config, version))).toEqual(rec.recommended.pools);
      // A JSON merge patch: null deletes a key, everything else is the value the operator hands to Flink.
      const deployment = JSON.parse(await read('flinkdeployment-patch.json')) as { spec: { flinkConfiguration: Record<string, string | null> } };
      const merged = Object.fromEntries(Object.entries(deployment.spec.flinkConfiguration).filter((e): e is [string, string] => e[1] !== null));
      expect(fromFlinkPools(deriveTaskManagerMemory(merged, version))).toEqual(rec.recommended.pools);
    }
  });

  it('never recommends a pool below its observed peak, on a recording made outside this project', async () => {
    const recs = await adviseJson(['--recording', independent, '--all']);
    expect(recs).toHaveLength(3);
    for (const rec of [...recs, ...fromSimulated]) {
      expect(poolsBelowObservedPeak(rec)).toEqual([]);
      expect(Object.keys(rec.observedPeaks).length).toBeGreaterThanOrEqual(3);
    }
    // JobManager heap was collected there: advice follows.
    expect(recs.every((r) => r.jobManager !== undefined)).toBe(true);
  });

  it("gives a session cluster's jobs one shared shape, seen from the recording alone, and one patch for the cluster", async () => {
    const out = join(dir, 'session-patches');
    const recs = await adviseJson(['--recording', session, '--all', '--export', out]);
    const members = recs.filter((r) => r.cluster === 'session-payments-1');
    expect(members).toHaveLength(4);
    for (const rec of members) {
      expect(rec.sessionCluster).toEqual({ name: 'session-payments-1', jobs: members.map((m) => m.jobId) });
      expect(rec.recommended).toEqual(members[0]!.recommended);
      expect(poolsBelowObservedPeak(rec)).toEqual([]);
      expect(await readdir(join(out, jobDirectoryName(rec)))).toEqual(['README.md']);
      expect(await readFile(join(out, jobDirectoryName(rec), 'README.md'), 'utf8')).toContain(`../${sessionDirectoryName('session-payments-1')}/`);
    }
    expect(recs.find((r) => r.cluster === 'inventory-fanout')!.sessionCluster).toBeUndefined();
    const shared = join(out, sessionDirectoryName('session-payments-1'));
    const config = parseConfigFile('config.yaml', await readFile(join(shared, 'config.yaml'), 'utf8')).config;
    expect(fromFlinkPools(deriveTaskManagerMemory(config, resolveFlinkVersion(members[0]!.flinkVersion)))).toEqual(members[0]!.recommended.pools);
    expect(await readFile(join(shared, 'README.md'), 'utf8')).toMatch(/applied once, to the cluster, for these 4 job\(s\)/);

    // --job for one member plans the whole cluster (the shape serves every job on its TaskManagers) and prints that member only.
    const member = members[2]!;
    const one = join(dir, 'session-one');
    const [alone, ...rest] = await adviseJson(['--recording', session, '--job', member.jobId, '--export', one]);
    expect(rest).toEqual([]);
    expect(alone!.jobId).toBe(member.jobId);
    expect(alone!.recommended.pools).toEqual(member.recommended.pools);
    expect(alone!.sessionCluster).toEqual(member.sessionCluster);
    expect(alone!.reasons.join('\n')).toContain('shared by 4 job(s)');
    expect((await readdir(one)).sort()).toEqual([jobDirectoryName(member), sessionDirectoryName('session-payments-1')].sort());
    const oneReadme = await readFile(join(one, sessionDirectoryName('session-payments-1'), 'README.md'), 'utf8');
    expect(oneReadme).toMatch(/for these 4 job\(s\)/);
    for (const m of members) expect(oneReadme).toContain(m.jobId);
    const oneConfig = parseConfigFile('config.yaml', await readFile(join(one, sessionDirectoryName('session-payments-1'), 'config.yaml'), 'utf8')).config;
    expect(oneConfig).toEqual(config);
  });

  it('answers one job with --job, and an unknown id with exit 2 and the ids it knows', async () => {
    const [one] = await adviseJson(['--recording', simulated, '--job', fromSimulated[0]!.jobId]);
    expect(one!.jobId).toBe(fromSimulated[0]!.jobId);
    const run = await runCli(['advise', '--recording', simulated, '--job', 'feedc0de']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown job id feedc0de');
    expect(run.stderr).toContain(fromSimulated[0]!.jobId);
    expect(run.stderr).toContain('/jobs/overview');
  });

  it('advises every job without --job, and exits 1 with the plan for the smallest budget that fits when --budget is too small', async () => {
    const run = await runCli(['advise', '--recording', simulated, '--budget', '1g', '--json']);
    expect(run.code).toBe(1);
    const smallest = /budget fleet \(1g\) cannot be met: the smallest budget that fits is (\d+m) \([\d.]+ GiB\)/.exec(run.stderr)?.[1];
    expect(smallest, run.stderr).toBeDefined();
    const jobs = (JSON.parse(run.stdout) as { jobs: unknown[] }).jobs.map((j) => recommendationSchema.parse(j));
    expect(jobs.map((j) => j.jobId).sort()).toEqual(fromSimulated.map((j) => j.jobId).sort());
    for (const rec of jobs) {
      expect(poolsBelowObservedPeak(rec)).toEqual([]);
      expect(rec.reasons.join('\n')).toContain(`Budget 'fleet' (1g) cannot hold the fleet's smallest safe shapes (${smallest})`);
    }
    // The size it names is one --budget accepts, and the fleet fits in it.
    const fits = await runCli(['advise', '--recording', simulated, '--budget', smallest!, '--json']);
    expect(fits.code, fits.stderr).toBe(0);
  });

  it('prints a table for a person without --json', async () => {
    const run = await runCli(['advise', '--recording', simulated, '--job', fromSimulated[0]!.jobId]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/pool\s+current\s+recommended\s+p50\s+p95\s+observed peak/);
    expect(run.stdout).toContain('Nothing was changed (dry run). Write patches with --export DIR.');
  });

  it('names where --export wrote the patches instead of asking for --export', async () => {
    const out = join(dir, 'human-patches');
    const run = await runCli(['advise', '--recording', simulated, '--job', fromSimulated[0]!.jobId, '--export', out, '--format', 'config-yaml']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('--export DIR');
    const [written] = await readdir(out);
    expect(run.stdout).toContain(`Nothing was changed (dry run). Patches: ${join(out, written!)}`);
  });

  it('fails with one line, and only {"error"} on stdout, when nothing could be collected', async () => {
    const server = createServer((_req, res) => res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":["Not found."]}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const run = await runCli(['advise', '--rest-url', `http://127.0.0.1:${port}`, '--store', join(dir, 'empty.duckdb'), '--json']);
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout)).toEqual({ error: 'nothing to advise on: the collection failed (see above) and the store holds no job' });
      expect(run.stderr).toContain('HTTP 404');
      // With --job too: the id cannot be called unknown when nothing could be read to compare it with.
      const one = await runCli(['advise', '--rest-url', `http://127.0.0.1:${port}`, '--job', 'feedc0de', '--store', join(dir, 'empty.duckdb')]);
      expect([one.code, one.stderr]).toEqual([1, expect.stringContaining('fma: nothing to advise on: the collection failed')]);
      expect(one.stderr).not.toContain('unknown job id');
    } finally {
      server.close();
    }
  });

  it('does not call a heap peak garbage before any collection was seen lowering it (one poll of a live cluster)', async () => {
    const sim = await startSimulator({ jobs: 1, seed: 3, speed: 600 });
    try {
      const run = await runCli(['advise', '--rest-url', sim.restRoot(sim.fleet.clusters[0]!.name), '--store', join(dir, 'one-poll.duckdb'), '--json']);
      expect(run.code, run.stderr).toBe(0);
      const [rec] = (JSON.parse(run.stdout) as { jobs: Recommendation[] }).jobs;
      const heap = rec!.reasons.find((r) => r.startsWith('Heap:'))!;
      expect(heap).not.toContain('mostly garbage');
      expect(heap).toMatch(/^Heap: used peaked at [\d,]+ MiB; no garbage collection was seen lowering it yet/);
    } finally {
      await sim.close();
    }
  });

  it('advises from a history store alone, reading no cluster, as it does from the recording collected there', async () => {
    const store = join(dir, 'collected.duckdb');
    const collected = await runCli(['collect', '--recording', simulated, '--store', store]);
    expect(collected.code, collected.stderr).toBe(0);
    const fromStore = await adviseJson(['--store', store]);
    expect(fromStore.map((r) => [r.jobId, r.recommended.processSize])).toEqual(fromSimulated.map((r) => [r.jobId, r.recommended.processSize]));
    const missing = await runCli(['advise', '--store', join(dir, 'never-collected.duckdb')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no history store at');
  });

  it('rejects a file that is not a recording as invalid input', async () => {
    const notARecording = join(dir, 'fleet.yaml');
    await writeFile(notARecording, 'fleet: 1\nclusters:\n  - { name: a, restUrl: "http://127.0.0.1:1", kind: application }\n');
    const run = await runCli(['advise', '--recording', notARecording, '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({ error: expect.stringContaining(`recording ${notARecording}: no Flink REST exchange fma understands`) });
  });
});

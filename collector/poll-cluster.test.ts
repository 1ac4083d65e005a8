import pLimit from 'p-limit';
import { afterEach, describe, expect, it } from 'vitest';
import { skippedCount } from './harvest.ts';
import { newPollMemory, pollCluster } from './poll-cluster.ts';
import { RestClient, type RestClientOptions } from './rest-client.ts';
import { startFakeFlink, type FakeFlink, type Misbehaviour } from './testing/fake-flink.ts';

const recording = new URL('./fixtures/independent-capture.jsonl', import.meta.url).pathname;
const cluster = 'fraud-archiver-v2';
const job = '17fe7db18021af68305cdeb337433d4a';
const tm = 'fraud-archiver-v2-taskmanager-1-1';
const servers: FakeFlink[] = [];

async function poll(misbehave: Misbehaviour[] = [], client: RestClientOptions = {}) {
  const flink = await startFakeFlink({ recording, cluster, misbehave });
  servers.push(flink);
  const harvest = await pollCluster({ cluster, client: new RestClient(flink.url, { backoffMs: 5, timeoutMs: 2000, ...client }), limit: pLimit(4) });
  return { harvest, flink };
}

afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe('pollCluster against a misbehaving Flink', () => {
  it('harvests everything from a well-behaved cluster, with the bearer token sent', async () => {
    const { harvest: h, flink } = await poll([], { credentials: { kind: 'bearer', token: 's3cret' } });
    expect(h.failures).toEqual([]);
    expect(h.jobs.some((j) => j.jobId === job && j.state === 'RUNNING')).toBe(true);
    expect(h.taskManagers.find((t) => t.tmId === tm)?.memory?.managed).toBe(42949672960);
    expect(h.samples.some((s) => s.tmId === tm && s.metric === 'Status.JVM.Memory.Metaspace.Used')).toBe(true);
    // RocksDB metrics are on in this cluster's config: listed per vertex, then fetched.
    expect(h.samples.some((s) => s.metric.includes('.rocksdb.') && s.subtask !== undefined)).toBe(true);
    expect(h.placements.length).toBeGreaterThan(0);
    expect(h.checkpoints.length).toBeGreaterThan(0);
    expect(h.configs.some((c) => c.source === 'execution' && c.jobId === job)).toBe(true);
    expect(flink.headers.every((hd) => hd.authorization === 'Bearer s3cret')).toBe(true);
  });

  it('remembers across polls: RocksDB ids listed once, metric queries narrowed to the ids Flink has', async () => {
    const flink = await startFakeFlink({ recording, cluster });
    servers.push(flink);
    const memory = newPollMemory();
    const once = () => pollCluster({ cluster, client: new RestClient(flink.url), limit: pLimit(4), memory });
    const listings = () => flink.requests.filter((r) => /\/vertices\/[^/]+\/metrics$/.test(r)).length;
    const fetches = (from: number, to?: number) => flink.requests.slice(from, to).filter((r) => /\/vertices\/[^/]+\/metrics\?get=.*rocksdb/.test(r)).sort();
    const first = await once();
    const listedOnFirstPoll = listings();
    const firstPollRequests = flink.requests.length;
    expect(listedOnFirstPoll).toBeGreaterThan(0);
    const second = await once();
    expect(listings()).toBe(listedOnFirstPoll);
    // The second poll asks for the same RocksDB ids without listing them again.
    expect(fetches(firstPollRequests)).toEqual(fetches(0, firstPollRequests));
    expect(fetches(firstPollRequests).length).toBeGreaterThan(0);
    expect(second.samples.some((s) => s.metric.includes('.rocksdb.'))).toBe(true);
    // The TaskManager query names every GC any JVM may have at first, then only the ids answered.
    const tmQueries = flink.requests.filter((r) => r.startsWith(`/taskmanagers/${tm}/metrics?get=`));
    expect(tmQueries).toHaveLength(2);
    expect(tmQueries[0]).toContain('ZGC_Cycles');
    expect(tmQueries[1]).not.toContain('ZGC_Cycles');
    expect(tmQueries[1]!.length).toBeLessThan(tmQueries[0]!.length);
    const tmMetrics = (h: typeof second) => h.samples.filter((s) => s.scope === 'taskmanager').map((s) => s.metric).sort();
    expect(tmMetrics(second)).toEqual(tmMetrics(first));
    expect(tmMetrics(second).length).toBeGreaterThan(0);
    // An hour after the full list was asked, it is asked again (a TaskManager may have gained metrics).
    for (const known of memory.answeredIds.values()) known.t -= 3_600_000;
    await once();
    expect(flink.requests.filter((r) => r.startsWith(`/taskmanagers/${tm}/metrics?get=`))[2]).toBe(tmQueries[0]);
  });

  it("asks each job's checkpoint config (its state backend) once per run, again only after a failure", async () => {
    const config = { mode: 'EXACTLY_ONCE', interval: 60000, timeout: 600000, min_pause: 0, max_concurrent: 1, externalization: { enabled: true, delete_on_cancellation: false }, state_backend: 'EmbeddedRocksDBStateBackend', checkpoint_storage: 'FileSystemCheckpointStorage', unaligned_checkpoints: false, tolerable_failed_checkpoints: 0, aligned_checkpoint_timeout: 0, checkpoints_after_tasks_finish: true, state_changelog_enabled: false, changelog_periodic_materialization_interval: 600000 };
    const path = /\/checkpoints\/config$/;
    // A 500, then the answer; the capture has none, so later asks would get Flink's 404 (a job without checkpointing).
    const flink = await startFakeFlink({ recording, cluster, misbehave: [{ match: path, status: 500, times: 1 }, { match: path, raw: JSON.stringify(config), times: 1 }] });
    servers.push(flink);
    const memory = newPollMemory();
    const once = () => pollCluster({ cluster, client: new RestClient(flink.url, { retries: 0 }), limit: pLimit(4), memory });
    const first = await once();
    expect(first.failures.map((f) => [f.jobId, f.url])).toEqual([[job, `/jobs/${job}/checkpoints/config`]]);
    const second = await once();
    expect(second.failures).toEqual([]);
    expect(second.checkpointConfigs).toEqual([
      { ts: expect.any(Number), cluster, jobId: job, stateBackend: 'EmbeddedRocksDBStateBackend', checkpointStorage: 'FileSystemCheckpointStorage', mode: 'EXACTLY_ONCE', intervalMs: 60000, changelog: false },
    ]);
    const third = await once();
    expect(third.failures).toEqual([]);
    expect(flink.requests.filter((r) => path.test(r))).toHaveLength(2);
    // Without a run's memory (one-off polls) it is asked every time, and a 404 is no failure.
    const alone = await pollCluster({ cluster, client: new RestClient(flink.url, { retries: 0 }), limit: pLimit(4) });
    expect(alone.failures).toEqual([]);
    expect(flink.requests.filter((r) => path.test(r))).toHaveLength(3);
  });

  it('retries 5xx and recovers', async () => {
    const { harvest, flink } = await poll([{ match: /\/checkpoints$/, status: 503, times: 2 }]);
    expect(harvest.failures).toEqual([]);
    expect(flink.requests.filter((r) => r.endsWith('/checkpoints'))).toHaveLength(3);
    expect(harvest.checkpoints.length).toBeGreaterThan(0);
  });

  it('reports a lasting 500 for its job and keeps the rest', async () => {
    const { harvest } = await poll([{ match: /\/checkpoints$/, status: 500 }], { retries: 1 });
    expect(harvest.failures).toHaveLength(1);
    expect(harvest.failures[0]).toMatchObject({ jobId: job });
    expect(harvest.failures[0]!.reason).toMatch(/checkpoints: HTTP 500: scripted 500 \(after 2 attempts\)$/);
    expect(harvest.samples.length).toBeGreaterThan(0);
    expect(harvest.topologies.length).toBe(1);
  });

  it('does not retry a 4xx', async () => {
    const { harvest, flink } = await poll([{ match: /\/config$/, status: 400 }]);
    expect(flink.requests.filter((r) => r === `/jobs/${job}/config`)).toHaveLength(1);
    expect(harvest.failures.some((f) => /config: HTTP 400/.test(f.reason))).toBe(true);
  });

  it('names an HTML error page, wrong types and a wrong shape, per request', async () => {
    const { harvest } = await poll(
      [
        { match: /^\/jobs\/overview/, raw: '<html><body>502 Bad Gateway</body></html>' },
        { match: /^\/taskmanagers$/, raw: '{"taskmanagers":[{"id":5}]}' },
        { match: /^\/jobmanager\/config$/, raw: '{"key":"x"}' },
      ],
      { retries: 0 },
    );
    const reasons = harvest.failures.map((f) => f.reason).sort();
    expect(reasons).toEqual([
      expect.stringMatching(/\/jobmanager\/config: unexpected body for \/jobmanager\/config$/),
      expect.stringMatching(/jobs\/overview: answered an HTML page instead of JSON$/),
      expect.stringMatching(/\/taskmanagers: unexpected body for \/taskmanagers$/),
    ]);
    // What did answer is kept.
    expect(harvest.clusters).toHaveLength(1);
    expect(harvest.samples.some((s) => s.scope === 'jobmanager')).toBe(true);
  });

  it('names malformed JSON and missing fields for their job', async () => {
    const { harvest } = await poll(
      [
        { match: /\/exceptions$/, raw: '{"exceptionHistory": {"entries": [' },
        { match: new RegExp(`^/jobs/${job}$`), raw: `{"jid":"${job}","name":"x"}` },
      ],
      { retries: 0 },
    );
    expect(harvest.failures.map((f) => [f.jobId, f.reason]).sort((a, b) => (a[1]! < b[1]! ? -1 : 1))).toEqual([
      [job, expect.stringMatching(/exceptions: answered malformed JSON instead of JSON$/)],
      [job, expect.stringMatching(new RegExp(`/jobs/${job}: unexpected body for /jobs/:job$`))],
    ]);
    expect(harvest.checkpoints.length).toBeGreaterThan(0);
  });

  it('times out slow answers', async () => {
    const { harvest } = await poll([{ match: /\/checkpoints$/, delayMs: 1500 }], { timeoutMs: 200, retries: 1 });
    expect(harvest.failures.map((f) => f.reason)).toEqual([expect.stringMatching(/checkpoints: no answer within 200 ms \(after 2 attempts\)$/)]);
  });

  it('reports a connection hung up without an answer', async () => {
    const { harvest } = await poll([{ match: /\/exceptions$/, hangUp: true }], { retries: 0 });
    expect(harvest.failures.map((f) => f.reason)).toEqual([expect.stringMatching(/exceptions: (connection reset|other side closed|socket hang up)/)]);
  });

  it('counts a TaskManager that vanished mid-collection as skipped, not failed', async () => {
    const { harvest } = await poll([{ match: /^\/taskmanagers\/[^/]+\/metrics/, status: 404 }]);
    expect(harvest.failures).toEqual([]);
    expect(harvest.skipped['taskmanager vanished during collection']).toBe(1);
    expect(skippedCount(harvest)).toBe(1);
  });

  it('reports a refused connection once, for the cluster', async () => {
    const flink = await startFakeFlink({ recording, cluster });
    const url = flink.url;
    await flink.close();
    const harvest = await pollCluster({ cluster, client: new RestClient(url, { retries: 1, backoffMs: 5 }), limit: pLimit(2) });
    expect(harvest.failures).toEqual([{ cluster, url: '/overview', reason: `GET ${url}/overview: connection refused (after 2 attempts)`, jobId: undefined }]);
  });
});

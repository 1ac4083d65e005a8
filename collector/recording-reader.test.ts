import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecordings } from './recording-reader.ts';
import { skippedCount } from './harvest.ts';
import { tempDir } from '../test-support/temp-dir.ts';

const sample = new URL('./fixtures/independent-capture.jsonl', import.meta.url).pathname;

describe('readRecordings', () => {
  it('ingests the independent capture: three clusters, every exchange understood', async () => {
    const read = await readRecordings([sample]);
    const h = read.harvest;
    expect(read.headers[0]?.flinkVersion).toBe('1.20.0');
    expect(skippedCount(h)).toBe(0);
    expect(read.understood).toBe(read.lines);
    expect(new Set(h.jobs.map((j) => j.cluster))).toEqual(new Set(['fraud-archiver-v2', 'bookings-router', 'pricing-features']));
    // memoryConfiguration is carried byte-exact.
    const tm = h.taskManagers.find((t) => t.tmId === 'fraud-archiver-v2-taskmanager-1-1' && t.memory);
    expect(tm?.memory?.taskHeap).toBe(1476394934);
    expect(tm?.memory?.totalProcess).toBe(51539607552);
    expect(tm?.slotsByJob === undefined || tm.slotsByJob['17fe7db18021af68305cdeb337433d4a'] === 4).toBe(true);
    // 120 polls of TM metrics per TM, taken by id.
    const heap = h.samples.filter((s) => s.tmId === 'fraud-archiver-v2-taskmanager-1-1' && s.metric === 'Status.JVM.Memory.Heap.Used');
    expect(heap.length).toBeGreaterThanOrEqual(120);
    // Subtask-prefixed RocksDB ids become per-subtask samples.
    const rocks = h.samples.filter((s) => s.metric.endsWith('rocksdb.block-cache-usage'));
    expect(rocks.length).toBeGreaterThan(0);
    expect(rocks.every((s) => s.scope === 'subtask' && s.subtask !== undefined)).toBe(true);
    // Topology with slot sharing and plan edges.
    const topo = h.topologies.find((t) => t.jobId === '17fe7db18021af68305cdeb337433d4a');
    expect(topo?.vertices.every((v) => v.slotSharingGroup === '8a12ffb4974a981302ba59ae7613572f')).toBe(true);
    expect(topo?.edges.some((e) => e.shipStrategy === 'HASH')).toBe(true);
    expect(h.checkpoints.some((c) => c.stateSize === 8711967065)).toBe(true);
    expect(h.placements.some((p) => p.tmId === 'fraud-archiver-v2-taskmanager-1-1')).toBe(true);
    expect(h.configs.some((c) => c.entries['state.backend.type'] === 'rocksdb')).toBe(true);
  });

  it('counts and skips what it does not understand, keeping the rest', async () => {
    const dir = await tempDir('fma-rec-');
    const lines = [
      '{"recording":1}',
      '{"t":1,"url":"/overview","status":200,"body":{"flink-version":"2.0.0","taskmanagers":1}}',
      'not json at all',
      '{"t":2,"url":"/taskmanagers/tm%3A1/metrics","status":200,"body":[{"id":"Status.JVM.Memory.Heap.Used","value":"42"},{"id":"x","value":"n/a"}]}',
      '{"t":3,"url":"/taskmanagers/tm-1/metrics","status":200,"body":"<html>oops</html>"}',
      '{"t":4,"url":"/some/unknown/path","status":200,"body":{}}',
      '{"t":5,"url":"/jobs/overview","status":500,"body":{"errors":["boom"]}}',
      '{"url":"/overview","status":200,"body":{}}',
      '{"t":6,"url":"/jobs/abc/exceptions","status":200,"body":{"exceptionHistory":{"entries":[{"exceptionName":"java.lang.OutOfMemoryError","stacktrace":"java.lang.OutOfMemoryError: Metaspace\\n\\tat x","timestamp":6,"taskName":"Map (1/2)","taskManagerId":"tm-1"}]}}}',
    ];
    await writeFile(join(dir, 'a.jsonl'), lines.join('\n'));
    const read = await readRecordings([dir]);
    expect(read.harvest.samples).toEqual([
      { ts: 2, cluster: 'default', scope: 'taskmanager', tmId: 'tm:1', metric: 'Status.JVM.Memory.Heap.Used', value: 42 },
    ]);
    expect(read.harvest.exceptions[0]).toMatchObject({ memoryFailure: 'metaspace', tmId: 'tm-1', ts: 6 });
    expect(read.harvest.clusters[0]?.flinkVersion).toBe('2.0.0');
    expect(read.harvest.skipped).toEqual({
      'malformed JSON line': 1,
      'unexpected body for /taskmanagers/:tm/metrics': 1,
      'unknown path': 1,
      'http 500': 1,
      'line is not an exchange': 1,
    });
  });

  it("reads only the asked clusters' exchanges, the same as reading everything and keeping theirs", async () => {
    const all = (await readRecordings([sample])).harvest;
    const one = await readRecordings([sample], { clusters: new Set(['bookings-router']) });
    const ofBookings = <T extends { cluster: string }>(items: T[]) => items.filter((x) => x.cluster === 'bookings-router');
    expect(one.harvest.jobs).toEqual(ofBookings(all.jobs));
    expect(one.harvest.samples).toEqual(ofBookings(all.samples));
    expect(one.harvest.taskManagers).toEqual(ofBookings(all.taskManagers));
    expect(one.harvest.samples.length).toBeGreaterThan(0);
    expect(one.lines).toBeLessThan((await readRecordings([sample])).lines);
  });

  it('takes lines without a cluster as the default cluster, and a cluster name spelt with JSON escapes as that cluster', async () => {
    const dir = await tempDir('fma-rec-');
    const overview = (t: number, cluster?: string) =>
      `{"t":${t},${cluster ? `"cluster":"${cluster}",` : ''}"url":"/overview","status":200,"body":{"flink-version":"1.20.0","taskmanagers":${t}}}`;
    await writeFile(join(dir, 'a.jsonl'), [overview(1), overview(2, 'x'), overview(3, '\\u0078'), overview(4, 'y')].join('\n'));
    const managers = async (clusters: string[]) =>
      (await readRecordings([dir], { clusters: new Set(clusters) })).harvest.clusters.map((c) => [c.cluster, c.taskManagers]);
    expect(await managers(['default'])).toEqual([['default', 1]]);
    expect(await managers(['x'])).toEqual([['x', 2], ['x', 3]]);
    expect(await managers(['y', 'default'])).toEqual([['default', 1], ['y', 4]]);
  });

  it('names a missing recording', async () => {
    await expect(readRecordings(['/nonexistent/x.jsonl'])).rejects.toThrow(/no such file/);
  });
});

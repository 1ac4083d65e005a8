import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfigFile, type ConfigFileFormat } from '../../flink/config-file.ts';
import { deriveJobManagerMemory } from '../../flink/jobmanager-memory.ts';
import { configForTaskManagerPools } from '../../flink/taskmanager-config-for.ts';
import { deriveTaskManagerMemory } from '../../flink/taskmanager-memory.ts';
import { resolveFlinkVersion } from '../../flink/version.ts';
import { fromFlinkPools, toFlinkPools } from '../flink-pools.ts';
import type { Recommendation } from '../recommendation.ts';
import { sampleRecommendation } from '../sample-recommendation.ts';
import { patchConfigFile } from './config-file-patch.ts';
import { memoryPatchFor } from './memory-patch.ts';

// A user's file as found in the wild: unrelated keys, comments, stale memory keys of every kind
// (a total that would now be a constraint, a fraction, a deprecated alias, a legacy buffer count).
const FLINK_CONF = `# Flink configuration for the orders cluster
jobmanager.rpc.address: flink-jm
taskmanager.numberOfTaskSlots: 4   # one per core
taskmanager.memory.process.size: 4096m
taskmanager.memory.flink.size: 3200m
taskmanager.memory.managed.fraction: 0.3
taskmanager.network.memory.fraction: 0.15
taskmanager.network.numberOfBuffers: 4096
jobmanager.memory.process.size: 1600m

# State
state.backend.type: rocksdb
state.checkpoints.dir: s3://bucket/checkpoints
`;

const CONFIG_YAML = `# Flink 1.19+ configuration
jobmanager:
  rpc:
    address: flink-jm
  memory:
    process.size: 1600m
taskmanager:
  numberOfTaskSlots: 4 # one per core
  memory:
    process:
      size: 4096m
    flink.size: 3200m
    managed:
      fraction: 0.3
taskmanager.network.memory.fraction: 0.15
state:
  backend:
    type: rocksdb
  checkpoints.dir: s3://bucket/checkpoints
`;

const UNRELATED = {
  'jobmanager.rpc.address': 'flink-jm',
  'taskmanager.numberOfTaskSlots': '4',
  'state.backend.type': 'rocksdb',
  'state.checkpoints.dir': 's3://bucket/checkpoints',
};

function assertReproduces(format: ConfigFileFormat, text: string, rec: Recommendation): void {
  const version = resolveFlinkVersion(rec.flinkVersion);
  const config = parseConfigFile(format, text).config;
  expect(fromFlinkPools(deriveTaskManagerMemory(config, version))).toEqual(rec.recommended.pools);
  if (rec.jobManager) {
    const jm = deriveJobManagerMemory(config, version);
    expect([jm.jvmHeap, jm.offHeap, jm.metaspace, jm.overhead].map((m) => m.toNumber())).toEqual(
      Object.values(rec.jobManager.recommended.pools),
    );
  }
}

describe.each([
  ['flink-conf.yaml', FLINK_CONF],
  ['config.yaml', CONFIG_YAML],
] as const)('patching %s', (format, userFile) => {
  const rec = sampleRecommendation();

  it('makes Flink derive exactly the recommended pools, TaskManager and JobManager', () => {
    assertReproduces(format, patchConfigFile(format, memoryPatchFor(rec), userFile), rec);
  });

  it('keeps every unrelated key and the comments', () => {
    const text = patchConfigFile(format, memoryPatchFor(rec), userFile);
    expect(parseConfigFile(format, text).config).toMatchObject(UNRELATED);
    expect(text).toContain('# one per core');
    expect(text).toMatch(/^# Flink/);
  });

  it('leaves no stale memory key behind', () => {
    const config = parseConfigFile(format, patchConfigFile(format, memoryPatchFor(rec), userFile)).config;
    const memoryKeys = Object.keys(config).filter((k) => /memory|numberOfBuffers/.test(k));
    expect(memoryKeys.sort()).toEqual(Object.keys(memoryPatchFor(rec).set).sort());
  });

  it('writes a fresh file holding only the memory options when there is none', () => {
    const text = patchConfigFile(format, memoryPatchFor(rec));
    expect(parseConfigFile(format, text).config).toEqual(memoryPatchFor(rec).set);
    assertReproduces(format, text, rec);
  });

  it('reproduces any pool shape Flink can hold, minimal or pinned', () => {
    const mib = fc.integer({ min: 0, max: 8192 }).map((n) => n * 1024 * 1024);
    const pools = fc.record({
      frameworkHeap: fc.integer({ min: 64, max: 512 }).map((n) => n * 1024 * 1024),
      taskHeap: mib,
      frameworkOffHeap: fc.integer({ min: 64, max: 512 }).map((n) => n * 1024 * 1024),
      taskOffHeap: fc.integer({ min: 0, max: 256 }).map((n) => n * 1024 * 1024),
      managed: mib,
      network: fc.integer({ min: 1, max: 4 << 20 }).map((n) => n * 1024),
      metaspace: fc.integer({ min: 96, max: 1024 }).map((n) => n * 1024 * 1024),
      overhead: fc.integer({ min: 64, max: 2048 }).map((n) => n * 1024 * 1024 + 7),
    });
    const version = resolveFlinkVersion('1.20');
    fc.assert(
      fc.property(pools, fc.constantFrom('minimal', 'pinned' as const), (p, style) => {
        const base = sampleRecommendation({ withJobManager: false });
        const flinkConfig = configForTaskManagerPools(toFlinkPools(p), version, { style });
        const processSize = Object.values(p).reduce((a, b) => a + b, 0);
        const rec = { ...base, recommended: { pools: p, processSize, flinkConfig } };
        assertReproduces(format, patchConfigFile(format, memoryPatchFor(rec), userFile), rec);
      }),
      { numRuns: 40 },
    );
  });
});

describe('config.yaml edits', () => {
  it('changes a nested key where it lives instead of adding a flat twin', () => {
    const patch = { set: { 'taskmanager.memory.task.heap.size': '1g' }, remove: [] };
    const text = patchConfigFile('config.yaml', patch, 'taskmanager:\n  memory:\n    task.heap.size: 512m # was\n');
    expect(text).not.toContain('taskmanager.memory.task.heap.size');
    expect(parseConfigFile('config.yaml', text).config['taskmanager.memory.task.heap.size']).toBe('1g');
  });
});

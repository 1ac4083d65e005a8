import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemorySize } from './memory-size.ts';
import { configForTaskManagerPools } from './taskmanager-config-for.ts';
import { deriveTaskManagerMemory, type TaskManagerPools } from './taskmanager-memory.ts';
import { resolveFlinkVersion } from './version.ts';

const POOLS = ['frameworkHeap', 'taskHeap', 'frameworkOffHeap', 'taskOffHeap', 'managed', 'network', 'metaspace', 'overhead'] as const;
const pick = (m: TaskManagerPools) => Object.fromEntries(POOLS.map((p) => [p, m[p].bytes]));

/** Sizes from 0 to 2^44 bytes, biased to whole MiB like real recommendations. */
const size = fc.oneof(
  fc.bigInt({ min: 0n, max: 1n << 44n }),
  fc.bigInt({ min: 0n, max: 1n << 24n }).map((mib) => mib << 20n),
).map((b) => MemorySize.ofBytes(b));
const pools = fc.record(Object.fromEntries(POOLS.map((p) => [p, size])) as Record<(typeof POOLS)[number], typeof size>);
const versions = fc.constantFrom('1.10', '1.16', '1.20', '2.0').map((v) => resolveFlinkVersion(v));

describe('configForTaskManagerPools', () => {
  it('needs only task heap and managed for the default 1728m pools', () => {
    const m = deriveTaskManagerMemory({ 'taskmanager.memory.process.size': '1728m' });
    expect(configForTaskManagerPools(m)).toEqual({
      'taskmanager.memory.task.heap.size': '402653174b',
      'taskmanager.memory.managed.size': '536870920b',
    });
  });

  it('lowers network.min when the network pool is below 64m', () => {
    const m = deriveTaskManagerMemory({ 'taskmanager.memory.process.size': '1728m' });
    const config = configForTaskManagerPools({ ...m, network: MemorySize.ofMebiBytes(16) });
    expect(config['taskmanager.memory.network.min']).toBe('16m');
  });

  it('round-trips any pools through Flink\'s derivation, minimal and pinned', () => {
    fc.assert(
      fc.property(pools, versions, fc.constantFrom('minimal' as const, 'pinned' as const), (p, version, style) => {
        const config = configForTaskManagerPools(p, version, { style });
        expect(pick(deriveTaskManagerMemory(config, version))).toEqual(pick(p));
        for (const value of Object.values(config)) expect(value).toMatch(/^\d+[mb]$/);
        if (style === 'minimal') expect(Object.keys(config).length).toBeLessThanOrEqual(10);
      }),
      { numRuns: 300 },
    );
  });
});

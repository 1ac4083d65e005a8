import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configForJobManagerPools, type JobManagerPools } from './jobmanager-config-for.ts';
import { deriveJobManagerMemory } from './jobmanager-memory.ts';
import { MemorySize } from './memory-size.ts';
import { resolveFlinkVersion } from './version.ts';

const POOLS = ['jvmHeap', 'offHeap', 'metaspace', 'overhead'] as const;
const pick = (m: JobManagerPools) => Object.fromEntries(POOLS.map((p) => [p, m[p].bytes]));

/** Whole MiB up to 64 GiB, like real recommendations, plus odd byte counts. */
const size = fc.oneof(
  fc.bigInt({ min: 1n, max: 1n << 36n }),
  fc.bigInt({ min: 1n, max: 1n << 16n }).map((mib) => mib << 20n),
).map((b) => MemorySize.ofBytes(b));
const pools = fc.record(Object.fromEntries(POOLS.map((p) => [p, size])) as Record<(typeof POOLS)[number], typeof size>);
const versions = fc.constantFrom('1.11.0', '1.11.3', '1.20', '2.0').map((v) => resolveFlinkVersion(v));

describe('configForJobManagerPools', () => {
  it('leaves the flink size out where Flink 1.11.0 would reject it (FLINK-18993)', () => {
    const p = deriveJobManagerMemory({ 'jobmanager.memory.process.size': '1600m' });
    expect(configForJobManagerPools(p, resolveFlinkVersion('1.11.0'))).not.toHaveProperty('jobmanager.memory.flink.size');
    expect(configForJobManagerPools(p, resolveFlinkVersion('1.20'))['jobmanager.memory.flink.size']).toBe(p.totalFlink.toConfigString());
  });

  it("round-trips any pools through Flink's derivation", () => {
    fc.assert(
      fc.property(pools, versions, (p, version) => {
        expect(pick(deriveJobManagerMemory(configForJobManagerPools(p, version), version))).toEqual(pick(p));
      }),
      { numRuns: 200 },
    );
  });
});

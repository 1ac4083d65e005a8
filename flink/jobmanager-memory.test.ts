import { describe, expect, it } from 'vitest';
import { deriveJobManagerMemory } from './jobmanager-memory.ts';
import { resolveFlinkVersion } from './version.ts';

const MB = 1024n * 1024n;
const P = 'JobManager memory configuration failed: ';

function failure(config: Record<string, string>, version = resolveFlinkVersion()): string {
  try {
    deriveJobManagerMemory(config, version);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the derivation to fail');
}

describe('deriveJobManagerMemory', () => {
  it('derives the default 1600m JobManager', () => {
    const m = deriveJobManagerMemory({ 'jobmanager.memory.process.size': '1600m' });
    expect([m.jvmHeap.bytes, m.offHeap.bytes, m.metaspace.bytes, m.overhead.bytes, m.totalFlink.bytes]).toEqual([1024n * MB, 128n * MB, 256n * MB, 192n * MB, 1152n * MB]);
    expect(m.jvmArgs).toBe('-Xmx1073741824 -Xms1073741824 -XX:MaxMetaspaceSize=268435456');
  });

  it('adds the direct memory limit only when enabled', () => {
    const m = deriveJobManagerMemory({ 'jobmanager.memory.process.size': '1600m', 'jobmanager.memory.enable-jvm-direct-memory-limit': 'TRUE' });
    expect(m.jvmArgs).toBe('-Xmx1073741824 -Xms1073741824 -XX:MaxDirectMemorySize=134217728 -XX:MaxMetaspaceSize=268435456');
  });

  it('derives off-heap as the leftover of heap + Total Flink', () => {
    const m = deriveJobManagerMemory({ 'jobmanager.memory.heap.size': '1g', 'jobmanager.memory.flink.size': '1200m' });
    expect(m.offHeap.bytes).toBe(176n * MB);
  });

  it('maps legacy jobmanager.heap.size until 1.20', () => {
    expect(deriveJobManagerMemory({ 'jobmanager.heap.size': '1600m' }, resolveFlinkVersion('1.20')).jvmHeap.bytes).toBe(1024n * MB);
    expect(deriveJobManagerMemory({ 'jobmanager.heap.mb': '1024' }, resolveFlinkVersion('1.20'), { deployment: 'standalone' }).jvmHeap.bytes).toBe(1024n * MB);
  });

  it('fails like Flink', () => {
    expect(failure({})).toBe(
      `${P}Either required fine-grained memory (jobmanager.memory.heap.size), or Total Flink Memory size (Key: 'jobmanager.memory.flink.size' , default: null (fallback keys: [])), or Total Process Memory size (Key: 'jobmanager.memory.process.size' , default: null (fallback keys: [])) need to be configured explicitly.`,
    );
    // flink must be strictly greater than off-heap: 576m process leaves exactly 128m
    expect(failure({ 'jobmanager.memory.process.size': '576m' })).toBe(
      `${P}The configured Total Flink Memory (128.000mb (134217728 bytes)) is less than the configured Off-heap Memory (128.000mb (134217728 bytes)).`,
    );
    expect(deriveJobManagerMemory({ 'jobmanager.memory.process.size': '577m' }).jvmHeap.bytes).toBe(MB);
    expect(failure({ 'jobmanager.memory.heap.size': '2g', 'jobmanager.memory.flink.size': '1g' })).toBe(
      `${P}The configured JVM Heap Memory (2.000gb (2147483648 bytes)) exceeds the configured Total Flink Memory (1024.000mb (1073741824 bytes)). Please, make the configuration consistent or configure only one option: either JVM Heap or Total Flink Memory.`,
    );
    const all = { 'jobmanager.memory.heap.size': '1g', 'jobmanager.memory.off-heap.size': '128m', 'jobmanager.memory.flink.size': '1200m' };
    expect(failure(all)).toBe(
      `${P}Sum of the configured JVM Heap Memory (1024.000mb (1073741824 bytes)) and the configured Off-heap Memory (128.000mb (134217728 bytes)) does not match the configured Total Flink Memory (1.172gb (1258291200 bytes)). Please, make the configuration consistent or configure only one option: either JVM Heap or Total Flink Memory.`,
    );
    // FLINK-18993 in 1.11.0/1.11.1: even a consistent triple fails, and without the prefix (1.12+)
    const consistent = { ...all, 'jobmanager.memory.flink.size': '1152m' };
    expect(() => deriveJobManagerMemory(consistent)).not.toThrow();
    expect(failure(consistent, resolveFlinkVersion('1.11.1'))).toMatch(/^Sum of the configured JVM Heap Memory .* and the configured Off-heap Memory \(1\.125gb/);
    expect(failure({ 'jobmanager.memory.process.size': '1g' }, resolveFlinkVersion('1.10'))).toMatch(/exists from Flink 1\.11/);
  });
});

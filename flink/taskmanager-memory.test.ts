import { describe, expect, it } from 'vitest';
import { FlinkArgumentError, IllegalConfigurationError } from './errors.ts';
import { deriveTaskManagerMemory, type TaskManagerMemory } from './taskmanager-memory.ts';
import { resolveFlinkVersion } from './version.ts';

const MB = 1024 * 1024;
const v = (name?: string) => resolveFlinkVersion(name);
const P = 'TaskManager memory configuration failed: ';

function bytes(m: TaskManagerMemory): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const k of ['frameworkHeap', 'taskHeap', 'frameworkOffHeap', 'taskOffHeap', 'managed', 'network', 'metaspace', 'overhead', 'totalFlink', 'totalProcess', 'jvmHeap', 'jvmDirect'] as const) {
    out[k] = Number(m[k].bytes);
  }
  out.jvmArgs = m.jvmArgs;
  return out;
}

function failure(config: Record<string, string>, version = v()): Error {
  try {
    deriveTaskManagerMemory(config, version);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the derivation to fail');
}

describe('deriveTaskManagerMemory: derivations', () => {
  it('derives the default 1728m TaskManager exactly (spec 1.8)', () => {
    expect(bytes(deriveTaskManagerMemory({ 'taskmanager.memory.process.size': '1728m' }))).toEqual({
      frameworkHeap: 134217728, taskHeap: 402653174, frameworkOffHeap: 134217728, taskOffHeap: 0,
      managed: 536870920, network: 134217730, metaspace: 268435456, overhead: 201326592,
      totalFlink: 1342177280, totalProcess: 1811939328, jvmHeap: 536870902, jvmDirect: 268435458,
      jvmArgs: '-Xmx536870902 -Xms536870902 -XX:MaxDirectMemorySize=268435458 -XX:MaxMetaspaceSize=268435456',
    });
  });

  it('uses the 1.10 metaspace default (96m) for the same process size', () => {
    const m = bytes(deriveTaskManagerMemory({ 'taskmanager.memory.process.size': '1728m' }, v('1.10')));
    expect([m.totalFlink, m.managed, m.network, m.taskHeap]).toEqual([1440 * MB, 603979785, 150994946, 486539253]);
  });

  it('accepts the smallest default-config process size, with a zero task heap, and fails one byte below', () => {
    expect(bytes(deriveTaskManagerMemory({ 'taskmanager.memory.process.size': '1029002586b' })).taskHeap).toBe(0);
    expect(failure({ 'taskmanager.memory.process.size': '1029002585b' }).message).toBe(
      `${P}Sum of configured Framework Heap Memory (128.000mb (134217728 bytes)), Framework Off-Heap Memory (128.000mb (134217728 bytes)), Task Off-Heap Memory (0 bytes), Managed Memory (213.333mb (223696218 bytes)) and Network Memory (64.000mb (67108864 bytes)) exceed configured Total Flink Memory (533.333mb (559240537 bytes)).`,
    );
  });

  it('caps network at 1g until 1.16 and leaves it uncapped from 1.17', () => {
    const config = { 'taskmanager.memory.process.size': '16g' };
    expect(deriveTaskManagerMemory(config, v('1.16')).network.bytes).toBe(1024n * 1024n * 1024n);
    expect(deriveTaskManagerMemory(config, v('1.17')).network.bytes).toBe(1583769214n);
  });

  it('derives network by the inverse fraction when task heap and managed are given', () => {
    const m = deriveTaskManagerMemory({ 'taskmanager.memory.task.heap.size': '512m', 'taskmanager.memory.managed.size': '512m' });
    // excl = 1280m; network = trunc(1280m × 0.11111111295076065) (0.1f/(1−0.1f) in double)
    expect(m.network.bytes).toBe(149130811n);
    expect(m.totalFlink.bytes).toBe(1342177280n + 149130811n);
  });

  it('makes overhead the leftover when Total Flink and Total Process are both set', () => {
    const m = deriveTaskManagerMemory({ 'taskmanager.memory.flink.size': '1280m', 'taskmanager.memory.process.size': '1800m' });
    expect(m.overhead.bytes).toBe(BigInt(264 * MB));
  });

  it('gives task heap the leftover when only some fine-grained sizes are set with a total', () => {
    const m = deriveTaskManagerMemory({ 'taskmanager.memory.flink.size': '1g', 'taskmanager.memory.managed.size': '100m' });
    expect(m.managed.bytes).toBe(BigInt(100 * MB));
    // network = trunc(1g × 0.10000000149011612) = 107374184
    expect(m.taskHeap.bytes).toBe(BigInt(1024 * MB) - BigInt(356 * MB) - 107374184n);
  });

  it('reads deprecated keys as configured values', () => {
    const viaOld = deriveTaskManagerMemory({ 'taskmanager.memory.process.size': '1728m', 'taskmanager.memory.size': '300m', 'taskmanager.network.memory.fraction': '0.2' });
    expect(viaOld.managed.bytes).toBe(BigInt(300 * MB));
    expect(viaOld.network.bytes).toBe(268435460n);
  });

  it('parses fractions like Java Float.parseFloat and narrows YAML doubles the same way', () => {
    const base = deriveTaskManagerMemory({ 'taskmanager.memory.process.size': '1728m' });
    for (const text of ['0.4', ' 0.4', '4e-1', '.4', '0.4f', '0.4D', '+0.4', '0x1.99999ap-2']) {
      const m = deriveTaskManagerMemory({ 'taskmanager.memory.process.size': '1728m', 'taskmanager.memory.managed.fraction': text });
      expect(m.managed.bytes, text).toBe(base.managed.bytes);
    }
  });

  it('maps legacy heap options to process size (active) or flink size (standalone) until 1.20, not in 2.x', () => {
    const legacy = { 'taskmanager.heap.size': '1728m' };
    expect(deriveTaskManagerMemory(legacy, v('1.20')).totalProcess.bytes).toBe(1811939328n);
    expect(deriveTaskManagerMemory(legacy, v('1.20'), { deployment: 'standalone' }).totalFlink.bytes).toBe(1811939328n);
    expect(deriveTaskManagerMemory({ 'taskmanager.heap.mb': '1728' }, v('1.20')).totalProcess.bytes).toBe(1811939328n);
    expect(failure(legacy, v('2.0')).message).toMatch(/^TaskManager memory configuration failed: Either required fine-grained/);
    expect(failure({ 'taskmanager.heap.mb': '-1' }, v('1.20')).message).toBe(
      'TaskManager failed to map legacy JVM heap option to the new one: Configured total process memory size (-1MB) must not be less than 0.',
    );
  });

  it('uses the legacy number of buffers for network until 1.20 and ignores it in 2.x', () => {
    const config = { 'taskmanager.memory.process.size': '1728m', 'taskmanager.network.numberOfBuffers': '1000' };
    expect(deriveTaskManagerMemory(config, v('1.20')).network.bytes).toBe(1000n * 32768n);
    expect(deriveTaskManagerMemory(config, v('2.0')).network.bytes).toBe(134217730n);
    // any new network key switches the legacy option off
    expect(deriveTaskManagerMemory({ ...config, 'taskmanager.memory.network.min': '64m' }, v('1.20')).network.bytes).toBe(134217730n);
  });

  it('prints sizes beyond 2^53 exactly', () => {
    const m = deriveTaskManagerMemory({ 'taskmanager.memory.process.size': '8388607t' });
    expect(m.totalProcess.bytes).toBe(8388607n << 40n);
    expect(m.managed.bytes).toBe(3689348429375963335n);
  });
});

describe('deriveTaskManagerMemory: every failure path in Flink words', () => {
  const tmFlink = (extra: Record<string, string>) => ({ 'taskmanager.memory.flink.size': '1g', ...extra });

  it('E1: nothing configured', () => {
    expect(failure({}).message).toBe(
      `${P}Either required fine-grained memory (taskmanager.memory.task.heap.size and taskmanager.memory.managed.size), or Total Flink Memory size (Key: 'taskmanager.memory.flink.size' , default: null (fallback keys: [])), or Total Process Memory size (Key: 'taskmanager.memory.process.size' , default: null (fallback keys: [])) need to be configured explicitly.`,
    );
    expect(failure({}, v('1.10')).message).toBe(
      'Either Task Heap Memory size (taskmanager.memory.task.heap.size) and Managed Memory size (taskmanager.memory.managed.size), or Total Flink Memory size (taskmanager.memory.flink.size), or Total Process Memory size (taskmanager.memory.process.size) need to be configured explicitly.',
    );
    // only one of the two fine-grained options does not select the fine-grained branch
    expect(failure({ 'taskmanager.memory.task.heap.size': '1g' }).message).toMatch(/Either required fine-grained/);
  });

  it('E2: an unparsable memory size names the option key, even when read through a deprecated key', () => {
    const error = failure({ 'taskmanager.memory.process.size': '1.5g' });
    expect(error).toBeInstanceOf(IllegalConfigurationError);
    expect(error.message).toBe(`${P}Cannot read memory size from config option 'taskmanager.memory.process.size'.`);
    expect(failure({ 'taskmanager.memory.process.size': '1g', 'taskmanager.network.memory.min': 'lots' }).message).toBe(
      `${P}Cannot read memory size from config option 'taskmanager.memory.network.min'.`,
    );
  });

  it('E3: inconsistent network and overhead ranges', () => {
    expect(failure({ 'taskmanager.memory.process.size': '1g', 'taskmanager.memory.network.fraction': '1' }).message).toBe(
      `${P}Inconsistently configured Key: 'taskmanager.memory.network.fraction' , default: 0.1 (fallback keys: [{key=taskmanager.network.memory.fraction, isDeprecated=true}]) (1.0) and its min (64.000mb (67108864 bytes)), max (8388608.000tb (9223372036854775807 bytes)) value`,
    );
    expect(failure({ 'taskmanager.memory.process.size': '1g', 'taskmanager.memory.jvm-overhead.min': '2g' }).message).toBe(
      `${P}Inconsistently configured Key: 'taskmanager.memory.jvm-overhead.fraction' , default: 0.1 (fallback keys: []) (0.10000000149011612) and its min (2.000gb (2147483648 bytes)), max (1024.000mb (1073741824 bytes)) value`,
    );
    expect(failure({ 'taskmanager.memory.process.size': '1g', 'taskmanager.memory.jvm-overhead.fraction': '-0.1' }).message).toMatch(
      /\(-0\.10000000149011612\) and its min/,
    );
  });

  it('E4: managed fraction out of range, only when managed size is not set; unparsable floats are not prefixed', () => {
    expect(failure({ 'taskmanager.memory.process.size': '2g', 'taskmanager.memory.managed.fraction': '1.5' }).message).toBe(
      `${P}Inconsistently configured Key: 'taskmanager.memory.managed.fraction' , default: 0.4 (fallback keys: []) (1.5) and its min (0 bytes), max (8388608.000tb (9223372036854775807 bytes)) value`,
    );
    expect(() => deriveTaskManagerMemory({ 'taskmanager.memory.process.size': '2g', 'taskmanager.memory.managed.fraction': '1.5', 'taskmanager.memory.managed.size': '1m' })).not.toThrow();
    const error = failure({ 'taskmanager.memory.process.size': '2g', 'taskmanager.memory.managed.fraction': 'half' });
    expect(error).toBeInstanceOf(FlinkArgumentError);
    expect(error.message).toBe("Could not parse value 'half' for key 'taskmanager.memory.managed.fraction'.");
  });

  it('E5: fine-grained sizes exceed a configured Total Flink Memory', () => {
    expect(failure(tmFlink({ 'taskmanager.memory.task.heap.size': '700m', 'taskmanager.memory.managed.size': '200m' })).message).toBe(
      `${P}Sum of configured Framework Heap Memory (128.000mb (134217728 bytes)), Framework Off-Heap Memory (128.000mb (134217728 bytes)), Task Heap Memory (700.000mb (734003200 bytes)), Task Off-Heap Memory (0 bytes) and Managed Memory (200.000mb (209715200 bytes)) exceed configured Total Flink Memory (1024.000mb (1073741824 bytes)).`,
    );
  });

  it('E6: the leftover network falls outside its range', () => {
    const message = `${P}If Total Flink, Task Heap and (or) Managed Memory sizes are explicitly configured then the Network Memory size is the rest of the Total Flink memory after subtracting all other configured types of memory, but the derived Network Memory is inconsistent with its configuration.`;
    // leftover 48m < 64m
    expect(failure(tmFlink({ 'taskmanager.memory.task.heap.size': '520m', 'taskmanager.memory.managed.size': '200m' })).message).toBe(message);
    expect(deriveTaskManagerMemory(tmFlink({ 'taskmanager.memory.task.heap.size': '500m', 'taskmanager.memory.managed.size': '200m' })).network.bytes).toBe(BigInt(68 * MB));
    // managed from the fraction (429496736), leftover 19293792 < 64m
    expect(failure(tmFlink({ 'taskmanager.memory.task.heap.size': '340m' })).message).toBe(message);
  });

  it('E7: task heap with Total Flink and the fraction-derived managed memory exceed it', () => {
    expect(failure(tmFlink({ 'taskmanager.memory.task.heap.size': '700m' })).message).toMatch(
      /^TaskManager memory configuration failed: Sum of configured .*Task Heap Memory \(700\.000mb \(734003200 bytes\)\).* and Managed Memory \(409\.600mb \(429496736 bytes\)\) exceed configured Total Flink Memory/,
    );
  });

  it('E8: fixed parts exceed Total Flink Memory when task heap takes the leftover', () => {
    expect(failure({ 'taskmanager.memory.flink.size': '300m' }).message).toMatch(/and Network Memory \(64\.000mb \(67108864 bytes\)\) exceed configured Total Flink Memory \(300\.000mb/);
  });

  it('E9: metaspace and overhead exceed Total Process Memory', () => {
    expect(failure({ 'taskmanager.memory.process.size': '400m' }).message).toBe(
      `${P}Sum of configured JVM Metaspace (256.000mb (268435456 bytes)) and JVM Overhead (192.000mb (201326592 bytes)) exceed configured Total Process Memory (400.000mb (419430400 bytes)).`,
    );
  });

  it('E10: Total Process Memory below Total Flink + metaspace (1.10 fails in a subtraction instead)', () => {
    const config = { 'taskmanager.memory.flink.size': '2g', 'taskmanager.memory.process.size': '2g' };
    expect(failure(config).message).toBe(
      `${P}The configured Total Process Memory size (2.000gb (2147483648 bytes)) is less than the sum of the derived Total Flink Memory size (2.000gb (2147483648 bytes)) and the configured or default JVM Metaspace size  (256.000mb (268435456 bytes)).`,
    );
    expect(failure(config, v('1.10')).message).toBe('bytes must be >= 0');
  });

  it('E11: the leftover overhead falls outside its range, e.g. a fully pinned config off by one MiB', () => {
    const pinned = {
      'taskmanager.memory.task.heap.size': '384m', 'taskmanager.memory.managed.size': '512m',
      'taskmanager.memory.network.min': '128m', 'taskmanager.memory.network.max': '128m',
      'taskmanager.memory.jvm-overhead.min': '192m', 'taskmanager.memory.jvm-overhead.max': '192m',
      'taskmanager.memory.flink.size': '1280m',
    };
    expect(deriveTaskManagerMemory({ ...pinned, 'taskmanager.memory.process.size': '1728m' }).overhead.bytes).toBe(BigInt(192 * MB));
    expect(failure({ ...pinned, 'taskmanager.memory.process.size': '1729m' }).message).toBe(
      `${P}Derived JVM Overhead size (193.000mb (202375168 bytes)) is not in configured JVM Overhead range [192.000mb (201326592 bytes), 192.000mb (201326592 bytes)].`,
    );
  });

  it('E12: legacy number of buffers disagrees with the leftover network (1.10-1.20)', () => {
    const config = { 'taskmanager.memory.flink.size': '1g', 'taskmanager.memory.task.heap.size': '300m', 'taskmanager.network.numberOfBuffers': '100' };
    expect(failure(config, v('1.20')).message).toMatch(/^TaskManager memory configuration failed: If Total Flink, Task Heap/);
    expect(failure({ ...config, 'taskmanager.memory.segment-size': '1000b' }, v('1.20')).message).toMatch(/If Total Flink/);
    expect(failure({ 'taskmanager.memory.process.size': '1g', 'taskmanager.network.numberOfBuffers': '10', 'taskmanager.memory.segment-size': '1000b' }, v('1.20')).message).toBe(
      `${P}Invalid configuration value for taskmanager.memory.segment-size : 1000 - Minimum memory segment size is 4096`,
    );
  });

  it('E13: CPU cores must be positive, from taskmanager.cpu.cores or the slot count', () => {
    const message = `${P}TaskExecutors need to be started with a positive number of CPU cores. Please configure taskmanager.cpu.cores accordingly.`;
    expect(failure({ 'taskmanager.memory.process.size': '1728m', 'taskmanager.cpu.cores': '0' }).message).toBe(message);
    expect(failure({ 'taskmanager.memory.process.size': '1728m', 'taskmanager.numberOfTaskSlots': '0' }).message).toBe(message);
    expect(failure({ 'taskmanager.memory.process.size': '1728m', 'taskmanager.cpu.cores': '-1.5' }, v('1.11')).message).toBe(message.slice(P.length));
  });

  it('reports long overflow unprefixed, as Flink\'s ArithmeticException', () => {
    const error = failure({ 'taskmanager.memory.task.heap.size': '8388607t', 'taskmanager.memory.managed.size': '8388607t' });
    expect(error).toBeInstanceOf(FlinkArgumentError);
    expect(error.message).toBe('long overflow');
  });
});

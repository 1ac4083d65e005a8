import { describe, expect, it } from 'vitest';
import { IllegalConfigurationError } from './errors.ts';
import { MemorySize } from './memory-size.ts';
import { deriveTaskManagerMemory, type TaskManagerMemory } from './taskmanager-memory.ts';
import { resolveFlinkVersion, type FlinkVersionProfile } from './version.ts';

/**
 * Flink's own TaskManager cases, ported: TaskExecutorProcessUtilsTest and the shared
 * ProcessMemoryUtilsTestBase (apache/flink, flink-runtime tests). Each Flink case runs its
 * custom options on top of every base configuration Flink's test uses, for several releases.
 */

type Config = Record<string, string>;
type Check = (m: TaskManagerMemory, version: FlinkVersionProfile) => void;

const K = {
  process: 'taskmanager.memory.process.size',
  flink: 'taskmanager.memory.flink.size',
  frameworkHeap: 'taskmanager.memory.framework.heap.size',
  frameworkOffHeap: 'taskmanager.memory.framework.off-heap.size',
  taskHeap: 'taskmanager.memory.task.heap.size',
  taskOffHeap: 'taskmanager.memory.task.off-heap.size',
  managed: 'taskmanager.memory.managed.size',
  managedFraction: 'taskmanager.memory.managed.fraction',
  networkMin: 'taskmanager.memory.network.min',
  networkMax: 'taskmanager.memory.network.max',
  networkFraction: 'taskmanager.memory.network.fraction',
  metaspace: 'taskmanager.memory.jvm-metaspace.size',
  overheadMin: 'taskmanager.memory.jvm-overhead.min',
  overheadMax: 'taskmanager.memory.jvm-overhead.max',
  overheadFraction: 'taskmanager.memory.jvm-overhead.fraction',
  segmentSize: 'taskmanager.memory.segment-size',
  buffers: 'taskmanager.network.numberOfBuffers',
  cpu: 'taskmanager.cpu.cores',
  slots: 'taskmanager.numberOfTaskSlots',
} as const;

const size = (text: string) => MemorySize.parse(text).bytes;
const VERSIONS = ['1.11', '1.13', '1.16', '1.17', '1.20', '2.0', '2.1'].map((name) => resolveFlinkVersion(name));

// The base configurations of TaskExecutorProcessUtilsTest.
const TASK_HEAP = '100m';
const MANAGED = '200m';
const TOTAL_FLINK = '1280m';
const TOTAL_PROCESS = '1536m';
const BASES = {
  taskHeapAndManaged: { config: { [K.taskHeap]: TASK_HEAP, [K.managed]: MANAGED }, check: (m: TaskManagerMemory) => [m.taskHeap.bytes, m.managed.bytes], expect: [size(TASK_HEAP), size(MANAGED)] },
  totalFlink: { config: { [K.flink]: TOTAL_FLINK }, check: (m: TaskManagerMemory) => [m.totalFlink.bytes], expect: [size(TOTAL_FLINK)] },
  totalFlinkAndTaskHeap: { config: { [K.flink]: TOTAL_FLINK, [K.taskHeap]: TASK_HEAP }, check: (m: TaskManagerMemory) => [m.totalFlink.bytes, m.taskHeap.bytes], expect: [size(TOTAL_FLINK), size(TASK_HEAP)] },
  totalFlinkAndManaged: { config: { [K.flink]: TOTAL_FLINK, [K.managed]: MANAGED }, check: (m: TaskManagerMemory) => [m.totalFlink.bytes, m.managed.bytes], expect: [size(TOTAL_FLINK), size(MANAGED)] },
  totalProcess: { config: { [K.process]: TOTAL_PROCESS }, check: (m: TaskManagerMemory) => [m.totalProcess.bytes], expect: [size(TOTAL_PROCESS)] },
} as const;
type Base = keyof typeof BASES;
const ALL: readonly Base[] = ['taskHeapAndManaged', 'totalFlink', 'totalFlinkAndTaskHeap', 'totalFlinkAndManaged', 'totalProcess'];
const WITHOUT_TASK_HEAP: readonly Base[] = ['totalFlink', 'totalFlinkAndManaged', 'totalProcess'];
const WITHOUT_MANAGED: readonly Base[] = ['totalFlink', 'totalFlinkAndTaskHeap', 'totalProcess'];

function prefixOf(version: FlinkVersionProfile): string {
  return version.processErrorPrefix ? 'TaskManager memory configuration failed: ' : '';
}

function validateIn(bases: readonly Base[], custom: Config, check: Check, versions = VERSIONS): void {
  for (const version of versions) {
    for (const base of bases) {
      const spec = BASES[base];
      const m = deriveTaskManagerMemory({ ...spec.config, ...custom }, version);
      expect(spec.check(m), `${base} @ ${version.name}`).toEqual(spec.expect);
      check(m, version);
    }
  }
}

function failure(config: Config, version: FlinkVersionProfile): Error {
  try {
    deriveTaskManagerMemory(config, version);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`expected ${JSON.stringify(config)} to fail on ${version.name}`);
}

/** Flink's validateFail: an IllegalConfigurationException (with the prefix from 1.12). */
function validateFailIn(bases: readonly Base[], custom: Config, versions = VERSIONS): Error[] {
  return versions.flatMap((version) =>
    bases.map((base) => {
      const error = failure({ ...BASES[base].config, ...custom }, version);
      expect(error, `${base} @ ${version.name}`).toBeInstanceOf(IllegalConfigurationError);
      expect(error.message.startsWith(prefixOf(version))).toBe(true);
      return error;
    }),
  );
}

function rootCause(error: Error): Error {
  return error.cause instanceof Error ? rootCause(error.cause) : error;
}

const mult = (bytes: bigint, fraction: string) => MemorySize.ofBytes(bytes).multiply(Math.fround(Number(fraction))).bytes;

describe('TaskExecutorProcessUtilsTest, ported', () => {
  it('testConfigCpuCores / testConfigNoCpuCores / testConfigNegativeCpuCores', () => {
    validateIn(ALL, { [K.cpu]: '1.0' }, (m) => expect(m.cpuCores).toBe(1));
    validateIn(ALL, { [K.slots]: '3' }, (m) => expect(m.cpuCores).toBe(3));
    for (const error of validateFailIn(ALL, { [K.cpu]: String(Math.fround(-0.1)) })) {
      expect(error.message).toMatch(/TaskExecutors need to be started with a positive number of CPU cores\. Please configure taskmanager\.cpu\.cores accordingly\.$/);
    }
  });

  it('testConfigFrameworkHeapMemory / testConfigFrameworkOffHeapMemory / testConfigTaskOffheapMemory', () => {
    validateIn(ALL, { [K.frameworkHeap]: '100m' }, (m) => expect(m.frameworkHeap.bytes).toBe(size('100m')));
    validateIn(ALL, { [K.frameworkOffHeap]: '10m' }, (m) => expect(m.frameworkOffHeap.bytes).toBe(size('10m')));
    validateIn(ALL, { [K.taskOffHeap]: '50m' }, (m) => expect(m.taskOffHeap.bytes).toBe(size('50m')));
  });

  it('testConfigTaskHeapMemory (configurations without an explicit task heap)', () => {
    validateIn(WITHOUT_TASK_HEAP, { [K.taskHeap]: '50m' }, (m) => expect(m.taskHeap.bytes).toBe(size('50m')));
  });

  it('testConfigNetworkMemoryRange / testConfigNetworkMemoryRangeFailure', () => {
    validateIn(ALL, { [K.networkMin]: '200m', [K.networkMax]: '500m' }, (m) => {
      expect(m.network.bytes >= size('200m') && m.network.bytes <= size('500m')).toBe(true);
    });
    validateFailIn(ALL, { [K.networkMin]: '200m', [K.networkMax]: '50m' });
  });

  /** Flink's setupConfigWithFlinkAndTaskHeapToDeriveGivenNetworkMem: Total Flink + task heap + managed tuned so the leftover network is `mb`. */
  function configDerivingNetwork(mb: number, version: FlinkVersionProfile): Config {
    const conf: Config = { [K.flink]: TOTAL_FLINK, [K.taskHeap]: TASK_HEAP, [K.managed]: MANAGED };
    const first = deriveTaskManagerMemory(conf, version);
    const derivedMb = Number(first.network.mebiBytes);
    if (derivedMb < mb) conf[K.flink] = `${Number(first.totalFlink.mebiBytes) - derivedMb + mb}m`;
    else if (derivedMb > mb) conf[K.taskHeap] = `${Number(first.taskHeap.mebiBytes) + derivedMb - mb}m`;
    expect(Number(deriveTaskManagerMemory(conf, version).network.mebiBytes)).toBe(mb);
    return conf;
  }

  it('testConsistencyCheckOfDerivedNetworkMemory*: leftover network vs min/max, fraction only logged', () => {
    for (const version of VERSIONS) {
      const fractionOff = { ...configDerivingNetwork(400, version), [K.networkFraction]: String(Math.fround(0.001)) };
      expect(deriveTaskManagerMemory(fractionOff, version).network.bytes).toBe(size('400m'));
      const base = configDerivingNetwork(500, version);
      const wrapped = 'If Total Flink, Task Heap and (or) Managed Memory sizes are explicitly configured then the Network Memory size is the rest of the Total Flink memory after subtracting all other configured types of memory, but the derived Network Memory is inconsistent with its configuration.';
      for (const range of [{ [K.networkMin]: '900m', [K.networkMax]: '1000m' }, { [K.networkMin]: '100m', [K.networkMax]: '150m' }]) {
        const error = failure({ ...base, ...range }, version);
        expect(error).toBeInstanceOf(IllegalConfigurationError);
        expect(error.message).toBe(`${prefixOf(version)}${wrapped}`);
      }
    }
  });

  it('testConsistencyCheckOfDerivedNetworkMemoryDoesNotMatchLegacyConfigFails (1.x); 2.x ignores the legacy option', () => {
    for (const version of VERSIONS) {
      const config = { ...configDerivingNetwork(16 * 11, version), [K.segmentSize]: '16m', [K.buffers]: '10' };
      if (version.legacyNetworkBuffers) {
        expect(failure(config, version).message).toMatch(/but the derived Network Memory is inconsistent with its configuration\.$/);
        expect(rootCause(failure(config, version)).message).toBe(
          'Derived Network Memory size (176.000mb (184549376 bytes)) does not match configured Network Memory size (160.000mb (167772160 bytes)).',
        );
      } else {
        expect(deriveTaskManagerMemory(config, version).network.bytes).toBe(size('176m'));
      }
    }
  });

  it('testConfigNetworkMemoryFraction: with task heap + managed, network is exactly the fraction of Total Flink', () => {
    validateIn(['taskHeapAndManaged'], { [K.networkMin]: '0', [K.networkMax]: '1t', [K.networkFraction]: '0.2' }, (m) => {
      expect(m.network.bytes).toBe(mult(m.totalFlink.bytes, '0.2'));
    });
  });

  it('testConfigNetworkMemoryFractionFailure', () => {
    for (const fraction of [String(Math.fround(-0.1)), '1.0']) {
      // Where network is the leftover, Flink wraps the range failure in its leftover-network message.
      for (const error of validateFailIn(ALL, { [K.networkFraction]: fraction })) {
        expect(rootCause(error).message).toMatch(/Inconsistently configured Key: 'taskmanager\.memory\.network\.fraction' , default: 0\.1 \(fallback keys: \[\{key=taskmanager\.network\.memory\.fraction, isDeprecated=true\}\]\) \((-0\.10000000149011612|1\.0)\) and its min/);
      }
    }
  });

  it('testConfigNetworkMemoryLegacyRangeFraction: taskmanager.network.memory.{min,max,fraction}', () => {
    validateIn(ALL, { 'taskmanager.network.memory.min': '200m', 'taskmanager.network.memory.max': '500m' }, (m) => {
      expect(m.network.bytes >= size('200m') && m.network.bytes <= size('500m')).toBe(true);
    });
    const legacy = { 'taskmanager.network.memory.min': '0m', 'taskmanager.network.memory.max': '1t', 'taskmanager.network.memory.fraction': '0.2' };
    validateIn(['taskHeapAndManaged'], legacy, (m) => expect(m.network.bytes).toBe(mult(m.totalFlink.bytes, '0.2')));
  });

  it('testConfigNetworkMemoryLegacyNumOfBuffers: numberOfBuffers x segment size until 1.20', () => {
    const custom = { [K.segmentSize]: '32k', [K.buffers]: '1024' };
    const legacyVersions = VERSIONS.filter((v) => v.legacyNetworkBuffers);
    validateIn(['taskHeapAndManaged', ...WITHOUT_TASK_HEAP], custom, (m) => expect(m.network.bytes).toBe(32n * 1024n * 1024n), legacyVersions);
    for (const version of VERSIONS.filter((v) => !v.legacyNetworkBuffers)) {
      const m = deriveTaskManagerMemory({ [K.process]: TOTAL_PROCESS, ...custom }, version);
      expect(m.network.bytes).toBe(mult(m.totalFlink.bytes, '0.1'));
    }
  });

  it('testConfigManagedMemorySize / testConfigManagedMemoryLegacySize (taskmanager.memory.size)', () => {
    validateIn(WITHOUT_MANAGED, { [K.managed]: '100m' }, (m) => expect(m.managed.bytes).toBe(size('100m')));
    validateIn(WITHOUT_MANAGED, { 'taskmanager.memory.size': '100m' }, (m) => expect(m.managed.bytes).toBe(size('100m')));
  });

  it('testConfigManagedMemoryFraction / testConfigManagedMemoryFractionFailure', () => {
    validateIn(WITHOUT_MANAGED, { [K.managedFraction]: '0.5' }, (m) => expect(m.managed.bytes).toBe(mult(m.totalFlink.bytes, '0.5')));
    for (const fraction of [String(Math.fround(-0.1)), '1.0']) validateFailIn(WITHOUT_MANAGED, { [K.managedFraction]: fraction });
  });

  it('testFlinkInternalMemorySizeAddUpFailure', () => {
    const config = {
      [K.flink]: '499m', [K.frameworkHeap]: '100m', [K.taskHeap]: '100m', [K.taskOffHeap]: '100m',
      [K.networkMin]: '100m', [K.networkMax]: '100m', [K.managed]: '100m',
    };
    for (const version of VERSIONS) {
      expect(failure(config, version).message).toBe(
        `${prefixOf(version)}Sum of configured Framework Heap Memory (100.000mb (104857600 bytes)), Framework Off-Heap Memory (128.000mb (134217728 bytes)), Task Heap Memory (100.000mb (104857600 bytes)), Task Off-Heap Memory (100.000mb (104857600 bytes)) and Managed Memory (100.000mb (104857600 bytes)) exceed configured Total Flink Memory (499.000mb (523239424 bytes)).`,
      );
    }
  });

  it('testFlinkInternalMemoryFractionAddUpFailure', () => {
    const errors = validateFailIn(['totalFlink', 'totalProcess'], { [K.networkFraction]: '0.6', [K.managedFraction]: '0.6' });
    for (const error of errors) expect(error.message).toMatch(/Managed Memory \(.*\) and Network Memory \(.*\) exceed configured Total Flink Memory/);
  });

  it('testConfigTotalProcessMemoryLegacySize / testExceptionShouldContainRequiredConfigOptions', () => {
    for (const version of VERSIONS) {
      expect(deriveTaskManagerMemory({ [K.process]: '2g' }, version).totalProcess.bytes).toBe(size('2g'));
      const message = failure({}, version).message;
      for (const key of [K.taskHeap, K.managed, K.flink, K.process]) expect(message).toContain(key);
    }
  });
});

describe('ProcessMemoryUtilsTestBase (TaskManager side), ported', () => {
  it('testGenerateJvmParameters: -Xmx -Xms -XX:MaxDirectMemorySize -XX:MaxMetaspaceSize, all in bytes', () => {
    validateIn(ALL, {}, (m) => {
      expect(m.jvmArgs).toBe(`-Xmx${m.jvmHeap.bytes} -Xms${m.jvmHeap.bytes} -XX:MaxDirectMemorySize=${m.jvmDirect.bytes} -XX:MaxMetaspaceSize=${m.metaspace.bytes}`);
    });
  });

  it('testConfigTotalFlinkMemory / testConfigTotalProcessMemorySize', () => {
    for (const version of VERSIONS) {
      expect(deriveTaskManagerMemory({ [K.flink]: '1g' }, version).totalFlink.bytes).toBe(size('1g'));
      expect(deriveTaskManagerMemory({ [K.process]: '2g' }, version).totalProcess.bytes).toBe(size('2g'));
    }
  });

  it('testDerivedTotalProcessMemoryGreaterThanConfiguredFailure{WithFineGrainedOptions,WithTotalFlinkMemory}', () => {
    const component = `${size('150m') / 6n}b`;
    const fineGrained = { [K.taskHeap]: component, [K.taskOffHeap]: component, [K.frameworkHeap]: component, [K.frameworkOffHeap]: component, [K.managed]: component };
    for (const version of VERSIONS) {
      const viaFineGrained = failure({ [K.metaspace]: '100m', [K.process]: '200m', ...fineGrained }, version);
      expect(viaFineGrained).toBeInstanceOf(IllegalConfigurationError);
      expect(viaFineGrained.message).toMatch(/The configured Total Process Memory size \(200\.000mb \(209715200 bytes\)\) is less than the sum of the derived Total Flink Memory size \(.*\) and the configured or default JVM Metaspace size {2}\(100\.000mb \(104857600 bytes\)\)\.$/);
      // With Total Flink 150m the TaskManager split fails first (framework heap + off-heap alone are 256m).
      const viaTotalFlink = failure({ [K.metaspace]: '100m', [K.process]: '200m', [K.flink]: '150m' }, version);
      expect(viaTotalFlink.message).toMatch(/^(TaskManager memory configuration failed: )?Sum of configured Framework Heap Memory .* exceed configured Total Flink Memory \(150\.000mb/);
    }
  });

  it('testConfigJvmMetaspaceSize / testConfigJvmOverheadRange / testConfigJvmOverheadRangeFailure', () => {
    validateIn(ALL, { [K.metaspace]: '50m' }, (m) => expect(m.metaspace.bytes).toBe(size('50m')));
    validateIn(ALL, { [K.overheadMin]: '50m', [K.overheadMax]: '200m' }, (m) => {
      expect(m.overhead.bytes >= size('50m') && m.overhead.bytes <= size('200m')).toBe(true);
    });
    validateFailIn(ALL, { [K.overheadMin]: '200m', [K.overheadMax]: '50m' });
  });

  it('testConfigJvmOverheadFraction: overhead is exactly the fraction of Total Process in every branch', () => {
    validateIn(ALL, { [K.overheadMin]: '0', [K.overheadMax]: '1t', [K.overheadFraction]: '0.2' }, (m) => {
      expect(m.overhead.bytes).toBe(mult(m.totalProcess.bytes, '0.2'));
    });
  });

  it('testConfigJvmOverheadFractionFailure{Negative,NoLessThanOne}', () => {
    for (const fraction of [String(Math.fround(-0.1)), '1.0']) validateFailIn(ALL, { [K.overheadFraction]: fraction });
  });

  it('testConfigJvmOverheadDeriveFromProcessAndFlinkMemorySize{,Failure}', () => {
    const config = { [K.process]: '1000m', [K.flink]: '800m', [K.metaspace]: '100m', [K.overheadMin]: '50m', [K.overheadMax]: '200m', [K.overheadFraction]: '0.5' };
    for (const version of VERSIONS) {
      expect(deriveTaskManagerMemory(config, version).overhead.bytes).toBe(size('100m'));
      expect(failure({ ...config, [K.overheadMin]: '150m' }, version).message).toBe(
        `${prefixOf(version)}Derived JVM Overhead size (100.000mb (104857600 bytes)) is not in configured JVM Overhead range [150.000mb (157286400 bytes), 200.000mb (209715200 bytes)].`,
      );
    }
  });

  it('testConfigLegacyHeapSize / testConfigLegacyHeapMB / testConfigBothNewOptionAndLegacyHeapSize (1.x; removed in 2.0)', () => {
    for (const version of VERSIONS) {
      const legacy: Config[] = [{ 'taskmanager.heap.size': '1g' }, { 'taskmanager.heap.mb': '1024' }];
      for (const config of legacy) {
        if (version.legacyHeapOptions) expect(deriveTaskManagerMemory(config, version).totalProcess.bytes).toBe(size('1g'));
        else expect(failure(config, version).message).toContain('need to be configured explicitly');
      }
      expect(deriveTaskManagerMemory({ [K.process]: '1g', 'taskmanager.heap.size': '2g' }, version).totalProcess.bytes).toBe(size('1g'));
    }
  });

  it('testConfigTotalProcessMemoryAddUpFailure (the TaskManager split of 500m already fails; the overhead check is hit once it fits)', () => {
    const config = { [K.process]: '699m', [K.flink]: '500m', [K.metaspace]: '100m', [K.overheadMin]: '100m', [K.overheadMax]: '100m' };
    for (const version of VERSIONS) {
      expect(failure(config, version).message).toBe(
        `${prefixOf(version)}Sum of configured Framework Heap Memory (128.000mb (134217728 bytes)), Framework Off-Heap Memory (128.000mb (134217728 bytes)), Task Off-Heap Memory (0 bytes), Managed Memory (200.000mb (209715203 bytes)) and Network Memory (64.000mb (67108864 bytes)) exceed configured Total Flink Memory (500.000mb (524288000 bytes)).`,
      );
      expect(failure({ ...config, [K.managedFraction]: '0.1' }, version).message).toBe(
        `${prefixOf(version)}Derived JVM Overhead size (99.000mb (103809024 bytes)) is not in configured JVM Overhead range [100.000mb (104857600 bytes), 100.000mb (104857600 bytes)].`,
      );
    }
  });
});

describe('TaskManager vectors from Flink reports and docs', () => {
  it('a 700m process fails with the message the Kubernetes operator reported (flink.size 252m)', () => {
    expect(failure({ [K.process]: '700m' }, resolveFlinkVersion('1.17')).message).toBe(
      'TaskManager memory configuration failed: Sum of configured Framework Heap Memory (128.000mb (134217728 bytes)), Framework Off-Heap Memory (128.000mb (134217728 bytes)), Task Off-Heap Memory (0 bytes), Managed Memory (100.800mb (105696462 bytes)) and Network Memory (64.000mb (67108864 bytes)) exceed configured Total Flink Memory (252.000mb (264241152 bytes)).',
    );
  });

  it('the 1.11+ dist default (process 1728m) and the 1.10 dist default (process 1568m, metaspace 96m)', () => {
    const m = deriveTaskManagerMemory({ [K.process]: '1728m' }, resolveFlinkVersion('1.17'));
    expect(m.jvmArgs).toBe('-Xmx536870902 -Xms536870902 -XX:MaxDirectMemorySize=268435458 -XX:MaxMetaspaceSize=268435456');
    const old = deriveTaskManagerMemory({ [K.process]: '1568m' }, resolveFlinkVersion('1.10'));
    // overhead 192m (156.8m is below the min), flink = 1568 - 96 - 192 = 1280m: the same Flink split as 1.11+'s 1728m
    expect([old.overhead.bytes, old.totalFlink.bytes, old.managed.bytes, old.network.bytes, old.taskHeap.bytes]).toEqual([
      size('192m'), size('1280m'), 536870920n, 134217730n, 402653174n,
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { IllegalConfigurationError } from './errors.ts';
import { deriveJobManagerMemory, type JobManagerMemory } from './jobmanager-memory.ts';
import { MemorySize } from './memory-size.ts';
import { resolveFlinkVersion, type FlinkVersionProfile } from './version.ts';

/**
 * Flink's own JobManager cases, ported: JobManagerProcessUtilsTest and the shared
 * ProcessMemoryUtilsTestBase, each custom config on top of every base configuration Flink uses.
 */

type Config = Record<string, string>;
const K = {
  process: 'jobmanager.memory.process.size',
  flink: 'jobmanager.memory.flink.size',
  heap: 'jobmanager.memory.heap.size',
  offHeap: 'jobmanager.memory.off-heap.size',
  metaspace: 'jobmanager.memory.jvm-metaspace.size',
  overheadMin: 'jobmanager.memory.jvm-overhead.min',
  overheadMax: 'jobmanager.memory.jvm-overhead.max',
  overheadFraction: 'jobmanager.memory.jvm-overhead.fraction',
} as const;

const size = (text: string) => MemorySize.parse(text).bytes;
const VERSIONS = ['1.11.2', '1.13', '1.17', '1.20', '2.0', '2.1'].map((name) => resolveFlinkVersion(name));
/** The prefix exists from 1.12 (1.11.x JobManagerProcessUtils threw the bare message). */
const prefixOf = (version: FlinkVersionProfile) => (version.processErrorPrefix ? 'JobManager memory configuration failed: ' : '');
const P = prefixOf(resolveFlinkVersion());

const BASES = {
  heap: { config: { [K.heap]: '1152m' }, check: (m: JobManagerMemory) => [m.jvmHeap.bytes], expect: [size('1152m')] },
  totalFlink: { config: { [K.flink]: '1280m' }, check: (m: JobManagerMemory) => [m.totalFlink.bytes], expect: [size('1280m')] },
  totalFlinkAndHeap: { config: { [K.flink]: '1280m', [K.heap]: '1152m' }, check: (m: JobManagerMemory) => [m.totalFlink.bytes, m.jvmHeap.bytes], expect: [size('1280m'), size('1152m')] },
  totalProcess: { config: { [K.process]: '1536m' }, check: (m: JobManagerMemory) => [m.totalProcess.bytes], expect: [size('1536m')] },
} as const;
type Base = keyof typeof BASES;
const ALL: readonly Base[] = ['heap', 'totalFlink', 'totalFlinkAndHeap', 'totalProcess'];

function validateIn(bases: readonly Base[], custom: Config, check: (m: JobManagerMemory) => void): void {
  for (const version of VERSIONS) {
    for (const base of bases) {
      const spec = BASES[base];
      const m = deriveJobManagerMemory({ ...spec.config, ...custom }, version);
      expect(spec.check(m), `${base} @ ${version.name}`).toEqual(spec.expect);
      check(m);
    }
  }
}

function failure(config: Config, version: FlinkVersionProfile): Error {
  try {
    deriveJobManagerMemory(config, version);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`expected ${JSON.stringify(config)} to fail on ${version.name}`);
}

function validateFailIn(bases: readonly Base[], custom: Config): void {
  for (const version of VERSIONS) {
    for (const base of bases) {
      const error = failure({ ...BASES[base].config, ...custom }, version);
      expect(error, `${base} @ ${version.name}`).toBeInstanceOf(IllegalConfigurationError);
      expect(error.message.startsWith(prefixOf(version))).toBe(true);
    }
  }
}

describe('JobManagerProcessUtilsTest, ported', () => {
  it('testConfigJvmHeapMemory / testLogFailureOfJvmHeapSizeMinSizeVerification (50m heap only warns)', () => {
    for (const version of VERSIONS) expect(deriveJobManagerMemory({ [K.heap]: '50m' }, version).jvmHeap.bytes).toBe(size('50m'));
  });

  it('testConfigOffHeapMemory', () => {
    validateIn(['heap', 'totalFlink', 'totalProcess'], { [K.offHeap]: '100m' }, (m) => expect(m.offHeap.bytes).toBe(size('100m')));
  });

  it('testFlinkInternalMemorySizeAddUpFailure', () => {
    for (const version of VERSIONS) {
      expect(failure({ [K.flink]: '199m', [K.heap]: '100m', [K.offHeap]: '100m' }, version).message).toBe(
        `${prefixOf(version)}Sum of the configured JVM Heap Memory (100.000mb (104857600 bytes)) and the configured Off-heap Memory (100.000mb (104857600 bytes)) does not match the configured Total Flink Memory (199.000mb (208666624 bytes)). Please, make the configuration consistent or configure only one option: either JVM Heap or Total Flink Memory.`,
      );
    }
  });

  it('testJvmHeapExceedsTotalFlinkMemoryFailure', () => {
    for (const version of VERSIONS) {
      expect(failure({ [K.flink]: '100m', [K.heap]: '150m' }, version).message).toBe(
        `${prefixOf(version)}The configured JVM Heap Memory (150.000mb (157286400 bytes)) exceeds the configured Total Flink Memory (100.000mb (104857600 bytes)). Please, make the configuration consistent or configure only one option: either JVM Heap or Total Flink Memory.`,
      );
    }
  });

  it('testOffHeapMemoryDerivedFromJvmHeapAndTotalFlinkMemory: the default off-heap is ignored', () => {
    for (const version of VERSIONS) {
      const m = deriveJobManagerMemory({ [K.flink]: `${150 + 100 + 128}m`, [K.heap]: '150m' }, version);
      expect(m.offHeap.bytes).toBe(size('228m'));
      expect(m.jvmArgs).toBe(`-Xmx${size('150m')} -Xms${size('150m')} -XX:MaxMetaspaceSize=${size('256m')}`);
    }
  });
});

describe('ProcessMemoryUtilsTestBase (JobManager side), ported', () => {
  it('testGenerateJvmParameters{,WithoutDirectMemoryLimit}', () => {
    validateIn(ALL, {}, (m) => expect(m.jvmArgs).toBe(`-Xmx${m.jvmHeap.bytes} -Xms${m.jvmHeap.bytes} -XX:MaxMetaspaceSize=${m.metaspace.bytes}`));
    validateIn(ALL, { 'jobmanager.memory.enable-jvm-direct-memory-limit': 'true' }, (m) =>
      expect(m.jvmArgs).toBe(`-Xmx${m.jvmHeap.bytes} -Xms${m.jvmHeap.bytes} -XX:MaxDirectMemorySize=${m.offHeap.bytes} -XX:MaxMetaspaceSize=${m.metaspace.bytes}`),
    );
  });

  it('testConfigTotalFlinkMemory / testConfigTotalProcessMemorySize / testExceptionShouldContainRequiredConfigOptions', () => {
    for (const version of VERSIONS) {
      expect(deriveJobManagerMemory({ [K.flink]: '1g' }, version).totalFlink.bytes).toBe(size('1g'));
      expect(deriveJobManagerMemory({ [K.process]: '2g' }, version).totalProcess.bytes).toBe(size('2g'));
      const message = failure({}, version).message;
      for (const key of [K.heap, K.flink, K.process]) expect(message).toContain(key);
    }
  });

  it('testDerivedTotalProcessMemoryGreaterThanConfiguredFailure{WithFineGrainedOptions,WithTotalFlinkMemory}', () => {
    for (const version of VERSIONS) {
      for (const custom of [{ [K.heap]: '75m', [K.offHeap]: '75m' }, { [K.flink]: '150m' }] as Config[]) {
        expect(failure({ [K.metaspace]: '100m', [K.process]: '200m', ...custom }, version).message).toBe(
          `${prefixOf(version)}The configured Total Process Memory size (200.000mb (209715200 bytes)) is less than the sum of the derived Total Flink Memory size (150.000mb (157286400 bytes)) and the configured or default JVM Metaspace size  (100.000mb (104857600 bytes)).`,
        );
      }
    }
  });

  it('testConfigJvmMetaspaceSize / testConfigJvmOverheadRange / testConfigJvmOverheadRangeFailure', () => {
    validateIn(ALL, { [K.metaspace]: '50m' }, (m) => expect(m.metaspace.bytes).toBe(size('50m')));
    validateIn(ALL, { [K.overheadMin]: '50m', [K.overheadMax]: '200m' }, (m) => expect(m.overhead.bytes >= size('50m') && m.overhead.bytes <= size('200m')).toBe(true));
    validateFailIn(ALL, { [K.overheadMin]: '200m', [K.overheadMax]: '50m' });
  });

  it('testConfigJvmOverheadFraction and its failures', () => {
    validateIn(ALL, { [K.overheadMin]: '0', [K.overheadMax]: '1t', [K.overheadFraction]: '0.2' }, (m) => {
      expect(m.overhead.bytes).toBe(MemorySize.ofBytes(m.totalProcess.bytes).multiply(Math.fround(0.2)).bytes);
    });
    validateFailIn(ALL, { [K.overheadFraction]: String(Math.fround(-0.1)) });
    validateFailIn(ALL, { [K.overheadFraction]: '1.0' });
    expect(failure({ [K.process]: '1g', [K.overheadFraction]: '1.0' }, resolveFlinkVersion('2.0')).message).toBe(
      `${P}Inconsistently configured Key: 'jobmanager.memory.jvm-overhead.fraction' , default: 0.1 (fallback keys: []) (1.0) and its min (192.000mb (201326592 bytes)), max (1024.000mb (1073741824 bytes)) value`,
    );
  });

  it('testConfigJvmOverheadDeriveFromProcessAndFlinkMemorySize{,Failure} / testConfigTotalProcessMemoryAddUpFailure', () => {
    const config = { [K.process]: '1000m', [K.flink]: '800m', [K.metaspace]: '100m', [K.overheadMin]: '50m', [K.overheadMax]: '200m', [K.overheadFraction]: '0.5' };
    for (const version of VERSIONS) {
      expect(deriveJobManagerMemory(config, version).overhead.bytes).toBe(size('100m'));
      expect(failure({ ...config, [K.overheadMin]: '150m' }, version).message).toBe(
        `${prefixOf(version)}Derived JVM Overhead size (100.000mb (104857600 bytes)) is not in configured JVM Overhead range [150.000mb (157286400 bytes), 200.000mb (209715200 bytes)].`,
      );
      expect(failure({ [K.process]: '699m', [K.flink]: '500m', [K.metaspace]: '100m', [K.overheadMin]: '100m', [K.overheadMax]: '100m' }, version).message).toBe(
        `${prefixOf(version)}Derived JVM Overhead size (99.000mb (103809024 bytes)) is not in configured JVM Overhead range [100.000mb (104857600 bytes), 100.000mb (104857600 bytes)].`,
      );
    }
  });

  it('testConfigLegacyHeapSize / testConfigLegacyHeapMB / testConfigBothNewOptionAndLegacyHeapSize (JM maps to process size on active deployments)', () => {
    for (const version of VERSIONS) {
      for (const legacy of [{ 'jobmanager.heap.size': '1g' }, { 'jobmanager.heap.mb': '1024' }] as Config[]) {
        if (version.legacyHeapOptions) expect(deriveJobManagerMemory(legacy, version).totalProcess.bytes).toBe(size('1g'));
        else expect(failure(legacy, version).message).toContain('need to be configured explicitly');
      }
      expect(deriveJobManagerMemory({ [K.process]: '1g', 'jobmanager.heap.size': '2g' }, version).totalProcess.bytes).toBe(size('1g'));
    }
    expect(failure({ 'jobmanager.heap.mb': '-1' }, resolveFlinkVersion('1.20')).message).toBe(`${P}Configured total process memory size (-1MB) must not be less than 0.`);
  });
});

import { isConfigured, readBoolean, readMemory, type FlinkConfig } from './config.ts';
import { IllegalConfigurationError } from './errors.ts';
import { mapLegacyHeap, type Deployment } from './legacy-heap.ts';
import type { MemorySize } from './memory-size.ts';
import { JobManagerOptions as O } from './options.ts';
import { deriveProcessMemory, withFlinkErrors, type FlinkMemorySplitter, type ProcessMemoryOptions } from './process-memory.ts';
import { resolveFlinkVersion, type FlinkVersionProfile } from './version.ts';

export interface JobManagerMemory {
  readonly jvmHeap: MemorySize;
  readonly offHeap: MemorySize;
  readonly metaspace: MemorySize;
  readonly overhead: MemorySize;
  readonly totalFlink: MemorySize;
  readonly totalProcess: MemorySize;
  /** `jobmanager.memory.enable-jvm-direct-memory-limit`: whether -XX:MaxDirectMemorySize is set. */
  readonly directMemoryLimited: boolean;
  readonly jvmArgs: string;
}

interface JobManagerFlinkPart {
  readonly jvmHeap: MemorySize;
  readonly offHeap: MemorySize;
}

const PROCESS_OPTIONS: ProcessMemoryOptions = {
  requiredFineGrained: [O.heap],
  totalFlink: O.totalFlink,
  totalProcess: O.totalProcess,
  metaspace: O.metaspace,
  overheadMin: O.overheadMin,
  overheadMax: O.overheadMax,
  overheadFraction: O.overheadFraction,
};

/**
 * Flink's JobManager memory derivation (FLIP-116, 1.11+;
 * `JobManagerProcessUtils.processSpecFromConfigWithNewOptionToInterpretLegacyHeap`).
 */
export function deriveJobManagerMemory(
  config: FlinkConfig,
  version: FlinkVersionProfile = resolveFlinkVersion(),
  options: { deployment?: Deployment } = {},
): JobManagerMemory {
  if (!version.jobManagerModel) {
    throw new IllegalConfigurationError(
      `Flink ${version.name} sizes the JobManager with jobmanager.heap.size only; the JobManager memory model exists from Flink 1.11`,
    );
  }
  const legacyTarget = options.deployment === 'standalone' ? O.heap : O.totalProcess;
  return withFlinkErrors(version.processErrorPrefix ? 'JobManager memory configuration failed: ' : undefined, () => {
    const mapped = mapLegacyHeap(config, { heap: O.legacyHeap, heapMb: O.legacyHeapMb }, legacyTarget, version);
    const process = deriveProcessMemory(mapped, version, PROCESS_OPTIONS, jobManagerSplitter(mapped, version));
    const { jvmHeap, offHeap } = process.flink;
    const totalFlink = jvmHeap.add(offHeap);
    const directMemoryLimited = readBoolean(mapped, O.directMemoryLimitEnabled, version);
    const direct = directMemoryLimited ? ` -XX:MaxDirectMemorySize=${offHeap.bytes}` : '';
    return {
      jvmHeap,
      offHeap,
      metaspace: process.metaspace,
      overhead: process.overhead,
      totalFlink,
      totalProcess: totalFlink.add(process.metaspace).add(process.overhead),
      directMemoryLimited,
      jvmArgs: `-Xmx${jvmHeap.bytes} -Xms${jvmHeap.bytes}${direct} -XX:MaxMetaspaceSize=${process.metaspace.bytes}`,
    };
  });
}

/** Flink's `JobManagerFlinkMemoryUtils`: Total Flink Memory = JVM heap + off-heap. */
function jobManagerSplitter(config: FlinkConfig, version: FlinkVersionProfile): FlinkMemorySplitter<JobManagerFlinkPart> {
  const consistently = 'Please, make the configuration consistent or configure only one option: either JVM Heap or Total Flink Memory.';
  return {
    totalFlink: (p) => p.jvmHeap.add(p.offHeap),

    fromRequiredFineGrained(): JobManagerFlinkPart {
      const jvmHeap = readMemory(config, O.heap, version);
      const offHeap = readMemory(config, O.offHeap, version);
      if (!isConfigured(config, O.totalFlink)) return { jvmHeap, offHeap };
      const totalFlink = readMemory(config, O.totalFlink, version);
      if (isConfigured(config, O.offHeap)) {
        // FLINK-18993: 1.11.0 and 1.11.1 compared against Total Flink in place of the off-heap size.
        const checkedOffHeap = version.jobManagerTotalFlinkCheckBug ? totalFlink : offHeap;
        if (!jvmHeap.add(checkedOffHeap).equals(totalFlink)) {
          throw new IllegalConfigurationError(
            `Sum of the configured JVM Heap Memory (${jvmHeap.toHumanReadableString()}) and the configured Off-heap Memory (${checkedOffHeap.toHumanReadableString()}) does not match the configured Total Flink Memory (${totalFlink.toHumanReadableString()}). ${consistently}`,
          );
        }
        return { jvmHeap, offHeap };
      }
      if (totalFlink.compareTo(jvmHeap) < 0) {
        throw new IllegalConfigurationError(
          `The configured JVM Heap Memory (${jvmHeap.toHumanReadableString()}) exceeds the configured Total Flink Memory (${totalFlink.toHumanReadableString()}). ${consistently}`,
        );
      }
      return { jvmHeap, offHeap: totalFlink.subtract(jvmHeap) };
    },

    fromTotalFlink(_config, totalFlink): JobManagerFlinkPart {
      const offHeap = readMemory(config, O.offHeap, version);
      if (totalFlink.compareTo(offHeap) <= 0) {
        throw new IllegalConfigurationError(
          `The configured Total Flink Memory (${totalFlink.toHumanReadableString()}) is less than the configured Off-heap Memory (${offHeap.toHumanReadableString()}).`,
        );
      }
      return { jvmHeap: totalFlink.subtract(offHeap), offHeap };
    },
  };
}

import { getMemory, isConfigured, readDouble, readInt, readMemory, type FlinkConfig } from './config.ts';
import { FlinkArgumentError, IllegalConfigurationError } from './errors.ts';
import { mapLegacyHeap, type Deployment } from './legacy-heap.ts';
import { MemorySize } from './memory-size.ts';
import { TaskManagerOptions as O, type FlinkOption } from './options.ts';
import {
  deriveProcessMemory,
  deriveWithFraction,
  deriveWithInverseFraction,
  isInRange,
  rangeFraction,
  withFlinkErrors,
  type FlinkMemorySplitter,
  type ProcessMemoryOptions,
} from './process-memory.ts';
import { resolveFlinkVersion, type FlinkVersionProfile } from './version.ts';

/** The eight pools of a TaskManager, in bytes. */
export interface TaskManagerPools {
  readonly frameworkHeap: MemorySize;
  readonly taskHeap: MemorySize;
  readonly frameworkOffHeap: MemorySize;
  readonly taskOffHeap: MemorySize;
  readonly managed: MemorySize;
  readonly network: MemorySize;
  readonly metaspace: MemorySize;
  readonly overhead: MemorySize;
}

/** The pools plus the totals and JVM limits Flink derives from them. */
export interface TaskManagerMemory extends TaskManagerPools {
  readonly totalFlink: MemorySize;
  readonly totalProcess: MemorySize;
  readonly jvmHeap: MemorySize;
  readonly jvmDirect: MemorySize;
  /** Exactly what Flink puts on the TaskManager's command line. */
  readonly jvmArgs: string;
  /** `taskmanager.cpu.cores`, or the number of slots when unset. */
  readonly cpuCores: number;
}

export interface DeriveOptions {
  /** Where legacy `taskmanager.heap.size|mb` lands (default: active, i.e. Total Process Memory). */
  readonly deployment?: Deployment;
}

type FlinkPart = Pick<TaskManagerPools, 'frameworkHeap' | 'taskHeap' | 'frameworkOffHeap' | 'taskOffHeap' | 'managed' | 'network'>;

const PROCESS_OPTIONS: ProcessMemoryOptions = {
  requiredFineGrained: [O.taskHeap, O.managedSize],
  totalFlink: O.totalFlink,
  totalProcess: O.totalProcess,
  metaspace: O.metaspace,
  overheadMin: O.overheadMin,
  overheadMax: O.overheadMax,
  overheadFraction: O.overheadFraction,
};

const MIN_PAGE_SIZE = 4096;

/**
 * Flink's TaskManager memory derivation (`TaskExecutorProcessUtils.processSpecFromConfig`),
 * byte for byte, including its failures and their messages.
 */
export function deriveTaskManagerMemory(
  config: FlinkConfig,
  version: FlinkVersionProfile = resolveFlinkVersion(),
  options: DeriveOptions = {},
): TaskManagerMemory {
  const legacyTarget = options.deployment === 'standalone' ? O.totalFlink : O.totalProcess;
  const mapped = withFlinkErrors(version.processErrorPrefix ? 'TaskManager failed to map legacy JVM heap option to the new one: ' : undefined, () =>
    mapLegacyHeap(config, { heap: O.legacyHeap, heapMb: O.legacyHeapMb }, legacyTarget, version),
  );
  return withFlinkErrors(version.processErrorPrefix ? 'TaskManager memory configuration failed: ' : undefined, () => {
    const process = deriveProcessMemory(mapped, version, PROCESS_OPTIONS, taskManagerSplitter(mapped, version));
    const cpuCores = cpuCoresOf(mapped, version);
    const f = process.flink;
    const totalFlink = flinkTotal(f);
    const jvmHeap = f.frameworkHeap.add(f.taskHeap);
    const jvmDirect = f.frameworkOffHeap.add(f.taskOffHeap).add(f.network);
    return {
      ...f,
      metaspace: process.metaspace,
      overhead: process.overhead,
      totalFlink,
      totalProcess: totalFlink.add(process.metaspace).add(process.overhead),
      jvmHeap,
      jvmDirect,
      jvmArgs: `-Xmx${jvmHeap.bytes} -Xms${jvmHeap.bytes} -XX:MaxDirectMemorySize=${jvmDirect.bytes} -XX:MaxMetaspaceSize=${process.metaspace.bytes}`,
      cpuCores,
    };
  });
}

function flinkTotal(f: FlinkPart): MemorySize {
  return f.frameworkHeap.add(f.frameworkOffHeap).add(f.taskHeap).add(f.taskOffHeap).add(f.network).add(f.managed);
}

function cpuCoresOf(config: FlinkConfig, version: FlinkVersionProfile): number {
  const cores = isConfigured(config, O.cpuCores)
    ? readDouble(config, O.cpuCores, version)!
    : readInt(config, O.numberOfTaskSlots, version)!;
  if (cores <= 0) {
    throw new IllegalConfigurationError(
      `TaskExecutors need to be started with a positive number of CPU cores. Please configure ${O.cpuCores.key} accordingly.`,
    );
  }
  if (version.taskManagerSpecReadsSlots) readInt(config, O.numberOfTaskSlots, version);
  return cores;
}

/** Flink's `TaskExecutorFlinkMemoryUtils`: splitting Total Flink Memory into the six Flink pools. */
function taskManagerSplitter(config: FlinkConfig, version: FlinkVersionProfile): FlinkMemorySplitter<FlinkPart> {
  const memory = (option: FlinkOption<MemorySize>) => readMemory(config, option, version);
  const networkRange = () => rangeFraction(memory(O.networkMin), memory(O.networkMax), O.networkFraction, config, version);
  const managedRange = () => rangeFraction(MemorySize.ZERO, MemorySize.MAX_VALUE, O.managedFraction, config, version);
  const managedOf = (totalFlink: MemorySize) =>
    isConfigured(config, O.managedSize) ? memory(O.managedSize) : deriveWithFraction(totalFlink, managedRange());

  const usesLegacyNetwork =
    version.legacyNetworkBuffers &&
    !isConfigured(config, O.networkMin) &&
    !isConfigured(config, O.networkMax) &&
    !isConfigured(config, O.networkFraction) &&
    isConfigured(config, O.networkNumberOfBuffers);

  const legacyNetwork = () => {
    const buffers = readInt(config, O.networkNumberOfBuffers, version)!;
    return MemorySize.ofBytes(BigInt(buffers) * BigInt(pageSize(config, version)));
  };

  /** The leftover network must fit what is configured for network, else one wrapped error. */
  const checkLeftoverNetwork = (network: MemorySize) => {
    try {
      if (usesLegacyNetwork) {
        const configured = legacyNetwork();
        if (!configured.equals(network)) {
          throw new IllegalConfigurationError(
            `Derived Network Memory size (${network.toHumanReadableString()}) does not match configured Network Memory size (${configured.toHumanReadableString()}).`,
          );
        }
        return;
      }
      const range = networkRange();
      if (!isInRange(network, range)) {
        throw new IllegalConfigurationError(
          `Derived Network Memory size (${network.toHumanReadableString()}) is not in configured Network Memory range [${range.min.toHumanReadableString()}, ${range.max.toHumanReadableString()}].`,
        );
      }
    } catch (error) {
      if (!(error instanceof IllegalConfigurationError)) throw error;
      throw new IllegalConfigurationError(
        'If Total Flink, Task Heap and (or) Managed Memory sizes are explicitly configured then the Network Memory size is the rest of the Total Flink memory after subtracting all other configured types of memory, but the derived Network Memory is inconsistent with its configuration.',
        { cause: error },
      );
    }
  };

  const exceedsWithNetworkLeftover = (p: Omit<FlinkPart, 'network'>, totalFlink: MemorySize) =>
    new IllegalConfigurationError(
      `Sum of configured Framework Heap Memory (${p.frameworkHeap.toHumanReadableString()}), Framework Off-Heap Memory (${p.frameworkOffHeap.toHumanReadableString()}), Task Heap Memory (${p.taskHeap.toHumanReadableString()}), Task Off-Heap Memory (${p.taskOffHeap.toHumanReadableString()}) and Managed Memory (${p.managed.toHumanReadableString()}) exceed configured Total Flink Memory (${totalFlink.toHumanReadableString()}).`,
    );

  const sumWithoutNetwork = (p: Omit<FlinkPart, 'network'>) =>
    p.frameworkHeap.add(p.frameworkOffHeap).add(p.taskHeap).add(p.taskOffHeap).add(p.managed);

  return {
    totalFlink: flinkTotal,

    fromRequiredFineGrained(): FlinkPart {
      const taskHeap = memory(O.taskHeap);
      const managed = memory(O.managedSize);
      const parts = { taskHeap, managed, frameworkHeap: memory(O.frameworkHeap), frameworkOffHeap: memory(O.frameworkOffHeap), taskOffHeap: memory(O.taskOffHeap) };
      const withoutNetwork = sumWithoutNetwork(parts);
      if (isConfigured(config, O.totalFlink)) {
        const totalFlink = memory(O.totalFlink);
        if (withoutNetwork.compareTo(totalFlink) > 0) throw exceedsWithNetworkLeftover(parts, totalFlink);
        const network = totalFlink.subtract(withoutNetwork);
        checkLeftoverNetwork(network);
        return { ...parts, network };
      }
      const network = usesLegacyNetwork ? legacyNetwork() : deriveWithInverseFraction(withoutNetwork, networkRange());
      return { ...parts, network };
    },

    fromTotalFlink(_config, totalFlink): FlinkPart {
      const frameworkHeap = memory(O.frameworkHeap);
      const frameworkOffHeap = memory(O.frameworkOffHeap);
      const taskOffHeap = memory(O.taskOffHeap);
      if (isConfigured(config, O.taskHeap)) {
        const taskHeap = memory(O.taskHeap);
        const managed = managedOf(totalFlink);
        const parts = { frameworkHeap, frameworkOffHeap, taskHeap, taskOffHeap, managed };
        const withoutNetwork = sumWithoutNetwork(parts);
        if (withoutNetwork.compareTo(totalFlink) > 0) throw exceedsWithNetworkLeftover(parts, totalFlink);
        const network = totalFlink.subtract(withoutNetwork);
        checkLeftoverNetwork(network);
        return { ...parts, network };
      }
      const managed = managedOf(totalFlink);
      const network = usesLegacyNetwork ? legacyNetwork() : deriveWithFraction(totalFlink, networkRange());
      const withoutTaskHeap = frameworkHeap.add(frameworkOffHeap).add(taskOffHeap).add(managed).add(network);
      if (withoutTaskHeap.compareTo(totalFlink) > 0) {
        throw new IllegalConfigurationError(
          `Sum of configured Framework Heap Memory (${frameworkHeap.toHumanReadableString()}), Framework Off-Heap Memory (${frameworkOffHeap.toHumanReadableString()}), Task Off-Heap Memory (${taskOffHeap.toHumanReadableString()}), Managed Memory (${managed.toHumanReadableString()}) and Network Memory (${network.toHumanReadableString()}) exceed configured Total Flink Memory (${totalFlink.toHumanReadableString()}).`,
        );
      }
      return { frameworkHeap, frameworkOffHeap, taskHeap: totalFlink.subtract(withoutTaskHeap), taskOffHeap, managed, network };
    },
  };
}

/** `ConfigurationParserUtils.getPageSize`: the network buffer size, validated. */
function pageSize(config: FlinkConfig, version: FlinkVersionProfile): number {
  const bytes = getMemory(config, O.segmentSize, version)!.bytes;
  if (bytes > 2147483647n) throw new FlinkArgumentError(`Cannot downcast long value ${bytes} to integer.`);
  const size = Number(bytes);
  const invalid = (reason: string) =>
    new IllegalConfigurationError(`Invalid configuration value for ${O.segmentSize.key} : ${size} - ${reason}`);
  if (size < MIN_PAGE_SIZE) throw invalid(`Minimum memory segment size is ${MIN_PAGE_SIZE}`);
  if ((size & (size - 1)) !== 0) throw invalid('Memory segment size must be a power of 2.');
  return size;
}

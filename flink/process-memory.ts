import { isConfigured, readFloat, readMemory, type FlinkConfig } from './config.ts';
import { FlinkArgumentError, IllegalConfigurationError } from './errors.ts';
import { javaDoubleToString } from './java-number.ts';
import { MemorySize, MemorySizeError } from './memory-size.ts';
import { describeOption, type FlinkOption } from './options.ts';
import type { FlinkVersionProfile } from './version.ts';

/**
 * The derivation skeleton Flink shares between TaskManager and JobManager
 * (`ProcessMemoryUtils`): pick a branch by what is configured, split Total Process Memory into
 * Total Flink Memory, JVM Metaspace and JVM Overhead, and hand Total Flink Memory to the
 * process-specific split.
 */

/** A component that is a capped fraction of another one (Flink's `RangeFraction`). */
export interface RangeFraction {
  readonly min: MemorySize;
  readonly max: MemorySize;
  readonly fraction: number;
}

/** Reads min/max/fraction and validates them together, as Flink does every time it looks at one. */
export function rangeFraction(
  min: MemorySize,
  max: MemorySize,
  fractionOption: FlinkOption<number>,
  config: FlinkConfig,
  version: FlinkVersionProfile,
): RangeFraction {
  const fraction = readFloat(config, fractionOption, version);
  if (min.compareTo(max) > 0 || !(fraction >= 0 && fraction < 1)) {
    throw new IllegalConfigurationError(
      `Inconsistently configured ${describeOption(fractionOption)} (${javaDoubleToString(fraction)}) and its min (${min.toHumanReadableString()}), max (${max.toHumanReadableString()}) value`,
    );
  }
  return { min, max, fraction };
}

function capToRange(size: MemorySize, range: RangeFraction): MemorySize {
  if (size.compareTo(range.max) > 0) return range.max;
  if (size.compareTo(range.min) < 0) return range.min;
  return size;
}

export function deriveWithFraction(base: MemorySize, range: RangeFraction): MemorySize {
  return capToRange(base.multiply(range.fraction), range);
}

/** The part that will be `fraction` of a total which does not exist yet: base × f/(1−f), in double. */
export function deriveWithInverseFraction(base: MemorySize, range: RangeFraction): MemorySize {
  return capToRange(base.multiply(range.fraction / (1 - range.fraction)), range);
}

export function isInRange(size: MemorySize, range: { min: MemorySize; max: MemorySize }): boolean {
  return size.compareTo(range.min) >= 0 && size.compareTo(range.max) <= 0;
}

export interface ProcessMemoryOptions {
  readonly requiredFineGrained: readonly FlinkOption<MemorySize>[];
  readonly totalFlink: FlinkOption<MemorySize>;
  readonly totalProcess: FlinkOption<MemorySize>;
  readonly metaspace: FlinkOption<MemorySize>;
  readonly overheadMin: FlinkOption<MemorySize>;
  readonly overheadMax: FlinkOption<MemorySize>;
  readonly overheadFraction: FlinkOption<number>;
}

/** The process-specific split of Total Flink Memory (Flink's `FlinkMemoryUtils`). */
export interface FlinkMemorySplitter<FM> {
  fromRequiredFineGrained(config: FlinkConfig): FM;
  fromTotalFlink(config: FlinkConfig, totalFlink: MemorySize): FM;
  totalFlink(memory: FM): MemorySize;
}

export interface ProcessMemory<FM> {
  readonly flink: FM;
  readonly metaspace: MemorySize;
  readonly overhead: MemorySize;
}

export function deriveProcessMemory<FM>(
  config: FlinkConfig,
  version: FlinkVersionProfile,
  options: ProcessMemoryOptions,
  splitter: FlinkMemorySplitter<FM>,
): ProcessMemory<FM> {
  const memory = (option: FlinkOption<MemorySize>) => readMemory(config, option, version);
  const overheadRange = () =>
    rangeFraction(memory(options.overheadMin), memory(options.overheadMax), options.overheadFraction, config, version);

  /** M1: metaspace and overhead once Total Flink Memory is known. */
  const metaspaceAndOverheadFromFlink = (flink: FM): ProcessMemory<FM> => {
    const totalFlink = splitter.totalFlink(flink);
    const metaspace = memory(options.metaspace);
    const flinkAndMetaspace = totalFlink.add(metaspace);
    if (!isConfigured(config, options.totalProcess)) {
      return { flink, metaspace, overhead: deriveWithInverseFraction(flinkAndMetaspace, overheadRange()) };
    }
    const process = memory(options.totalProcess);
    if (version.processCoversFlinkAndMetaspaceCheck && process.compareTo(flinkAndMetaspace) < 0) {
      throw new IllegalConfigurationError(
        `The configured Total Process Memory size (${process.toHumanReadableString()}) is less than the sum of the derived Total Flink Memory size (${totalFlink.toHumanReadableString()}) and the configured or default JVM Metaspace size  (${metaspace.toHumanReadableString()}).`,
      );
    }
    const overhead = process.subtract(flinkAndMetaspace);
    const range = overheadRange();
    if (!isInRange(overhead, range)) {
      throw new IllegalConfigurationError(
        `Derived JVM Overhead size (${overhead.toHumanReadableString()}) is not in configured JVM Overhead range [${range.min.toHumanReadableString()}, ${range.max.toHumanReadableString()}].`,
      );
    }
    return { flink, metaspace, overhead };
  };

  if (options.requiredFineGrained.every((o) => isConfigured(config, o))) {
    return metaspaceAndOverheadFromFlink(splitter.fromRequiredFineGrained(config));
  }
  if (isConfigured(config, options.totalFlink)) {
    const totalFlink = memory(options.totalFlink);
    return metaspaceAndOverheadFromFlink(splitter.fromTotalFlink(config, totalFlink));
  }
  if (isConfigured(config, options.totalProcess)) {
    const process = memory(options.totalProcess);
    const metaspace = memory(options.metaspace);
    const overhead = deriveWithFraction(process, overheadRange());
    const metaspaceAndOverhead = metaspace.add(overhead);
    if (metaspaceAndOverhead.compareTo(process) > 0) {
      throw new IllegalConfigurationError(
        `Sum of configured JVM Metaspace (${metaspace.toHumanReadableString()}) and JVM Overhead (${overhead.toHumanReadableString()}) exceed configured Total Process Memory (${process.toHumanReadableString()}).`,
      );
    }
    return { flink: splitter.fromTotalFlink(config, process.subtract(metaspaceAndOverhead)), metaspace, overhead };
  }
  if (version.legacyRequiredOptionsMessage) {
    const [taskHeap, managed] = options.requiredFineGrained;
    throw new IllegalConfigurationError(
      `Either Task Heap Memory size (${taskHeap?.key}) and Managed Memory size (${managed?.key}), or Total Flink Memory size (${options.totalFlink.key}), or Total Process Memory size (${options.totalProcess.key}) need to be configured explicitly.`,
    );
  }
  throw new IllegalConfigurationError(
    `Either required fine-grained memory (${options.requiredFineGrained.map((o) => o.key).join(' and ')}), or Total Flink Memory size (${describeOption(options.totalFlink)}), or Total Process Memory size (${describeOption(options.totalProcess)}) need to be configured explicitly.`,
  );
}

/**
 * Runs a derivation the way Flink's entry points do: IllegalConfigurationExceptions get the
 * process prefix (1.12+), arithmetic failures of MemorySize pass through unprefixed.
 */
export function withFlinkErrors<T>(prefix: string | undefined, derive: () => T): T {
  try {
    return derive();
  } catch (error) {
    if (error instanceof IllegalConfigurationError && prefix !== undefined) {
      throw new IllegalConfigurationError(`${prefix}${error.message}`, { cause: error });
    }
    if (error instanceof MemorySizeError) throw new FlinkArgumentError(error.message, { cause: error });
    throw error;
  }
}

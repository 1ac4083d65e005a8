import { isConfigured, readInt, readMemory, type FlinkConfig } from './config.ts';
import { IllegalConfigurationError } from './errors.ts';
import { MemorySize } from './memory-size.ts';
import type { FlinkOption } from './options.ts';
import type { FlinkVersionProfile } from './version.ts';

/**
 * Where a legacy heap option (`taskmanager.heap.size`, `jobmanager.heap.mb`, ...) lands.
 * Flink's standalone start scripts map it to Total Flink Memory (TM) / JVM heap (JM); the
 * active resource managers (Kubernetes, YARN) and their clients map it to Total Process Memory.
 */
export type Deployment = 'active' | 'standalone';

export interface LegacyHeapOptions {
  readonly heap: FlinkOption<MemorySize>;
  readonly heapMb: FlinkOption<number>;
}

/**
 * Flink's `MemoryBackwardsCompatibilityUtils`: when the target option is not configured, copy
 * the legacy heap size into it. The `FLINK_TM_HEAP` / `FLINK_JM_HEAP` environment variables are
 * deliberately not read: the advisor judges configurations, not the shell it runs in.
 */
export function mapLegacyHeap(
  config: FlinkConfig,
  legacy: LegacyHeapOptions,
  target: FlinkOption<MemorySize>,
  version: FlinkVersionProfile,
): FlinkConfig {
  if (!version.legacyHeapOptions || isConfigured(config, target)) return config;
  let size: MemorySize;
  if (isConfigured(config, legacy.heap)) {
    size = readMemory(config, legacy.heap, version);
  } else if (isConfigured(config, legacy.heapMb)) {
    const mb = readInt(config, legacy.heapMb, version)!;
    if (mb < 0) {
      throw new IllegalConfigurationError(`Configured total process memory size (${mb}MB) must not be less than 0.`);
    }
    size = MemorySize.ofMebiBytes(mb);
  } else {
    return config;
  }
  return { ...config, [target.key]: `${size.bytes}b` };
}

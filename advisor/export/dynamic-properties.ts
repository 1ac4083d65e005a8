import { resolveFlinkVersion } from '../../flink/version.ts';
import type { Recommendation } from '../recommendation.ts';
import { pinnedConfigFor } from './pinned-config.ts';

export interface DynamicProperties {
  /** One `-Dkey=value` per line, for YARN session / application launch scripts. */
  readonly lines: readonly string[];
  /** The same as one argument string for `flink run` / `flink run-application`. */
  readonly oneLine: string;
  /** What `-D` cannot do here and the user has to do by hand. */
  readonly warnings: readonly string[];
}

/**
 * `-D` properties that move a job to the recommended memory whatever its config file says. A
 * `-D` cannot delete a key, so instead of the recommendation's minimal options every sizing
 * option is pinned (see pinned-config.ts).
 */
export function dynamicProperties(rec: Recommendation): DynamicProperties {
  const lines = Object.entries(pinnedConfigFor(rec)).map(([key, value]) => `-D${key}=${value}`);
  const warnings =
    rec.jobManager && resolveFlinkVersion(rec.flinkVersion).jobManagerTotalFlinkCheckBug
      ? [
          `Flink ${rec.flinkVersion} fails whenever jobmanager.memory.flink.size is set next to the JobManager heap and off-heap sizes (FLINK-18993): ` +
            'delete jobmanager.memory.flink.size from the config file, a -D cannot unset it',
        ]
      : [];
  return { lines, oneLine: lines.join(' '), warnings };
}

import { z } from 'zod';
import type { HistorySource } from './history-source.ts';
import type { DecisionWindows } from './job-history.ts';
import { parseSimulatedFleet } from './simulated-fleet.ts';

/** The history flags `fma train`, `evaluate` and `backtest` share (strings from commander). */
export interface HistoryFlags {
  recording?: string[];
  store?: string;
  job?: string[];
  [flag: string]: unknown;
}

/** --recording wins (ingested into --store when given), then --store, else the simulator flags. */
export function parseHistorySource(flags: HistoryFlags): HistorySource {
  if (flags.recording && flags.recording.length > 0) return { kind: 'recording', paths: flags.recording, ...(flags.store ? { store: flags.store } : {}) };
  if (flags.store) return { kind: 'store', path: flags.store };
  return { kind: 'simulator', fleet: parseSimulatedFleet(flags) };
}

const hours = (name: string) => z.coerce.number({ error: `--${name} must be a number of hours` }).positive(`--${name} must be positive`).max(24 * 60);

/** Decision windows from --lookback-hours, --horizon-hours, --step-hours (each falling back to `defaults`). */
export function parseWindows(flags: Record<string, unknown>, defaults: DecisionWindows): DecisionWindows {
  const parsed = z
    .object({ lookbackHours: hours('lookback-hours'), horizonHours: hours('horizon-hours'), stepHours: hours('step-hours') })
    .safeParse({
      lookbackHours: flags.lookbackHours ?? defaults.lookbackHours,
      horizonHours: flags.horizonHours ?? defaults.horizonHours,
      stepHours: flags.stepHours ?? defaults.stepHours,
    });
  if (!parsed.success) throw new RangeError(parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}

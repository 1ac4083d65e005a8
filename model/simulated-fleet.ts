import { z } from 'zod';
import { generateFleet } from '../simulator/fleet-generator.ts';
import { Simulation } from '../simulator/simulation.ts';
import type { JobHistory } from './job-history.ts';
import { simulatedHistories } from './simulated-histories.ts';

export interface SimulatedFleetOptions {
  jobs: number;
  seed: number;
  days: number;
  stepMinutes: number;
}

/** Histories (with ground truth) of a seeded simulated fleet, from its generation epoch onwards. */
export function simulatedFleetHistories(options: SimulatedFleetOptions): Array<Required<JobHistory>> {
  const fleet = generateFleet({ jobs: options.jobs, seed: options.seed });
  const sim = new Simulation(fleet);
  return simulatedHistories(sim, { from: fleet.epoch, to: fleet.epoch + options.days * 86_400_000, stepMs: options.stepMinutes * 60_000 });
}

/** Words for meta.json and reports. */
export function describeSimulatedFleet(o: SimulatedFleetOptions): string {
  return `simulator fleet seed ${o.seed}: ${o.jobs} jobs x ${o.days} days, sampled every ${o.stepMinutes} min`;
}

/** CLI flags for a simulated fleet (strings from commander), validated. */
export const simulatedFleetFlags = z.object({
  simulate: z.coerce.number().int().min(3, 'at least 3 jobs').max(5000),
  seed: z.coerce.number().int().min(0),
  days: z.coerce.number().min(2.5, 'at least 2.5 days (a 24 h lookback and a 24 h horizon)').max(60),
  stepMinutes: z.coerce.number().int().min(1).max(60),
});

export function parseSimulatedFleet(flags: Record<string, unknown>): SimulatedFleetOptions {
  const parsed = simulatedFleetFlags.safeParse(flags);
  if (!parsed.success) throw new RangeError(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; '));
  return { jobs: parsed.data.simulate, seed: parsed.data.seed, days: parsed.data.days, stepMinutes: parsed.data.stepMinutes };
}

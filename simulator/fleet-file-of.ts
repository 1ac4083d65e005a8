import type { FleetFile } from '../collector/fleet-file.ts';
import type { FleetSpec } from './types.ts';

/** The fleet file for a simulated fleet whose REST roots hang below `baseUrl` (e.g. http://127.0.0.1:8081). */
export function fleetFileOf(fleet: FleetSpec, baseUrl: string): FleetFile {
  return {
    fleet: 1,
    clusters: fleet.clusters.map((c) => ({
      name: c.name,
      restUrl: `${baseUrl}/clusters/${encodeURIComponent(c.name)}`,
      kind: c.kind,
      namespace: c.namespace,
      flinkVersion: fleet.flinkVersion,
    })),
    budgets: fleet.budgets,
  };
}

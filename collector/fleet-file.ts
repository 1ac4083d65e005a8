import { z } from 'zod';
import YAML from 'yaml';
import { restUrlProblem } from './rest-url.ts';
import { parseYamlInput } from './yaml-input.ts';

/**
 * A fleet file lists the Flink clusters to read (contract 4 of architecture.md). In application
 * mode, the usual one on Kubernetes, every job is its own cluster; session clusters hold many jobs.
 * Budgets (a cluster, a namespace quota, a YARN queue) cap the memory of the clusters they name.
 * YAML or JSON; `fma simulate --fleet-out` writes one.
 */
export const DeploymentKind = z.enum(['application', 'session', 'per-job']);
export type DeploymentKind = z.infer<typeof DeploymentKind>;

export const FleetCluster = z.object({
  name: z.string().min(1),
  /** The REST root, e.g. http://127.0.0.1:8081/clusters/orders (paths below it are Flink's). */
  restUrl: z.string().superRefine((url, ctx) => {
    const problem = restUrlProblem(url);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  kind: DeploymentKind,
  /** Kubernetes namespace, YARN queue or any grouping a budget can name. */
  namespace: z.string().min(1).optional(),
  /** Flink version the cluster runs, when known ahead of asking /overview. */
  flinkVersion: z.string().optional(),
});
export type FleetCluster = z.infer<typeof FleetCluster>;

export const FleetBudget = z.object({
  name: z.string().min(1),
  /** Total TaskManager process memory allowed, as a Flink memory size ("512g"). */
  total: z.string().min(1),
  /** Which clusters count against it: by namespace, or explicit cluster names. */
  namespace: z.string().min(1).optional(),
  clusters: z.array(z.string().min(1)).optional(),
});
export type FleetBudget = z.infer<typeof FleetBudget>;

export const FleetFile = z.object({
  fleet: z.literal(1, 'must be 1 (the fleet-file format version): add `fleet: 1` as the first line'),
  clusters: z.array(FleetCluster).min(1),
  budgets: z.array(FleetBudget).default([]),
});
export type FleetFile = z.infer<typeof FleetFile>;

/** Parses a fleet file's text; the error names the first offending field. */
export function parseFleetFile(text: string, source = 'fleet file'): FleetFile {
  const fleet = parseYamlInput(FleetFile, text, source);
  const names = new Set<string>();
  for (const c of fleet.clusters) {
    if (names.has(c.name)) throw new Error(`${source}: cluster name '${c.name}' appears twice`);
    names.add(c.name);
  }
  return fleet;
}

export function formatFleetFile(fleet: FleetFile): string {
  return YAML.stringify(fleet);
}

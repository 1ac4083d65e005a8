import { candidateShapes, paretoFront } from './candidates.ts';
import { fineGrainedShapes } from './fine-grained.ts';
import { sessionClusterJob } from './session-cluster.ts';
import { sessionClusterNames, type OptimizeOptions, type OptimizerInput, type OptimizerJob, type Shape } from './types.ts';

/**
 * One decision of the fleet problem: the shape of one job's TaskManagers, or of a session
 * cluster's TaskManagers that all its jobs share.
 */
export interface PlanUnit {
  /** Indices of the input jobs the shape is for. */
  jobs: number[];
  /** What the shapes were sized for (a session cluster's combined job, or the job itself). */
  job: OptimizerJob;
  sessionCluster?: string;
  /** Candidate shapes, a Pareto front (memory ascending, cost descending). */
  shapes: Shape[];
}

/** Groups the jobs into decisions and builds each one's candidate shapes. */
export function planUnits(input: OptimizerInput, options: OptimizeOptions): PlanUnit[] {
  const sessions = sessionClusterNames(input);
  const units: PlanUnit[] = [];
  const sessionUnits = new Map<string, number[]>();
  input.jobs.forEach((job, j) => {
    if (!sessions.has(job.cluster)) {
      const shapes = job.slotSharingGroups ? paretoFront(fineGrainedShapes(job, options)) : candidateShapes(job, options);
      units.push({ jobs: [j], job, shapes });
      return;
    }
    const members = sessionUnits.get(job.cluster);
    if (members) return void members.push(j);
    const placeholder: PlanUnit = { jobs: [j], job, sessionCluster: job.cluster, shapes: [] };
    sessionUnits.set(job.cluster, placeholder.jobs);
    units.push(placeholder);
  });
  for (const unit of units.filter((u) => u.sessionCluster !== undefined)) {
    unit.job = sessionClusterJob(unit.sessionCluster!, unit.jobs.map((j) => input.jobs[j]!));
    unit.shapes = candidateShapes(unit.job, options);
  }
  return units;
}

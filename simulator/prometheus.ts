import { operatorMetricName, type Simulation } from './simulation.ts';
import type { ClusterSpec } from './types.ts';

/**
 * The exposition Flink's PrometheusReporter serves for one cluster's JobManager and TaskManagers:
 * `flink_<logical scope>_<metric>` with `[^a-zA-Z0-9:_]` replaced by `_`, scope variables as
 * labels (values filtered the same way), every counter, gauge and meter typed `gauge`.
 */
export function clusterExposition(sim: Simulation, cluster: ClusterSpec, t: number): string {
  const families = new Map<string, { help: string; samples: string[] }>();
  const add = (scope: string, name: string, labels: Record<string, string>, value: number) => {
    const metric = `flink_${scope}_${filter(name)}`;
    let family = families.get(metric);
    if (!family) {
      const lastDot = name.lastIndexOf('.');
      const helpScope = lastDot < 0 ? scope : `${scope}_${filter(name.slice(0, lastDot))}`;
      family = { help: `${name.slice(lastDot + 1)} (scope: ${helpScope})`, samples: [] };
      families.set(metric, family);
    }
    const labelText = Object.entries(labels).map(([k, v]) => `${k}="${filter(v)}"`).join(',');
    family.samples.push(`${metric}{${labelText}} ${formatValue(value)}`);
  };
  const jmHost = cluster.jmHost;
  add('jobmanager', 'numRegisteredTaskManagers', { host: jmHost }, cluster.taskManagers.length);
  for (const jobId of cluster.jobIds) {
    const job = sim.jobs.get(jobId)!;
    if (job.startTime > t) continue;
    for (const [name, value] of sim.jobMetrics(jobId, t)) add('jobmanager_job', name, { job_id: job.id, job_name: job.name, host: jmHost }, value);
  }
  for (const tm of cluster.taskManagers) {
    const base = { host: tm.host, tm_id: tm.id };
    for (const [name, value] of sim.taskManagerMetrics(tm.id, t)) add('taskmanager', name, base, value);
  }
  for (const jobId of cluster.jobIds) {
    const job = sim.jobs.get(jobId)!;
    if (job.startTime > t) continue;
    const attempt = String(sim.jobStatus(jobId, t).restarts);
    for (const vertex of job.vertices) {
      sim.subtaskMetrics(jobId, vertex.id, t).forEach((metrics, i) => {
        const tm = sim.taskManagers.get(job.slots[i]!.tmId)!;
        const task = {
          host: tm.host, tm_id: tm.id, job_id: job.id, job_name: job.name, task_id: vertex.id,
          task_attempt_id: `${vertex.id.slice(0, 16)}${i.toString(16).padStart(8, '0')}${attempt.padStart(8, '0')}`,
          task_name: vertex.name, task_attempt_num: attempt, subtask_index: String(i),
        };
        for (const m of metrics) {
          if (m.operator) add('taskmanager_job_task_operator', m.name, { ...task, operator_id: vertex.id, operator_name: operatorMetricName(vertex.name) }, m.value);
          else add('taskmanager_job_task', m.name, task, m.value);
        }
      });
    }
  }
  const lines: string[] = [];
  for (const [metric, family] of families) {
    lines.push(`# HELP ${metric} ${family.help}`, `# TYPE ${metric} gauge`, ...family.samples);
  }
  return `${lines.join('\n')}\n`;
}

function filter(text: string): string {
  return text.replace(/[^a-zA-Z0-9:_]/g, '_');
}

function formatValue(v: number): string {
  if (Number.isInteger(v)) return `${v}.0`;
  return String(v);
}

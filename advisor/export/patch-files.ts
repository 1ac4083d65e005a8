import { MemorySize } from '../../flink/memory-size.ts';
import type { Recommendation } from '../recommendation.ts';
import type { ExportFormat } from './export-formats.ts';
import { patchConfigFile } from './config-file-patch.ts';
import { dynamicProperties } from './dynamic-properties.ts';
import { flinkDeploymentPatch } from './flink-deployment.ts';
import { flinkDeploymentViolations } from './flink-deployment-schema.ts';
import type { JsonObject } from './json-merge-patch.ts';
import { memoryPatchFor } from './memory-patch.ts';

/** The user's current files, when known: the patches then keep everything else in them. */
export interface ExistingConfig {
  readonly flinkConf?: string;
  readonly configYaml?: string;
  readonly flinkDeployment?: JsonObject;
}

export interface PatchFile {
  readonly name: string;
  readonly content: string;
}

export interface PatchSet {
  readonly files: readonly PatchFile[];
  readonly warnings: readonly string[];
}

/** Every requested patch file for one job, plus a README saying how to apply them. Pure. */
export function renderPatchFiles(rec: Recommendation, formats: readonly ExportFormat[], existing: ExistingConfig = {}): PatchSet {
  const { files, warnings } = configFiles(rec, formats, existing);
  files.push({ name: 'README.md', content: readme(rec, files, warnings, existing, jobHeader(rec)) });
  return { files, warnings };
}

/**
 * A session cluster's patch, written once for all its jobs (`jobs`: their recommendations, which
 * share one shape): the config files of that shape and a README that lists the jobs it serves;
 * each exported job's own folder holds only `sessionJobReadme`, pointing here (`exported`: the
 * jobs given folders, all by default; the others are listed without a link). Pure.
 */
export function renderSessionPatchFiles(jobs: readonly Recommendation[], formats: readonly ExportFormat[], exported: readonly Recommendation[] = jobs): PatchSet {
  const head = jobs[0]!;
  const session = head.sessionCluster!;
  const { files, warnings } = configFiles(head, formats, {});
  const intro = [
    `# Memory patch for session cluster ${session.name}`,
    '',
    `One TaskManager shape for the whole cluster: all its TaskManagers share one configuration, so this patch is applied once, to the cluster, for these ${jobs.length} job(s):`,
    '',
    ...jobs.map((j) => `- ${j.jobName ?? j.jobId} (\`${j.jobId}\`)${exported.some((e) => e.cluster === j.cluster && e.jobId === j.jobId) ? `: why, in [${jobDirectoryName(j)}/README.md](../${jobDirectoryName(j)}/README.md)` : ''}`),
    '',
    `${sizeChange(head)}: sized for the heaviest mix of their slots one TaskManager can host, not for any one job. Applying it restarts the cluster's TaskManagers, and with them every job above.`,
  ];
  files.push({ name: 'README.md', content: readme(head, files, warnings, {}, intro, false) });
  return { files, warnings };
}

/** What a session cluster's job folder holds: where the cluster's patch is, and this job's evidence. */
export function sessionJobReadme(rec: Recommendation): string {
  const session = rec.sessionCluster!;
  return [
    `# ${rec.jobName ?? rec.jobId} on session cluster ${session.name}`,
    '',
    `This job shares its TaskManagers with ${session.jobs.length - 1} other job(s), so its memory is the cluster's: apply [../${sessionDirectoryName(session.name)}/](../${sessionDirectoryName(session.name)}/README.md) once for all of them. No per-job memory option exists.`,
    '',
    '## Why',
    '',
    ...rec.reasons.map((r) => `- ${r}`),
    '',
  ].join('\n');
}

/** The folder of a session cluster's shared patch. */
export function sessionDirectoryName(cluster: string): string {
  return `cluster-${safeName(cluster)}`;
}

function configFiles(rec: Recommendation, formats: readonly ExportFormat[], existing: ExistingConfig): { files: PatchFile[]; warnings: string[] } {
  const patch = memoryPatchFor(rec);
  const files: PatchFile[] = [];
  const warnings: string[] = [];
  if (formats.includes('flink-conf')) {
    files.push({ name: 'flink-conf.yaml', content: patchConfigFile('flink-conf.yaml', patch, existing.flinkConf) });
  }
  if (formats.includes('config-yaml')) {
    files.push({ name: 'config.yaml', content: patchConfigFile('config.yaml', patch, existing.configYaml) });
  }
  if (formats.includes('flinkdeployment')) {
    const exported = flinkDeploymentPatch(rec, existing.flinkDeployment);
    const violations = flinkDeploymentViolations(exported.patched);
    if (violations.length > 0) {
      throw new Error(`The FlinkDeployment patch for job ${rec.jobId} does not satisfy the operator's CRD: ${violations.join('; ')}`);
    }
    warnings.push(...exported.warnings);
    files.push({ name: 'flinkdeployment-patch.json', content: `${JSON.stringify(exported.patch, null, 2)}\n` });
  }
  if (formats.includes('dynamic-properties')) {
    const props = dynamicProperties(rec);
    warnings.push(...props.warnings);
    files.push({ name: 'dynamic-properties.txt', content: `${props.lines.join('\n')}\n` });
    files.push({ name: 'flink-run-args.txt', content: `${props.oneLine}\n` });
  }
  return { files, warnings };
}

/** A folder name for the job that is safe on every file system and unique across clusters. */
export function jobDirectoryName(rec: Recommendation): string {
  const name = rec.jobName ? safeName(rec.jobName) : '';
  return name.length > 0 ? `${name}-${safeName(rec.jobId).slice(0, 8)}` : safeName(rec.jobId);
}

function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 80);
}

const mib = (bytes: number) => MemorySize.ofBytes(bytes).toConfigString();
const sizeChange = (rec: Recommendation) =>
  `TaskManager process size ${mib(rec.current.processSize)} -> ${mib(rec.recommended.processSize)} per TaskManager (${rec.taskManagers} TaskManager(s))`;

function jobHeader(rec: Recommendation): string[] {
  return [`# Memory patch for ${rec.jobName ?? rec.jobId}`, '', `Job \`${rec.jobId}\` on cluster \`${rec.cluster}\`: ${sizeChange(rec)}, risk ${rec.risk.level}.`];
}

/** `header`: the title and what the patch is for; a session cluster's leaves the reasons to its jobs' folders. */
function readme(rec: Recommendation, files: readonly PatchFile[], warnings: readonly string[], existing: ExistingConfig, header: readonly string[], withReasons = true): string {
  const names = new Set(files.map((f) => f.name));
  const out = [
    ...header,
    rec.jobManager
      ? `JobManager process size ${mib(rec.jobManager.current.processSize)} -> ${mib(rec.jobManager.recommended.processSize)}.`
      : '',
    '',
    'Only memory options change. Every patch restarts the job: take a savepoint first (or rely on your upgrade mode).',
    '',
  ];
  if (warnings.length > 0) out.push('## Warnings', '', ...warnings.map((w) => `- ${w}`), '');
  const origin = (given: boolean) =>
    given ? 'It is your file with the memory options replaced; every other line is kept.' : 'It holds only the memory options: merge them into your file and delete any other `taskmanager.memory.*` / `jobmanager.memory.*` keys there.';
  if (names.has('flink-conf.yaml')) {
    out.push('## flink-conf.yaml (Flink 1.18 and older; 1.19/1.20 when that file exists)', '', origin(existing.flinkConf !== undefined),
      'Copy it over `$FLINK_HOME/conf/flink-conf.yaml` (standalone: on every host) and restart the cluster or resubmit the job.', '');
  }
  if (names.has('config.yaml')) {
    out.push('## config.yaml (Flink 1.19+, 2.x)', '', origin(existing.configYaml !== undefined),
      'Copy it over `$FLINK_HOME/conf/config.yaml` and restart. In 1.19/1.20 a `flink-conf.yaml` in the same directory wins over it.', '');
  }
  if (names.has('flinkdeployment-patch.json')) {
    out.push('## FlinkDeployment (Flink Kubernetes Operator)', '',
      'A JSON merge patch (RFC 7386; `null` deletes a key), checked against the operator\'s FlinkDeployment CRD:', '',
      '```bash', 'kubectl patch flinkdeployment <name> --type merge --patch-file flinkdeployment-patch.json', '```', '',
      'If `job.autoscaler.memory.tuning.enabled` is true for this deployment, the operator re-applies its own memory overrides on every reconcile and they win: turn it off first.', '');
  }
  if (names.has('dynamic-properties.txt')) {
    out.push('## Dynamic properties (YARN, `flink run`)', '',
      'Every memory option pinned to its exact value, so stale keys in the config file cannot interfere.',
      '`dynamic-properties.txt` has one `-D` per line; `flink-run-args.txt` the same on one line:', '',
      '```bash', 'flink run-application -t yarn-application $(cat flink-run-args.txt) <job.jar>',
      './bin/yarn-session.sh $(cat flink-run-args.txt)', '```', '');
  }
  if (withReasons) out.push('## Why', '', ...rec.reasons.map((r) => `- ${r}`), '');
  return out.filter((line, i, all) => !(line === '' && all[i - 1] === '')).join('\n');
}

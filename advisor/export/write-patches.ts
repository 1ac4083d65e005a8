import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.ts';
import type { Recommendation } from '../recommendation.ts';
import type { ExportFormat } from './export-formats.ts';
import {
  jobDirectoryName,
  renderPatchFiles,
  renderSessionPatchFiles,
  sessionDirectoryName,
  sessionJobReadme,
  type ExistingConfig,
  type PatchFile,
} from './patch-files.ts';

export interface WrittenPatches {
  readonly directory: string;
  readonly files: readonly string[];
  readonly warnings: readonly string[];
  /** A session cluster's job: the cluster's folder, which holds the config files. */
  readonly sharedDirectory?: string;
}

/** Writes one job's patches under `<dir>/<job>/` (see renderPatchFiles for what goes in), each file atomically. */
export async function writePatches(
  dir: string,
  rec: Recommendation,
  formats: readonly ExportFormat[],
  existing: ExistingConfig = {},
): Promise<WrittenPatches> {
  const { files, warnings } = renderPatchFiles(rec, formats, existing);
  return { ...(await writeFiles(join(dir, jobDirectoryName(rec)), files)), warnings };
}

/**
 * Patches for every recommendation, in their order: a job's own under `<dir>/<job>/`; a session
 * cluster's shape once under `<dir>/cluster-<cluster>/`, each of its jobs' folders holding a README
 * that points there (one change per cluster, whatever the number of its jobs). `planned`: every
 * recommendation of the plan, so that a cluster's README names all its jobs when only some are written.
 */
export async function writeFleetPatches(
  dir: string,
  recs: readonly Recommendation[],
  formats: readonly ExportFormat[],
  planned: readonly Recommendation[] = recs,
): Promise<WrittenPatches[]> {
  const sessions = new Map<string, { directory: string; warnings: readonly string[] }>();
  const out: WrittenPatches[] = [];
  for (const rec of recs) {
    if (!rec.sessionCluster) {
      out.push(await writePatches(dir, rec, formats));
      continue;
    }
    const name = rec.sessionCluster.name;
    let shared = sessions.get(name);
    const first = !shared;
    if (!shared) {
      const { files, warnings } = renderSessionPatchFiles(planned.filter((r) => r.sessionCluster?.name === name), formats, recs);
      shared = { directory: (await writeFiles(join(dir, sessionDirectoryName(name)), files)).directory, warnings };
      sessions.set(name, shared);
    }
    const own = await writeFiles(join(dir, jobDirectoryName(rec)), [{ name: 'README.md', content: sessionJobReadme(rec) }]);
    out.push({ ...own, warnings: first ? shared.warnings : [], sharedDirectory: shared.directory });
  }
  return out;
}

async function writeFiles(directory: string, files: readonly PatchFile[]): Promise<{ directory: string; files: string[] }> {
  await Promise.all(files.map((f) => writeFileAtomic(join(directory, f.name), f.content)));
  return { directory, files: files.map((f) => join(directory, f.name)) };
}

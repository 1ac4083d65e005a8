import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.ts';
import type { Recommendation } from '../recommendation.ts';
import { jobDirectoryName, renderPatchFiles, type ExistingConfig, type ExportFormat } from './patch-files.ts';

export interface WrittenPatches {
  readonly directory: string;
  readonly files: readonly string[];
  readonly warnings: readonly string[];
}

/** Writes one job's patches under `<dir>/<job>/` (see renderPatchFiles for what goes in), each file atomically. */
export async function writePatches(
  dir: string,
  rec: Recommendation,
  formats: readonly ExportFormat[],
  existing: ExistingConfig = {},
): Promise<WrittenPatches> {
  const { files, warnings } = renderPatchFiles(rec, formats, existing);
  const directory = join(dir, jobDirectoryName(rec));
  await Promise.all(files.map((f) => writeFileAtomic(join(directory, f.name), f.content)));
  return { directory, files: files.map((f) => join(directory, f.name)), warnings };
}

import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../atomic-write.ts';

/**
 * `nightly-state.json`: which steps of the current run are done, so a run killed midway resumes
 * where it stopped (with the same run id, so the store's recommendations are replaced, not doubled).
 * Only collection and retraining are skipped on resume: the later steps are cheap and idempotent.
 */
export const nightlyStateSchema = z.object({
  runId: z.string(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().optional(),
  exitCode: z.number().int().optional(),
  collected: z.object({ at: z.iso.datetime(), partial: z.string().optional() }).optional(),
  model: z.object({ dir: z.string(), note: z.string() }).optional(),
  resumed: z.number().int().default(0),
});
export type NightlyState = z.infer<typeof nightlyStateSchema>;

const file = (dir: string) => join(dir, 'nightly-state.json');

/** The unfinished run to resume, or a new one. */
export async function beginRun(dir: string, now: Date): Promise<{ state: NightlyState; resuming: boolean }> {
  const previous = await readState(dir);
  if (previous && previous.finishedAt === undefined) {
    const state = { ...previous, resumed: previous.resumed + 1 };
    await saveState(dir, state);
    return { state, resuming: true };
  }
  const state: NightlyState = { runId: `nightly-${now.toISOString()}-${randomUUID().slice(0, 8)}`, startedAt: now.toISOString(), resumed: 0 };
  await saveState(dir, state);
  return { state, resuming: false };
}

export async function readState(dir: string): Promise<NightlyState | undefined> {
  let text: string;
  try {
    text = await readFile(file(dir), 'utf8');
  } catch {
    return undefined;
  }
  const parsed = nightlyStateSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : undefined;
}

export function saveState(dir: string, state: NightlyState): Promise<void> {
  return writeFileAtomic(file(dir), `${JSON.stringify(state, null, 2)}\n`);
}

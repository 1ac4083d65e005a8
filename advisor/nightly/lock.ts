import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Another nightly holds the output directory: the CLI maps this to ExitCode.busy. */
export class NightlyBusyError extends Error {
  override readonly name = 'NightlyBusyError';
}

export interface NightlyLock {
  /** Set when a lock left by a killed run was taken over. */
  readonly takenOverFrom?: { pid: number; startedAt: string };
  release(): Promise<void>;
}

/**
 * One nightly per output directory: `.nightly.lock` holds the owner's pid and appears with it in
 * one step (written to a private file, then hard-linked into place, which fails if the lock
 * exists), so no other run can ever read an empty lock and take it over from a live owner. A lock whose process is gone (kill -9, a crash, a reboot) is taken over, so cron never
 * needs a person to clean up; a live owner makes the second run fail with NightlyBusyError.
 */
export async function acquireNightlyLock(dir: string, now = new Date()): Promise<NightlyLock> {
  const path = join(dir, '.nightly.lock');
  let takenOverFrom: NightlyLock['takenOverFrom'];
  for (let attempt = 0; attempt < 2; attempt++) {
    const mine = `${path}.${process.pid}`;
    await writeFile(mine, JSON.stringify({ pid: process.pid, host: hostname(), startedAt: now.toISOString() }));
    try {
      await link(mine, path);
      return { ...(takenOverFrom ? { takenOverFrom } : {}), release: () => rm(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await rm(mine, { force: true });
    }
    const owner = await readOwner(path);
    if (owner && owner.host === hostname() && isAlive(owner.pid)) {
      throw new NightlyBusyError(`another fma nightly (PID ${owner.pid}, started ${owner.startedAt}) is writing to ${dir}; try again when it has finished`);
    }
    if (owner && owner.host !== hostname()) {
      throw new NightlyBusyError(`${dir} is locked by an fma nightly on host ${owner.host} (PID ${owner.pid}); remove ${path} if that run is gone`);
    }
    takenOverFrom = owner ? { pid: owner.pid, startedAt: owner.startedAt } : { pid: 0, startedAt: 'unknown' };
    await rm(path, { force: true });
  }
  throw new NightlyBusyError(`another fma nightly took the lock of ${dir} at the same moment; try again`);
}

async function readOwner(path: string): Promise<{ pid: number; host: string; startedAt: string } | undefined> {
  try {
    const owner = JSON.parse(await readFile(path, 'utf8')) as { pid?: unknown; host?: unknown; startedAt?: unknown };
    if (typeof owner.pid !== 'number') return undefined;
    return { pid: owner.pid, host: String(owner.host ?? hostname()), startedAt: String(owner.startedAt ?? 'unknown') };
  } catch {
    // Unreadable or not ours (written by hand): nobody we could wait for holds it.
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

import { readFile } from 'node:fs/promises';
import type { ClusterTarget } from './collect-live.ts';
import type { Credentials } from './credentials.ts';
import { defaultCluster } from './exchange.ts';
import type { Harvest } from './harvest.ts';
import { parseDuration } from './duration.ts';
import { checkRestUrl } from './rest-url.ts';
import type { SourceFlags } from './source-options.ts';

/**
 * Where cluster data comes from, for every command that reads a cluster (collect, record, advise,
 * train, ...): a live REST root, a fleet file of them, or recordings. `addSourceOptions`
 * (source-options.ts) declares the shared flags; `resolveSource` turns them into a `Source`.
 */
export type Source =
  | { kind: 'live'; targets: ClusterTarget[]; jobIds?: string[]; connection: Connection }
  | { kind: 'recording'; paths: string[]; jobIds?: string[] };

export interface Connection {
  concurrency: number;
  timeoutMs: number;
  retries: number;
  credentials?: Credentials;
  ca?: string;
}

/** Validates the flags; errors are meant for the user (invalid input). */
export async function resolveSource(flags: SourceFlags): Promise<Source> {
  const given = [flags.restUrl && '--rest-url', flags.fleet && '--fleet', flags.recording?.length && '--recording'].filter(Boolean);
  if (given.length !== 1) throw new Error(given.length === 0 ? 'give one of --rest-url, --fleet or --recording' : `give only one of ${given.join(', ')}`);
  if (flags.job?.length && flags.all) throw new Error('give either --job or --all, not both');
  const jobIds = flags.job?.length ? flags.job : undefined;
  if (flags.recording?.length) return { kind: 'recording', paths: flags.recording, ...(jobIds ? { jobIds } : {}) };

  // Live-only code (and YAML, for fleet files) loads only when it is needed.
  const { loadCredentials } = await import('./credentials.ts');

  const concurrency = positiveInt(flags.concurrency ?? '16', '--concurrency');
  const retries = Number(flags.retries ?? '3');
  if (!Number.isInteger(retries) || retries < 0) throw new Error(`--retries '${flags.retries}' must be a whole number >= 0`);
  const credentials = await loadCredentials({
    bearerTokenEnv: flags.bearerTokenEnv,
    bearerTokenFile: flags.bearerTokenFile,
    basicAuthEnv: flags.basicAuthEnv,
    basicAuthFile: flags.basicAuthFile,
  });
  let ca: string | undefined;
  if (flags.caFile) {
    ca = await readFile(flags.caFile, 'utf8').catch(() => {
      throw new Error(`cannot read CA file ${flags.caFile}`);
    });
  }
  const connection: Connection = {
    concurrency,
    timeoutMs: parseDuration(flags.timeout ?? '10s', '--timeout'),
    retries,
    ...(credentials ? { credentials } : {}),
    ...(ca ? { ca } : {}),
  };
  let targets: ClusterTarget[];
  if (flags.fleet) {
    const text = await readFile(flags.fleet, 'utf8').catch(() => {
      throw new Error(`cannot read fleet file ${flags.fleet}`);
    });
    const { parseFleetFile } = await import('./fleet-file.ts');
    targets = parseFleetFile(text, flags.fleet).clusters.map((c) => ({ name: c.name, restUrl: c.restUrl }));
  } else {
    targets = [{ name: flags.cluster ?? defaultCluster, restUrl: checkRestUrl(flags.restUrl!, '--rest-url') }];
  }
  return { kind: 'live', targets, connection, ...(jobIds ? { jobIds } : {}) };
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} '${text}' must be a whole number >= 1`);
  return n;
}

/** Keeps only what belongs to the given jobs (cluster-wide facts stay). */
export function filterJobs(harvest: Harvest, jobIds: string[] | undefined): Harvest {
  if (!jobIds) return harvest;
  const keep = new Set(jobIds);
  const ok = (x: { jobId?: string }) => x.jobId === undefined || keep.has(x.jobId);
  return {
    ...harvest,
    jobs: harvest.jobs.filter(ok),
    topologies: harvest.topologies.filter(ok),
    configs: harvest.configs.filter(ok),
    placements: harvest.placements.filter(ok),
    checkpoints: harvest.checkpoints.filter(ok),
    exceptions: harvest.exceptions.filter(ok),
    samples: harvest.samples.filter(ok),
  };
}

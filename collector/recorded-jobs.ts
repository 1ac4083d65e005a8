import { readRecordings } from './recording-reader.ts';

export interface RecordedJob {
  cluster: string;
  jobId: string;
  /** The latest name the recording gives the job. */
  name: string;
}

/**
 * A url field naming `/jobs/overview` or `/jobs/:id` (optionally under /v1, with a query). A line
 * with a backslash may spell its url with JSON escapes, so it is parsed too.
 */
const jobListing = /"url"\s*:\s*"(?:\/v1)?\/jobs\/[^"/?]+(?:\?[^"]*)?"|\\/;

/**
 * The jobs a recording names, from its `/jobs/overview` and `/jobs/:id` answers only: a cheap first
 * pass that finds which cluster a job runs on (and every known id, for an unknown one) before the
 * recording is ingested. Sorted by cluster, then id, as the store lists jobs.
 */
export async function recordedJobs(paths: string[]): Promise<RecordedJob[]> {
  const { harvest } = await readRecordings(paths, { line: (line) => jobListing.test(line) });
  const latest = new Map<string, RecordedJob & { ts: number }>();
  for (const j of harvest.jobs) {
    const key = `${j.cluster}\u0000${j.jobId}`;
    const seen = latest.get(key);
    if (!seen || j.ts >= seen.ts) latest.set(key, { ts: j.ts, cluster: j.cluster, jobId: j.jobId, name: j.name });
  }
  return [...latest.values()]
    .sort((a, b) => (a.cluster === b.cluster ? compare(a.jobId, b.jobId) : compare(a.cluster, b.cluster)))
    .map(({ cluster, jobId, name }) => ({ cluster, jobId, name }));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

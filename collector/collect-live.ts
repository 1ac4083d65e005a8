import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import type { Credentials } from './credentials.ts';
import type { Exchange } from './exchange.ts';
import type { Harvest } from './harvest.ts';
import { newPollMemory, pollCluster } from './poll-cluster.ts';
import { createAgent, RestClient } from './rest-client.ts';

export interface ClusterTarget {
  name: string;
  restUrl: string;
}

export interface LiveOptions {
  targets: ClusterTarget[];
  /** Only these jobs (on whichever target has them); all running jobs when absent. */
  jobIds?: string[];
  /** Concurrent requests across all clusters (default 16). */
  concurrency?: number;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  credentials?: Credentials;
  /** PEM text of a custom CA. */
  ca?: string;
  /** Poll repeatedly for this long, every `intervalMs`; one poll when absent. */
  durationMs?: number;
  intervalMs?: number;
  /** Receives each cluster's poll as soon as it is complete (the store writes it as one batch). */
  onHarvest: (harvest: Harvest, cluster: string, poll: number) => Promise<void>;
  /** Called when every harvest of a poll has been handed over and `onHarvest` is done with it. */
  onPollEnd?: (poll: number) => Promise<void>;
  /**
   * Stops polling when aborted: no poll starts, the wait between polls ends, and of a poll in
   * flight nothing more is handed over (its requests are cancelled). Harvests handed over before
   * still reach `onHarvest`; `polls` then counts the polls that completed.
   */
  signal?: AbortSignal;
  onExchange?: (exchange: Exchange) => void;
  onProgress?: (event: 'queued' | 'done') => void;
}

export interface LiveSummary {
  polls: number;
  clusters: number;
  requests: number;
  /** Jobs asked for by id that no cluster listed. */
  missingJobs: string[];
}

/**
 * Polls Flink clusters live. Clusters are polled a few at a time so that finished polls are
 * handed over (and freed) while others still run: memory stays bounded on large fleets.
 */
export async function collectLive(o: LiveOptions): Promise<LiveSummary> {
  const concurrency = o.concurrency ?? 16;
  const agent = createAgent({ connections: concurrency, ...(o.ca ? { ca: o.ca } : {}) });
  const limit = pLimit(concurrency);
  const clusterLimit = pLimit(Math.max(2, concurrency));
  const clients = o.targets.map(
    (t) =>
      [
        t.name,
        new RestClient(t.restUrl, {
          dispatcher: agent,
          ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
          ...(o.retries !== undefined ? { retries: o.retries } : {}),
          ...(o.backoffMs !== undefined ? { backoffMs: o.backoffMs } : {}),
          ...(o.credentials ? { credentials: o.credentials } : {}),
          ...(o.signal ? { signal: o.signal } : {}),
        }),
      ] as const,
  );
  let requests = 0;
  const onProgress = (event: 'queued' | 'done') => {
    if (event === 'done') requests++;
    o.onProgress?.(event);
  };
  // One writer at a time: the store has one connection and each batch is one transaction.
  let writing: Promise<void> = Promise.resolve();
  let backlog = 0;
  const maxBacklog = 8;
  const started = Date.now();
  let polls = 0;
  const seenJobs = new Set<string>();
  const memory = newPollMemory();
  const stopped = () => o.signal?.aborted === true;
  // Cancels the requests in flight at once (the clients start no more, see RestClientOptions.signal).
  const stop = () => void agent.destroy();
  o.signal?.addEventListener('abort', stop, { once: true });
  const onExchange =
    o.onExchange &&
    ((exchange: Exchange) => {
      if (!stopped()) o.onExchange!(exchange);
    });
  try {
    for (let poll = 0; !stopped(); poll++) {
      const pollStart = Date.now();
      await Promise.all(
        clients.map(([name, client]) =>
          clusterLimit(async () => {
            const harvest = await pollCluster({
              cluster: name,
              client,
              limit,
              memory,
              ...(o.jobIds ? { jobIds: o.jobIds } : {}),
              ...(onExchange ? { onExchange } : {}),
              onProgress,
            });
            if (stopped()) return;
            for (const j of harvest.jobs) seenJobs.add(j.jobId);
            const thisPoll = poll;
            backlog++;
            writing = writing.then(() => o.onHarvest(harvest, name, thisPoll)).finally(() => backlog--);
            // Hand over and go on polling; wait only when the writer falls behind (bounds memory).
            if (backlog > maxBacklog) await writing;
          }),
        ),
      );
      await writing;
      if (stopped()) break;
      await o.onPollEnd?.(poll);
      polls++;
      const interval = o.intervalMs ?? 60_000;
      if (o.durationMs === undefined || Date.now() + interval - started > o.durationMs) break;
      await sleep(Math.max(0, pollStart + interval - Date.now()), undefined, o.signal ? { signal: o.signal } : {}).catch(() => undefined);
    }
  } finally {
    o.signal?.removeEventListener('abort', stop);
    await (stopped() ? agent.destroy() : agent.close());
  }
  const missingJobs = (o.jobIds ?? []).filter((id) => !seenJobs.has(id));
  return { polls, clusters: clients.length, requests, missingJobs };
}

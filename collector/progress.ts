import cliProgress from 'cli-progress';

export interface RequestProgress {
  onProgress(event: 'queued' | 'done'): void;
  stop(): void;
}

/**
 * A progress bar of requests done / known so far, on stderr, only when stderr is a terminal
 * (never in pipes, CI logs or --json runs). The total grows as the collector discovers work.
 */
export function requestProgress(enabled: boolean): RequestProgress {
  if (!enabled || !process.stderr.isTTY) return { onProgress() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'collecting [{bar}] {value}/{total} requests', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let total = 0;
  let done = 0;
  bar.start(0, 0);
  return {
    onProgress(event) {
      if (event === 'queued') bar.setTotal(++total);
      else bar.update(++done);
    },
    stop() {
      bar.stop();
    },
  };
}

import { createWriteStream, type WriteStream } from 'node:fs';
import type { Exchange, RecordingHeader } from './exchange.ts';

/**
 * Writes a recording (contract 3): an optional header line, then one exchange per line. Only
 * what `Exchange` holds is written: never headers, so never credentials.
 */
export class RecordingWriter {
  private readonly stream: WriteStream;
  private failure: Error | undefined;
  lines = 0;

  constructor(
    path: string,
    header: RecordingHeader,
    /** Lines of this cluster are written without a "cluster" field (single-cluster recordings). */
    private readonly implicitCluster?: string,
  ) {
    this.stream = createWriteStream(path, { flags: 'w' });
    this.stream.on('error', (error) => (this.failure ??= error));
    this.stream.write(`${JSON.stringify(header)}\n`);
  }

  write(exchange: Exchange): void {
    const { cluster, ...rest } = exchange;
    const line = cluster === undefined || cluster === this.implicitCluster ? { t: rest.t, url: rest.url, status: rest.status, body: rest.body } : { t: rest.t, cluster, url: rest.url, status: rest.status, body: rest.body };
    this.stream.write(`${JSON.stringify(line)}\n`);
    this.lines++;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.stream.end(resolve));
    if (this.failure) throw new Error(`cannot write recording ${this.stream.path}: ${this.failure.message}`);
  }
}

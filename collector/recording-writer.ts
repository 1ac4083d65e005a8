import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Exchange, RecordingHeader } from './exchange.ts';

export interface RecordingWriterOptions {
  /** Lines of this cluster are written without a "cluster" field (single-cluster recordings). */
  implicitCluster?: string;
  /**
   * Leave out an answer identical (status and body) to the last one written for the same cluster
   * and URL. Readers keep the last value seen, as the store does for configs and topologies, so
   * nothing is lost; unchanging configs and metric listings are then written once, not every poll.
   */
  skipUnchanged?: boolean;
}

/**
 * Writes a recording (contract 3): an optional header line, then one exchange per line. Only
 * what `Exchange` holds is written: never headers, so never credentials. A path ending in `.gz`
 * is gzip-compressed (recordings are repetitive JSON: about a tenth of the size). The file is
 * created with the first exchange: a run that records nothing leaves no file behind (and an
 * earlier recording at that path as it was).
 */
export class RecordingWriter {
  private output: { stream: Writable; written: Promise<void> } | undefined;
  private failure: Error | undefined;
  /** Digest of the last answer written per cluster and URL (bounded by the URLs a fleet has). */
  private readonly last = new Map<string, string>();
  lines = 0;
  /** Answers left out because they repeated the last one for their URL. */
  unchanged = 0;

  constructor(
    private readonly path: string,
    private readonly header: RecordingHeader,
    private readonly options: RecordingWriterOptions = {},
  ) {}

  private open(): { stream: Writable; written: Promise<void> } {
    const file = createWriteStream(this.path, { flags: 'w' });
    const gzip = this.path.endsWith('.gz') ? createGzip() : undefined;
    const stream: Writable = gzip ?? file;
    const written = gzip ? pipeline(gzip, file) : finished(file);
    // Remembered, not thrown here: close() reports it once, with the file's name.
    written.catch((error: Error) => (this.failure ??= error));
    stream.write(`${JSON.stringify(this.header)}\n`);
    return { stream, written };
  }

  write(exchange: Exchange): void {
    const { cluster, t, url, status, body } = exchange;
    const bodyText = JSON.stringify(body) as string | undefined;
    if (this.options.skipUnchanged) {
      const key = `${cluster ?? ''}\u0000${url}`;
      const digest = createHash('sha1').update(`${status}\u0000${bodyText ?? ''}`).digest('base64');
      if (this.last.get(key) === digest) {
        this.unchanged++;
        return;
      }
      this.last.set(key, digest);
    }
    const clusterField = cluster === undefined || cluster === this.options.implicitCluster ? '' : `,"cluster":${JSON.stringify(cluster)}`;
    // Built by hand so the body is serialized once (it is also what the digest reads).
    const bodyField = bodyText === undefined ? '' : `,"body":${bodyText}`;
    this.output ??= this.open();
    this.output.stream.write(`{"t":${JSON.stringify(t)}${clusterField},"url":${JSON.stringify(url)},"status":${JSON.stringify(status)}${bodyField}}\n`);
    this.lines++;
  }

  async close(): Promise<void> {
    if (!this.output) return;
    this.output.stream.end();
    await this.output.written.catch(() => undefined);
    if (this.failure) throw new Error(`cannot write recording ${this.path}: ${this.failure.message}`);
  }
}

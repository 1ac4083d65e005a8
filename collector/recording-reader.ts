import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { defaultCluster, Exchange, RecordingHeader } from './exchange.ts';
import type { Harvest } from './harvest.ts';
import { Ingestor } from './ingest.ts';

export interface RecordingRead {
  harvest: Harvest;
  headers: RecordingHeader[];
  files: string[];
  /** Exchange lines read, and how many of them were understood. */
  lines: number;
  understood: number;
}

/** What of a recording to read; lines left out are neither parsed nor counted. */
export interface RecordingFilter {
  /** A cheap test on a raw line: false means the line cannot matter (it is not even parsed). */
  line?: (line: string) => boolean;
  /** Only exchanges of these clusters (a line without a cluster belongs to `defaultCluster`). */
  clusters?: ReadonlySet<string>;
}

/**
 * Reads recordings (contract 3): files (gzip-compressed when named `*.gz`), or directories of `*.jsonl` / `*.jsonl.gz`. Every exchange is ingested by
 * its path pattern; lines that are not JSON or not exchanges are counted in `harvest.skipped`.
 * A file of which nothing was understood (a fleet file, a header alone) is an error that names
 * it, unless the filter left some of its lines out.
 */
export async function readRecordings(paths: string[], filter: RecordingFilter = {}): Promise<RecordingRead> {
  const files = await expandRecordingPaths(paths);
  const mayMatter = lineTest(filter);
  const ingestor = new Ingestor();
  const headers: RecordingHeader[] = [];
  let lines = 0;
  let understood = 0;
  for (const file of files) {
    let first = true;
    let fileLines = 0;
    let fileUnderstood = 0;
    let leftOut = false;
    for await (const line of recordingLines(file)) {
      if (line.trim() === '') continue;
      const isFirst = first;
      first = false;
      fileLines++;
      if (!isFirst && !mayMatter(line)) {
        leftOut = true;
        continue;
      }
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        lines++;
        ingestor.skip('malformed JSON line');
        continue;
      }
      if (isFirst) {
        const header = RecordingHeader.safeParse(raw);
        if (header.success) {
          headers.push(header.data);
          continue;
        }
      }
      const exchange = Exchange.safeParse(raw);
      if (exchange.success && filter.clusters && !filter.clusters.has(exchange.data.cluster ?? defaultCluster)) {
        leftOut = true;
        continue;
      }
      lines++;
      if (!exchange.success) {
        ingestor.skip('line is not an exchange');
        continue;
      }
      if (ingestor.add(exchange.data) === undefined) fileUnderstood++;
    }
    if (fileUnderstood === 0 && !leftOut) {
      throw new Error(
        `recording ${file}: no Flink REST exchange fma understands in its ${fileLines} line(s); a recording is JSON Lines of {"t","url","status","body"} objects, one REST answer each (fma record writes them)`,
      );
    }
    understood += fileUnderstood;
  }
  return { harvest: ingestor.harvest, headers, files, lines, understood };
}

/**
 * The raw-line test of a filter. A line of a cluster holds the cluster's name, unless the name was
 * written with JSON escapes (a backslash) or the line has no cluster at all (the default cluster).
 */
function lineTest(filter: RecordingFilter): (line: string) => boolean {
  const { line: test, clusters } = filter;
  const names = clusters && !clusters.has(defaultCluster) ? [...clusters] : undefined;
  const ofCluster = names && ((line: string) => line.includes('\\') || names.some((name) => line.includes(name)));
  if (test && ofCluster) return (line) => test(line) && ofCluster(line);
  return test ?? ofCluster ?? (() => true);
}

/** A recording's lines; a file that cannot be read (or gunzipped) fails with its name. */
async function* recordingLines(file: string): AsyncGenerator<string> {
  try {
    yield* createInterface({ input: openRecording(file), crlfDelay: Infinity });
  } catch (error) {
    throw new Error(`recording ${file}: ${(error as Error).message}`);
  }
}

/** A recording's bytes, gunzipped when the name ends in `.gz`. */
function openRecording(file: string): Readable {
  const raw = createReadStream(file);
  if (!file.endsWith('.gz')) return raw;
  const gunzip = createGunzip();
  raw.on('error', (error) => gunzip.destroy(error));
  return raw.pipe(gunzip);
}

async function expandRecordingPaths(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new Error(`recording ${path}: no such file or directory`);
    }
    if (!info.isDirectory()) {
      files.push(path);
      continue;
    }
    const inside = (await readdir(path)).filter((f) => f.endsWith('.jsonl') || f.endsWith('.jsonl.gz')).sort();
    if (inside.length === 0) throw new Error(`recording directory ${path} holds no *.jsonl or *.jsonl.gz file`);
    files.push(...inside.map((f) => join(path, f)));
  }
  return files;
}

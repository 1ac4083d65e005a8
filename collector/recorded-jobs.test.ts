import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/temp-dir.ts';
import { recordedJobs } from './recorded-jobs.ts';

const sample = new URL('./fixtures/independent-capture.jsonl', import.meta.url).pathname;

describe('recordedJobs', () => {
  it('lists the jobs of the independent capture with their clusters, sorted by cluster', async () => {
    const jobs = await recordedJobs([sample]);
    expect(jobs.map((j) => j.cluster)).toEqual(['bookings-router', 'fraud-archiver-v2', 'pricing-features']);
    expect(jobs[1]).toEqual({ cluster: 'fraud-archiver-v2', jobId: '17fe7db18021af68305cdeb337433d4a', name: 'fraud-archiver-v2' });
  });

  it('finds jobs named only by /jobs/:id, under /v1 or with escaped slashes, keeping the latest name', async () => {
    const dir = await tempDir('fma-jobs-');
    const details = (t: number, url: string, jid: string, name: string) =>
      `{"t":${t},"cluster":"c","url":"${url}","status":200,"body":{"jid":"${jid}","name":"${name}","state":"RUNNING","start-time":1,"vertices":[]}}`;
    const lines = [
      details(1, '/v1/jobs/aa', 'aa', 'old'),
      details(2, '/jobs/aa?x=1', 'aa', 'new'),
      details(3, '\\/jobs\\/bb', 'bb', 'escaped'),
      // Metrics of a job name it in the url, but do not list it.
      '{"t":4,"cluster":"c","url":"/jobs/cc/metrics","status":200,"body":[]}',
    ];
    await writeFile(join(dir, 'a.jsonl'), lines.join('\n'));
    expect(await recordedJobs([dir])).toEqual([
      { cluster: 'c', jobId: 'aa', name: 'new' },
      { cluster: 'c', jobId: 'bb', name: 'escaped' },
    ]);
  });
});

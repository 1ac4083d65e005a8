import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecordings } from './recording-reader.ts';
import { RecordingWriter } from './recording-writer.ts';
import { tempDir } from '../test-support/temp-dir.ts';

const config = { t: 1000, cluster: 'a', url: '/jobmanager/config', status: 200, body: [{ key: 'taskmanager.numberOfTaskSlots', value: '2' }] };

async function written(options: ConstructorParameters<typeof RecordingWriter>[2], exchanges: Array<typeof config>) {
  const path = join(await tempDir('fma-writer-'), 'r.jsonl');
  const writer = new RecordingWriter(path, { recording: 1 }, options);
  for (const e of exchanges) writer.write(e);
  await writer.close();
  const lines = (await readFile(path, 'utf8')).trim().split('\n').slice(1).map((l) => JSON.parse(l));
  return { path, lines, writer };
}

describe('RecordingWriter', () => {
  it('leaves out an answer identical to the last one for its cluster and URL, and keeps every change', async () => {
    const changed = { ...config, t: 3000, body: [{ key: 'taskmanager.numberOfTaskSlots', value: '4' }] };
    const { path, lines, writer } = await written({ skipUnchanged: true }, [
      config,
      { ...config, t: 2000 },
      { ...config, t: 2000, cluster: 'b' },
      changed,
      { ...changed, t: 4000, status: 500 },
      { ...config, t: 5000 },
    ]);
    expect(lines.map((l) => [l.t, l.cluster])).toEqual([[1000, 'a'], [2000, 'b'], [3000, 'a'], [4000, 'a'], [5000, 'a']]);
    expect([writer.lines, writer.unchanged]).toEqual([5, 1]);
    // What is left is still a recording every reader takes: the same line shape as contract 3.
    expect(lines[0]).toEqual(config);
    const back = await readRecordings([path]);
    expect(back.lines).toBe(5);
    expect(back.harvest.configs.map((c) => c.entries['taskmanager.numberOfTaskSlots'])).toEqual(['2', '2', '4', '2']);
  });

  it('writes every answer without skipUnchanged, and no cluster field for the implicit cluster', async () => {
    const { lines } = await written({ implicitCluster: 'a' }, [config, { ...config, t: 2000 }]);
    const { cluster: _, ...withoutCluster } = config;
    expect(lines).toEqual([withoutCluster, { ...withoutCluster, t: 2000 }]);
  });

  it('writes and reads gzip-compressed recordings (*.jsonl.gz), also from a directory', async () => {
    const dir = await tempDir('fma-writer-gz-');
    const path = join(dir, 'r.jsonl.gz');
    const writer = new RecordingWriter(path, { recording: 1 });
    for (let t = 1000; t <= 3000; t += 1000) writer.write({ ...config, t });
    await writer.close();
    const bytes = await readFile(path);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]); // the gzip magic: really compressed
    for (const source of [path, dir]) {
      const back = await readRecordings([source]);
      expect([back.lines, back.understood]).toEqual([3, 3]);
      expect(back.harvest.configs).toHaveLength(3);
    }
  });

  it('names the file when a gzip recording is corrupt', async () => {
    const path = join(await tempDir('fma-writer-bad-'), 'bad.jsonl.gz');
    await writeFile(path, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02, 0x03]));
    await expect(readRecordings([path])).rejects.toThrow(/bad\.jsonl\.gz/);
  });
});

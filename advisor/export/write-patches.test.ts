import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/temp-dir.ts';
import { sampleRecommendation } from '../sample-recommendation.ts';
import { EXPORT_FORMATS, parseExportFormats } from './export-formats.ts';
import { jobDirectoryName } from './patch-files.ts';
import { writePatches } from './write-patches.ts';

describe('writePatches', () => {
  it('writes every format and a README into DIR/<job>/', async () => {
    const dir = await tempDir('fma-patches-');
    const rec = sampleRecommendation({ jobName: 'orders enrichment/v2' });
    const written = await writePatches(dir, rec, parseExportFormats('all'), {
      flinkConf: 'env.java.opts.all: -XX:+UseG1GC\ntaskmanager.memory.process.size: 4096m\n',
    });
    expect(written.directory).toBe(join(dir, 'orders-enrichment-v2-a3f1c2d4'));
    expect((await readdir(written.directory)).sort()).toEqual(
      ['README.md', 'config.yaml', 'dynamic-properties.txt', 'flink-conf.yaml', 'flink-run-args.txt', 'flinkdeployment-patch.json'],
    );
    const flinkConf = await readFile(join(written.directory, 'flink-conf.yaml'), 'utf8');
    expect(flinkConf).toContain('env.java.opts.all: -XX:+UseG1GC');
    expect(flinkConf).not.toContain('4096m');
    const readme = await readFile(join(written.directory, 'README.md'), 'utf8');
    expect(readme).toContain('kubectl patch flinkdeployment');
    expect(readme).toContain('It is your file with the memory options replaced');
    expect(readme).toContain('4096m -> 2344m per TaskManager');
    expect(JSON.parse(await readFile(join(written.directory, 'flinkdeployment-patch.json'), 'utf8'))).toMatchObject({
      spec: { taskManager: { resource: { memory: '2344m' } } },
    });
  });

  it('parses --format lists and rejects unknown names', () => {
    expect(parseExportFormats('all')).toEqual([...EXPORT_FORMATS]);
    expect(parseExportFormats('config-yaml, flinkdeployment')).toEqual(['config-yaml', 'flinkdeployment']);
    expect(() => parseExportFormats('helm')).toThrow(/Unknown export format 'helm'/);
  });

  it('names the folder after the job id when the job has no usable name', () => {
    expect(jobDirectoryName(sampleRecommendation({ jobName: '../..' }))).toBe('a3f1c2d4e5b60718293a4b5c6d7e8f90');
  });
});

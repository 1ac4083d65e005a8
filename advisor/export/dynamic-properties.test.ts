import { describe, expect, it } from 'vitest';
import { parseConfigFile, parseDynamicProperties } from '../../flink/config-file.ts';
import { deriveJobManagerMemory } from '../../flink/jobmanager-memory.ts';
import { deriveTaskManagerMemory } from '../../flink/taskmanager-memory.ts';
import { resolveFlinkVersion } from '../../flink/version.ts';
import { fromFlinkPools } from '../flink-pools.ts';
import { sampleRecommendation } from '../sample-recommendation.ts';
import { dynamicProperties } from './dynamic-properties.ts';

// -D cannot delete keys, so the file keeps every stale memory key it had.
const STALE_FILE = `taskmanager.memory.process.size: 8g
taskmanager.memory.flink.size: 6g
taskmanager.memory.managed.fraction: 0.25
taskmanager.network.memory.min: 256m
taskmanager.memory.network.fraction: 0.2
taskmanager.memory.jvm-overhead.fraction: 0.15
taskmanager.memory.size: 2g
taskmanager.network.numberOfBuffers: 9000
jobmanager.memory.process.size: 4g
jobmanager.memory.flink.size: 3g
`;

describe('dynamic properties', () => {
  for (const flinkVersion of ['1.17', '1.20', '2.0']) {
    it(`override any stale config file exactly (Flink ${flinkVersion})`, () => {
      const rec = sampleRecommendation({ flinkVersion });
      const version = resolveFlinkVersion(flinkVersion);
      const { lines, warnings } = dynamicProperties(rec);
      expect(warnings).toEqual([]);
      const config = { ...parseConfigFile('flink-conf.yaml', STALE_FILE).config, ...parseDynamicProperties(lines.map((l) => l.slice(2))) };
      expect(fromFlinkPools(deriveTaskManagerMemory(config, version))).toEqual(rec.recommended.pools);
      expect(deriveJobManagerMemory(config, version).totalProcess.toNumber()).toBe(rec.jobManager!.recommended.processSize);
    });
  }

  it('on Flink 1.11.1 leaves the JobManager flink size out and says to delete a stale one (FLINK-18993)', () => {
    const rec = sampleRecommendation({ flinkVersion: '1.11.1' });
    const { lines, warnings } = dynamicProperties(rec);
    expect(warnings.join()).toMatch(/delete jobmanager.memory.flink.size/);
    const file = STALE_FILE.replace('jobmanager.memory.flink.size: 3g\n', '');
    const config = { ...parseConfigFile('flink-conf.yaml', file).config, ...parseDynamicProperties(lines.map((l) => l.slice(2))) };
    const version = resolveFlinkVersion('1.11.1');
    expect(fromFlinkPools(deriveTaskManagerMemory(config, version))).toEqual(rec.recommended.pools);
    expect(deriveJobManagerMemory(config, version).totalProcess.toNumber()).toBe(rec.jobManager!.recommended.processSize);
  });

  it('gives one -D per line and the same on one line', () => {
    const { lines, oneLine } = dynamicProperties(sampleRecommendation());
    expect(lines.every((l) => /^-D[a-z.-]+=\d+[mb]$/.test(l))).toBe(true);
    expect(oneLine).toBe(lines.join(' '));
    expect(lines).toContain('-Dtaskmanager.memory.task.heap.size=900m');
  });
});

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/run-cli.ts';

describe('fma memory', () => {
  it('prints the TaskManager contract JSON from -D options', async () => {
    const run = await runCli(['memory', '-D', 'taskmanager.memory.process.size=1728m', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      frameworkHeap: 134217728, taskHeap: 402653174, frameworkOffHeap: 134217728, taskOffHeap: 0,
      managed: 536870920, network: 134217730, metaspace: 268435456, overhead: 201326592,
      totalFlink: 1342177280, totalProcess: 1811939328, jvmHeap: 536870902, jvmDirect: 268435458,
      jvmArgs: '-Xmx536870902 -Xms536870902 -XX:MaxDirectMemorySize=268435458 -XX:MaxMetaspaceSize=268435456',
    });
  });

  it('exits 2 with Flink\'s message for an invalid configuration', async () => {
    const run = await runCli(['memory', '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error).toMatch(/^TaskManager memory configuration failed: Either required fine-grained memory/);
  });

  it('reads a conf directory with the version\'s precedence, -D overriding, and prints the JobManager breakdown', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fma-memory-'));
    await writeFile(join(dir, 'flink-conf.yaml'), 'jobmanager.memory.process.size: 1600m\n');
    await writeFile(join(dir, 'config.yaml'), 'jobmanager:\n  memory:\n    process.size: 2g\n');
    const legacy = await runCli(['memory', '--component', 'jobmanager', '--config', dir, '--flink-version', '1.19', '--json']);
    expect(JSON.parse(legacy.stdout).jvmHeap).toBe(1073741824);
    const v2 = await runCli(['memory', '--component', 'jobmanager', '--config', dir, '--flink-version', '2.0', '-Djobmanager.memory.off-heap.size=256m']);
    expect(v2.code).toBe(0);
    expect(v2.stdout).toContain('Final Master Memory configuration:');
    expect(v2.stdout).toMatch(/Off-heap: +256\.000mb \(268435456 bytes\)/);
  });
});

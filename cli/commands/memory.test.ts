import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/run-cli.ts';
import { tempDir } from '../../test-support/temp-dir.ts';

const DEFAULT_TM = {
  frameworkHeap: 134217728, taskHeap: 402653174, frameworkOffHeap: 134217728, taskOffHeap: 0,
  managed: 536870920, network: 134217730, metaspace: 268435456, overhead: 201326592,
  totalFlink: 1342177280, totalProcess: 1811939328, jvmHeap: 536870902, jvmDirect: 268435458,
  jvmArgs: '-Xmx536870902 -Xms536870902 -XX:MaxDirectMemorySize=268435458 -XX:MaxMetaspaceSize=268435456',
};

/** Runs `fma memory ... --json` and returns exit code, parsed stdout and stderr. */
async function memoryJson(args: string[]) {
  const run = await runCli(['memory', ...args, '--json']);
  return { code: run.code, json: JSON.parse(run.stdout) as Record<string, unknown>, stderr: run.stderr };
}

describe('fma memory', () => {
  it('prints only the contract JSON, keys in contract order, for every --flink-version spelling', async () => {
    const runs = await Promise.all(
      ['1.17', '1.17.2', '2.0', '2.1'].map((v) => runCli(['memory', '-D', 'taskmanager.memory.process.size=1728m', '--flink-version', v, '--json'])),
    );
    for (const run of runs) {
      expect(run.code).toBe(0);
      expect(Object.keys(JSON.parse(run.stdout))).toEqual(Object.keys(DEFAULT_TM));
      expect(JSON.parse(run.stdout)).toEqual(DEFAULT_TM);
      expect(run.stdout.trim().startsWith('{') && run.stdout.trim().endsWith('}')).toBe(true);
    }
  });

  it('exits 2 with {"error"} in Flink\'s words: prefixed configuration failures, unprefixed parse failures', async () => {
    const [none, tooSmall, emptyValue, badFloat, jm] = await Promise.all([
      memoryJson([]),
      memoryJson(['-Dtaskmanager.memory.process.size=700m', '--flink-version', '1.17']),
      memoryJson(['-D', 'taskmanager.memory.process.size=']),
      memoryJson(['-D', 'taskmanager.memory.process.size=1g', '-D', 'taskmanager.memory.managed.fraction=0,4']),
      memoryJson(['--component', 'jobmanager', '-D', 'jobmanager.memory.process.size=576m']),
    ]);
    for (const run of [none, tooSmall, emptyValue, badFloat, jm]) expect(run.code).toBe(2);
    expect(none.json.error).toMatch(/^TaskManager memory configuration failed: Either required fine-grained memory/);
    expect(tooSmall.json.error).toBe(
      'TaskManager memory configuration failed: Sum of configured Framework Heap Memory (128.000mb (134217728 bytes)), Framework Off-Heap Memory (128.000mb (134217728 bytes)), Task Off-Heap Memory (0 bytes), Managed Memory (100.800mb (105696462 bytes)) and Network Memory (64.000mb (67108864 bytes)) exceed configured Total Flink Memory (252.000mb (264241152 bytes)).',
    );
    expect(emptyValue.json.error).toBe("TaskManager memory configuration failed: Cannot read memory size from config option 'taskmanager.memory.process.size'.");
    expect(badFloat.json.error).toBe("Could not parse value '0,4' for key 'taskmanager.memory.managed.fraction'.");
    expect(jm.json.error).toBe(
      'JobManager memory configuration failed: The configured Total Flink Memory (128.000mb (134217728 bytes)) is less than the configured Off-heap Memory (128.000mb (134217728 bytes)).',
    );
  });

  it('reads a single file with the parser of the version: flink-conf.yaml for 1.17, standard YAML for 2.x', async () => {
    const dir = await tempDir('fma-memory-');
    const flat = join(dir, 'flink-conf.yaml');
    await writeFile(flat, 'taskmanager.memory.process.size: 1728m\ntaskmanager.memory.managed.fraction: 0.4 # default\n');
    const nested = join(dir, 'tm.yaml');
    await writeFile(nested, 'taskmanager:\n  memory:\n    process.size: 1728m\n    managed:\n      fraction: 4e-1\n');
    const [v117, v20, legacyV120, legacyV20] = await Promise.all([
      memoryJson(['--config', flat, '--flink-version', '1.17']),
      memoryJson(['--config', nested, '--flink-version', '2.0']),
      memoryJson(['-D', 'taskmanager.heap.size=1728m', '--flink-version', '1.20']),
      memoryJson(['-D', 'taskmanager.heap.size=1728m', '--flink-version', '2.0']),
    ]);
    expect(v117.json).toEqual(DEFAULT_TM);
    expect(v20.json).toEqual(DEFAULT_TM);
    expect(legacyV120.json).toEqual(DEFAULT_TM);
    expect(legacyV20.code).toBe(2);
  });

  it('reads a conf directory with the version\'s precedence, -D overriding, and prints the JobManager breakdown', async () => {
    const dir = await tempDir('fma-memory-');
    await writeFile(join(dir, 'flink-conf.yaml'), 'jobmanager.memory.process.size: 1600m\n');
    await writeFile(join(dir, 'config.yaml'), 'jobmanager:\n  memory:\n    process.size: 2g\n    enable-jvm-direct-memory-limit: yes\n');
    const [legacy, v2, text] = await Promise.all([
      memoryJson(['--component', 'jobmanager', '--config', dir, '--flink-version', '1.19']),
      memoryJson(['--component', 'jobmanager', '--config', dir, '--flink-version', '2.0']),
      runCli(['memory', '--component', 'jobmanager', '--config', dir, '--flink-version', '2.0', '-Djobmanager.memory.off-heap.size=256m']),
    ]);
    expect(legacy.json).toEqual({
      jvmHeap: 1073741824, offHeap: 134217728, metaspace: 268435456, overhead: 201326592, totalFlink: 1207959552, totalProcess: 1677721600,
      jvmArgs: '-Xmx1073741824 -Xms1073741824 -XX:MaxMetaspaceSize=268435456',
    });
    // 2g: overhead trunc(2g x 0.1f) = 214748368, flink = 2g - 256m - 214748368
    expect(v2.json).toMatchObject({ overhead: 214748368, jvmHeap: 2147483648 - 268435456 - 214748368 - 134217728, offHeap: 134217728 });
    expect(v2.json.jvmArgs).toContain('-XX:MaxDirectMemorySize=134217728');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Final Master Memory configuration:');
    expect(text.stdout).toMatch(/Off-heap: +256\.000mb \(268435456 bytes\)/);
  });
});

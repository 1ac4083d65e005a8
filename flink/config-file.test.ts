import { describe, expect, it } from 'vitest';
import { confDirectoryFile, editConfigFile, parseConfigFile, parseDynamicProperties } from './config-file.ts';
import { deriveTaskManagerMemory } from './taskmanager-memory.ts';
import { resolveFlinkVersion } from './version.ts';

describe('flink-conf.yaml (legacy flat format)', () => {
  const text = '# comment\ntaskmanager.memory.process.size: 1728m # trailing\nnot a pair\nkey:nospace\nempty: \nurl: http://x:1/a\nsecurity.thing: keep-me\n';

  it('reads keys as Flink\'s line parser does', () => {
    expect(parseConfigFile('flink-conf.yaml', text).config).toEqual({
      'taskmanager.memory.process.size': '1728m',
      url: 'http://x:1/a',
      'security.thing': 'keep-me',
    });
  });

  it('edits keys and keeps every other line', () => {
    const edited = editConfigFile(parseConfigFile('flink-conf.yaml', text), {
      'taskmanager.memory.process.size': undefined,
      'taskmanager.memory.task.heap.size': '400m',
    });
    expect(edited).toBe('# comment\nnot a pair\nkey:nospace\nempty: \nurl: http://x:1/a\nsecurity.thing: keep-me\ntaskmanager.memory.task.heap.size: 400m\n');
  });
});

describe('config.yaml (standard YAML, 1.19+)', () => {
  const text = '# cluster\ntaskmanager:\n  memory:\n    process.size: 1728m # pod\n    managed:\n      fraction: 4e-1\njobmanager.memory.process.size: 1600m\nbig: 9223372036854775807\n';

  it('flattens nested keys and keeps typed numbers exact', () => {
    expect(parseConfigFile('config.yaml', text).config).toEqual({
      'taskmanager.memory.process.size': '1728m',
      'taskmanager.memory.managed.fraction': '0.4',
      'jobmanager.memory.process.size': '1600m',
      big: '9223372036854775807',
    });
    expect(deriveTaskManagerMemory(parseConfigFile('config.yaml', text).config).managed.bytes).toBe(536870920n);
  });

  it('edits a nested key in place, adds new keys flat and keeps comments', () => {
    const edited = editConfigFile(parseConfigFile('config.yaml', text), {
      'taskmanager.memory.process.size': '2g',
      'taskmanager.memory.managed.fraction': undefined,
      'taskmanager.memory.network.min': '32m',
    });
    expect(edited).toContain('# cluster');
    expect(edited).toContain('process.size: 2g # pod');
    expect(parseConfigFile('config.yaml', edited).config).toEqual({
      'taskmanager.memory.process.size': '2g',
      'jobmanager.memory.process.size': '1600m',
      big: '9223372036854775807',
      'taskmanager.memory.network.min': '32m',
    });
  });
});

describe('conf directory precedence and -D', () => {
  it('picks the file each Flink version reads', () => {
    const both = { flinkConfYaml: true, configYaml: true };
    expect(confDirectoryFile(both, resolveFlinkVersion('1.18'))).toBe('flink-conf.yaml');
    expect(confDirectoryFile(both, resolveFlinkVersion('1.19'))).toBe('flink-conf.yaml');
    expect(confDirectoryFile({ flinkConfYaml: false, configYaml: true }, resolveFlinkVersion('1.19'))).toBe('config.yaml');
    expect(confDirectoryFile({ flinkConfYaml: false, configYaml: true }, resolveFlinkVersion('1.18'))).toBeUndefined();
    expect(confDirectoryFile(both, resolveFlinkVersion('2.0'))).toBe('config.yaml');
  });

  it('parses -D key=value at the first "="', () => {
    expect(parseDynamicProperties(['a=1', 'b = x=y', 'a=2'])).toEqual({ a: '2', b: 'x=y' });
    expect(() => parseDynamicProperties(['novalue'])).toThrow(/expected key=value/);
  });
});

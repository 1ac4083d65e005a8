import { describe, expect, it } from 'vitest';
import { confDirectoryFile, editConfigFile, fileFormatFor, parseConfigFile, parseConfigYaml, parseDynamicProperties, parseFlinkConfYaml } from './config-file.ts';
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

  it('parses -D like commons-cli: first "=", nothing trimmed, bare key = "true", later wins', () => {
    expect(parseDynamicProperties(['a=1', 'b = x=y', 'a=2', 'flag', 'empty='])).toEqual({ a: '2', 'b ': ' x=y', flag: 'true', empty: '' });
  });

  it('picks the parser per version for a single file', () => {
    expect(fileFormatFor('conf/config.yaml', resolveFlinkVersion('1.18'))).toBe('flink-conf.yaml');
    expect(fileFormatFor('conf/flink-conf.yaml', resolveFlinkVersion('1.19'))).toBe('flink-conf.yaml');
    expect(fileFormatFor('conf/config.yaml', resolveFlinkVersion('1.19'))).toBe('config.yaml');
    expect(fileFormatFor('tm.yaml', resolveFlinkVersion('2.0'))).toBe('config.yaml');
    expect(fileFormatFor('flink-conf.yaml', resolveFlinkVersion('2.1'))).toBe('config.yaml');
  });
});

describe('how Flink reads values', () => {
  it('flink-conf.yaml: \\r line ends, empty values and lines without ": " are skipped', () => {
    expect(parseFlinkConfYaml('a: 1\rb: 2\r\nc:\nd: \ne:3\n : 4\n')).toEqual({ a: '1', b: '2' });
  });

  it('config.yaml: YAML 1.1 scalars as SnakeYAML types them, printed as Java prints them', () => {
    const config = parseConfigYaml('a: 012\nb: 0x10\nc: 1_000\nd: yes\ne: 1e3\nf: .5\ng: 1728m\nh: "0.4"\ni: \'\'\n');
    expect(config).toEqual({ a: '10', b: '16', c: '1000', d: 'true', e: '1000.0', f: '0.5', g: '1728m', h: '0.4', i: '' });
  });

  it('config.yaml: a null value, a duplicate key or a non-map document fails the whole load', () => {
    expect(() => parseConfigYaml('taskmanager.memory.process.size:\n')).toThrow(/^Error parsing YAML configuration\./);
    expect(() => parseConfigYaml('a: ~\n')).toThrow(/^Error parsing YAML configuration\./);
    expect(() => parseConfigYaml('a: 1\na: 2\n')).toThrow(/^Error parsing YAML configuration\./);
    expect(() => parseConfigYaml('just text\n')).toThrow(/^Error parsing YAML configuration\./);
    expect(parseConfigYaml('# only comments\n')).toEqual({});
  });

  it('an empty value is configured but unreadable: the branch is chosen, then reading fails', () => {
    const config = { ...parseConfigYaml("taskmanager.memory.flink.size: ''\n"), 'taskmanager.memory.process.size': '1728m' };
    expect(() => deriveTaskManagerMemory(config)).toThrow(
      "TaskManager memory configuration failed: Cannot read memory size from config option 'taskmanager.memory.flink.size'.",
    );
  });
});

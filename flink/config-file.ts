import { isMap, isScalar, parseDocument, type Document, type Pair, type YAMLMap } from 'yaml';
import type { FlinkConfig } from './config.ts';
import { javaDoubleToString, javaTrim } from './java-number.ts';
import type { FlinkVersionProfile } from './version.ts';

/**
 * Flink's two configuration file formats, read as Flink reads them, and edited without losing
 * what the advisor does not understand (other keys, comments, layout).
 */
export type ConfigFileFormat = 'flink-conf.yaml' | 'config.yaml';

export interface ParsedConfigFile {
  readonly format: ConfigFileFormat;
  /** The keys Flink sees, flattened. */
  readonly config: FlinkConfig;
  /** The file as it was, for later edits with `editConfigFile`. */
  readonly text: string;
}

/** The format a file is in, by its name: `config.yaml` is standard YAML, anything else the legacy flat format. */
export function formatOfFileName(fileName: string): ConfigFileFormat {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base === 'config.yaml' ? 'config.yaml' : 'flink-conf.yaml';
}

export function parseConfigFile(format: ConfigFileFormat, text: string): ParsedConfigFile {
  return { format, text, config: format === 'config.yaml' ? parseConfigYaml(text) : parseFlinkConfYaml(text) };
}

/**
 * Which file of a conf directory Flink reads: until 1.18 only `flink-conf.yaml`; 1.19-1.20
 * `flink-conf.yaml` if present, else `config.yaml`; 2.x only `config.yaml`.
 */
export function confDirectoryFile(
  present: { readonly flinkConfYaml: boolean; readonly configYaml: boolean },
  version: FlinkVersionProfile,
): ConfigFileFormat | undefined {
  if (version.readsFlinkConfYaml && present.flinkConfYaml) return 'flink-conf.yaml';
  if (version.readsConfigYaml && present.configYaml) return 'config.yaml';
  return undefined;
}

interface FlatLine {
  readonly key: string;
  readonly value: string;
}

/** Flink's legacy line parser: text before the first `#`, split at the first ": ", both sides trimmed, empty sides ignored. */
function parseFlatLine(line: string): FlatLine | undefined {
  const content = javaTrim(line.split('#', 1)[0] ?? '');
  const separator = content.indexOf(': ');
  if (separator < 0) return undefined;
  const key = javaTrim(content.slice(0, separator));
  const value = javaTrim(content.slice(separator + 2));
  return key.length > 0 && value.length > 0 ? { key, value } : undefined;
}

export function parseFlinkConfYaml(text: string): FlinkConfig {
  const config: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const entry = parseFlatLine(line);
    if (entry) config[entry.key] = entry.value;
  }
  return config;
}

function loadYaml(text: string): Document {
  const doc = parseDocument(text, { intAsBigInt: true, uniqueKeys: false });
  if (doc.errors.length > 0) throw new Error(`Invalid config.yaml: ${doc.errors[0]!.message}`);
  return doc;
}

/** A YAML scalar as the string Flink's conversion of the typed value would see. */
function scalarText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return javaDoubleToString(value);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((v) => scalarText(v) ?? '').join(';');
  return String(value);
}

/** Standard YAML (1.19+): nested maps are flattened with "." into Flink's keys. */
export function parseConfigYaml(text: string): FlinkConfig {
  const config: Record<string, string> = {};
  const visit = (value: unknown, prefix: string) => {
    if (value instanceof Map) {
      for (const [k, v] of value) visit(v, prefix ? `${prefix}.${String(k)}` : String(k));
      return;
    }
    const scalar = scalarText(value);
    if (scalar !== undefined && prefix) config[prefix] = scalar;
  };
  visit(loadYaml(text).toJS({ mapAsMap: true }), '');
  return config;
}

/** `-D key=value` arguments: split at the first "="; later ones win. */
export function parseDynamicProperties(definitions: readonly string[]): FlinkConfig {
  const config: Record<string, string> = {};
  for (const definition of definitions) {
    const separator = definition.indexOf('=');
    const key = separator < 0 ? '' : definition.slice(0, separator).trim();
    if (key.length === 0) throw new Error(`Invalid dynamic property '${definition}': expected key=value`);
    config[key] = definition.slice(separator + 1).trim();
  }
  return config;
}

/**
 * Sets (string value) or removes (undefined) keys in a configuration file and returns its new
 * text. Everything else, comments included, stays as it was. In `config.yaml` a key is changed
 * where it already lives, nested or flat; new keys are added flat at the top level.
 */
export function editConfigFile(file: ParsedConfigFile, changes: Readonly<Record<string, string | undefined>>): string {
  return file.format === 'config.yaml' ? editConfigYaml(file.text, changes) : editFlinkConfYaml(file.text, changes);
}

function editFlinkConfYaml(text: string, changes: Readonly<Record<string, string | undefined>>): string {
  const lines = text.split(/\r?\n/);
  const trailingNewline = lines.length > 0 && lines[lines.length - 1] === '';
  if (trailingNewline) lines.pop();
  const lastIndex = new Map<string, number>();
  lines.forEach((line, i) => {
    const entry = parseFlatLine(line);
    if (entry) lastIndex.set(entry.key, i);
  });
  const out: string[] = [];
  lines.forEach((line, i) => {
    const entry = parseFlatLine(line);
    if (!entry || !Object.hasOwn(changes, entry.key)) return void out.push(line);
    const value = changes[entry.key];
    if (value !== undefined && lastIndex.get(entry.key) === i) out.push(`${entry.key}: ${value}`);
  });
  for (const [key, value] of Object.entries(changes)) {
    if (value !== undefined && !lastIndex.has(key)) out.push(`${key}: ${value}`);
  }
  return `${out.join('\n')}\n`;
}

/** The pairs holding `key`, found through nested maps whose dotted path is a prefix of it. */
function findPairs(map: YAMLMap, key: string, prefix = ''): Array<{ map: YAMLMap; pair: Pair }> {
  const found: Array<{ map: YAMLMap; pair: Pair }> = [];
  for (const pair of map.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const full = prefix ? `${prefix}.${name}` : name;
    if (full === key) found.push({ map, pair });
    else if (key.startsWith(`${full}.`) && isMap(pair.value)) found.push(...findPairs(pair.value, key, full));
  }
  return found;
}

function editConfigYaml(text: string, changes: Readonly<Record<string, string | undefined>>): string {
  const doc = loadYaml(text);
  if (doc.contents === null) doc.contents = doc.createNode({}) as YAMLMap;
  const root = doc.contents;
  if (!isMap(root)) throw new Error('config.yaml must hold a map at its top level');
  for (const [key, value] of Object.entries(changes)) {
    const found = findPairs(root, key);
    if (value === undefined) {
      for (const { map, pair } of found) map.items.splice(map.items.indexOf(pair), 1);
    } else if (found.length > 0) {
      for (const { pair } of found) {
        // Change a scalar in place so its comments stay attached.
        if (isScalar(pair.value)) pair.value.value = value;
        else pair.value = doc.createNode(value);
      }
    } else {
      root.set(key, value);
    }
  }
  return doc.toString();
}

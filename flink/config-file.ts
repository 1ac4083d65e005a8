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

/**
 * The format Flink would read a configuration file in: 2.x only has the standard YAML parser;
 * 1.19-1.20 use it for `config.yaml` and the flat parser for `flink-conf.yaml`; older releases
 * only have the flat parser. Other file names follow the newest parser the version has.
 */
export function fileFormatFor(fileName: string, version: FlinkVersionProfile): ConfigFileFormat {
  if (!version.readsConfigYaml) return 'flink-conf.yaml';
  if (!version.readsFlinkConfYaml) return 'config.yaml';
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base === 'flink-conf.yaml' ? 'flink-conf.yaml' : 'config.yaml';
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
  // Java's readLine ends a line at \n, \r or \r\n.
  for (const line of text.split(/\r\n|\r|\n/)) {
    const entry = parseFlatLine(line);
    if (entry) config[entry.key] = entry.value;
  }
  return config;
}

/** For edits: lenient, so a file Flink would reject can still be repaired. */
function loadYaml(text: string): Document {
  const doc = parseDocument(text, { intAsBigInt: true, uniqueKeys: false });
  if (doc.errors.length > 0) throw new Error(`Invalid config.yaml: ${doc.errors[0]!.message}`);
  return doc;
}

/**
 * How Flink loads config.yaml: SnakeYAML, i.e. YAML 1.1 scalars (yes/no/on/off booleans, 0x/0
 * octal/underscored ints), duplicate keys rejected. Flink fails the whole load ("Error parsing
 * YAML configuration.") on a syntax error, a duplicate key or a null value.
 */
function loadFlinkYaml(text: string): unknown {
  const doc = parseDocument(text, { version: '1.1', intAsBigInt: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw new Error(`Error parsing YAML configuration. ${doc.errors[0]!.message}`);
  return doc.toJS({ mapAsMap: true });
}

/** A YAML scalar as the string Flink's conversion of the typed value would see. */
function scalarText(value: unknown): string {
  if (value === null || value === undefined) {
    // Configuration.setValueInternal rejects a null value, failing the whole file.
    throw new Error('Error parsing YAML configuration. A key has no value (null).');
  }
  if (typeof value === 'number') return javaDoubleToString(value);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((v) => scalarText(v)).join(';');
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
    if (prefix) config[prefix] = scalarText(value);
  };
  const document = loadFlinkYaml(text);
  if (document !== null && !(document instanceof Map)) {
    throw new Error('Error parsing YAML configuration. The document is not a map of keys.');
  }
  visit(document, '');
  return config;
}

/**
 * `-D key=value` arguments as Flink's command lines read them (commons-cli with "=" as value
 * separator): split at the first "=", nothing trimmed, a bare `-D key` means "true", later ones win.
 */
export function parseDynamicProperties(definitions: readonly string[]): FlinkConfig {
  const config: Record<string, string> = {};
  for (const definition of definitions) {
    const separator = definition.indexOf('=');
    if (separator < 0) config[definition] = 'true';
    else config[definition.slice(0, separator)] = definition.slice(separator + 1);
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

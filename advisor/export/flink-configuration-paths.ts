import { isJsonObject, type Json, type JsonObject } from './json-merge-patch.ts';

/**
 * A FlinkDeployment's `spec.flinkConfiguration` may hold flat dotted keys or nested maps (the
 * operator flattens them with "."), so one option can sit at several JSON paths. These helpers
 * find where a key lives, so a patch edits it there instead of adding a second copy.
 */

/** The JSON path of every leaf that spells `key`. */
export function pathsOfKey(config: JsonObject, key: string, prefix: readonly string[] = []): string[][] {
  const found: string[][] = [];
  for (const [name, value] of Object.entries(config)) {
    const full = [...prefix, name];
    const dotted = full.join('.');
    if (dotted === key && !isJsonObject(value)) found.push(full);
    else if (isJsonObject(value) && key.startsWith(`${dotted}.`)) found.push(...pathsOfKey(value, key, full));
  }
  return found;
}

/** Where a new key goes: under the deepest existing map that spells a prefix of it. */
export function pathForNewKey(config: JsonObject, key: string, prefix: readonly string[] = []): string[] {
  for (const [name, value] of Object.entries(config)) {
    const full = [...prefix, name];
    if (isJsonObject(value) && key.startsWith(`${full.join('.')}.`)) return pathForNewKey(value, key, full);
  }
  const rest = prefix.length === 0 ? key : key.slice(prefix.join('.').length + 1);
  return [...prefix, rest];
}

/** The flattened string map Flink sees, as the operator builds it from the CR. */
export function flattenFlinkConfiguration(config: JsonObject, prefix = ''): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(config)) {
    const key = prefix === '' ? name : `${prefix}.${name}`;
    if (isJsonObject(value)) Object.assign(flat, flattenFlinkConfiguration(value, key));
    else if (value !== null) flat[key] = scalarText(value);
  }
  return flat;
}

function scalarText(value: Json): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Sets `value` at `path` inside `target`, creating the maps on the way. */
export function setAtPath(target: JsonObject, path: readonly string[], value: Json): void {
  let node = target;
  for (const segment of path.slice(0, -1)) {
    const next = node[segment];
    if (isJsonObject(next)) node = next;
    else {
      const created: JsonObject = {};
      node[segment] = created;
      node = created;
    }
  }
  node[path.at(-1)!] = value;
}

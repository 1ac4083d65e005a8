import { editConfigFile, parseConfigFile, type ConfigFileFormat } from '../../flink/config-file.ts';
import type { MemoryPatch } from './memory-patch.ts';

/**
 * The user's `flink-conf.yaml` (flat, Flink <= 1.18) or `config.yaml` (standard YAML, 1.19+)
 * with the memory patch applied: patched keys are set where they live, conflicting ones removed,
 * every other key and comment kept. Without a file, a fresh one holding only the memory keys.
 */
export function patchConfigFile(format: ConfigFileFormat, patch: MemoryPatch, existing = ''): string {
  const changes: Record<string, string | undefined> = Object.fromEntries(patch.remove.map((key) => [key, undefined]));
  Object.assign(changes, patch.set);
  return editConfigFile(parseConfigFile(format, existing), changes);
}

import type { MemoryFailureKind } from './harvest.ts';

/**
 * Tells which memory pool an exception points at, from its name and text. Flink's own messages
 * (TaskManagerExceptionUtils, NetworkBufferPool) and the JVM's OutOfMemoryError texts decide.
 */
const rules: Array<[RegExp, MemoryFailureKind]> = [
  [/OutOfMemoryError:\s*Metaspace/i, 'metaspace'],
  [/OutOfMemoryError:\s*Direct buffer memory/i, 'direct'],
  [/OutOfMemoryError:\s*(Java heap space|GC overhead limit exceeded|Requested array size)/i, 'heap'],
  [/Insufficient number of network buffers/i, 'network-buffers'],
  [/(exceed(s|ed|ing)? (its |the )?(physical )?memory limit|OOMKilled|exit code:? 137|Container released on a \*lost\* node)/i, 'container'],
  [/OutOfMemoryError/i, 'other-oom'],
];

export function classifyMemoryFailure(text: string): MemoryFailureKind | undefined {
  for (const [pattern, kind] of rules) if (pattern.test(text)) return kind;
  return undefined;
}

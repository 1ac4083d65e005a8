import type { JobManagerMemory } from './jobmanager-memory.ts';
import type { MemorySize } from './memory-size.ts';
import type { TaskManagerMemory } from './taskmanager-memory.ts';

/** The breakdown Flink logs when a process starts ("Final TaskExecutor Memory configuration: ..."). */
function render(title: string, rows: ReadonlyArray<readonly [depth: number, label: string, size: MemorySize]>): string {
  const width = Math.max(...rows.map(([depth, label]) => depth * 2 + label.length + 1));
  const lines = rows.map(([depth, label, size]) => `${' '.repeat(depth * 2)}${`${label}:`.padEnd(width - depth * 2)} ${size.toHumanReadableString()}`);
  return [title, ...lines].join('\n');
}

export function taskManagerBreakdown(m: TaskManagerMemory): string {
  return render('Final TaskExecutor Memory configuration:', [
    [1, 'Total Process Memory', m.totalProcess],
    [2, 'Total Flink Memory', m.totalFlink],
    [3, 'Total JVM Heap Memory', m.jvmHeap],
    [4, 'Framework', m.frameworkHeap],
    [4, 'Task', m.taskHeap],
    [3, 'Total Off-heap Memory', m.managed.add(m.jvmDirect)],
    [4, 'Managed', m.managed],
    [4, 'Total JVM Direct Memory', m.jvmDirect],
    [5, 'Framework', m.frameworkOffHeap],
    [5, 'Task', m.taskOffHeap],
    [5, 'Network', m.network],
    [2, 'JVM Metaspace', m.metaspace],
    [2, 'JVM Overhead', m.overhead],
  ]);
}

export function jobManagerBreakdown(m: JobManagerMemory): string {
  return render('Final Master Memory configuration:', [
    [1, 'Total Process Memory', m.totalProcess],
    [2, 'Total Flink Memory', m.totalFlink],
    [3, 'JVM Heap', m.jvmHeap],
    [3, 'Off-heap', m.offHeap],
    [2, 'JVM Metaspace', m.metaspace],
    [2, 'JVM Overhead', m.overhead],
  ]);
}

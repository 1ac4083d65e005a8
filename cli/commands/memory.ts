import type { Command } from 'commander';

interface MemoryFlags {
  component: string;
  config?: string;
  define: string[];
  flinkVersion?: string;
  deployment: string;
  json?: boolean;
}

/** `fma memory`: derive a TaskManager's or JobManager's memory exactly as Flink does. */
export function registerMemory(program: Command): void {
  program
    .command('memory')
    .description("derive Flink's memory pools, totals and JVM arguments from a configuration, byte-exact")
    .option('--component <component>', 'taskmanager or jobmanager', 'taskmanager')
    .option('--config <path>', 'a flink-conf.yaml or config.yaml file, or a conf directory (Flink picks the file for the version)')
    .option('-D, --define <key=value>', 'a configuration override, as Flink\'s -D (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--flink-version <version>', 'Flink release whose defaults and rules apply, e.g. 1.17 or 2.0 (default: newest)')
    .option('--deployment <kind>', 'where legacy heap options land: active (Kubernetes/YARN: process size) or standalone (flink size / JM heap)', 'active')
    .option('--json', 'print JSON only')
    .addHelpText(
      'after',
      '\nExamples:\n  fma memory -D taskmanager.memory.process.size=1728m --json\n  fma memory --component jobmanager --config ./conf --flink-version 1.20',
    )
    .action(async (flags: MemoryFlags) => {
      const { runMemory } = await import('./memory-run.ts');
      await runMemory(flags);
    });
}

export type { MemoryFlags };

import type { Command } from 'commander';

/**
 * The flags every command that reads a cluster shares (kept free of heavy imports so that
 * `fma --help` stays fast). `resolveSource` in source.ts validates them.
 */
export interface SourceFlags {
  restUrl?: string;
  fleet?: string;
  recording?: string[];
  cluster?: string;
  job?: string[];
  all?: boolean;
  concurrency?: string;
  timeout?: string;
  retries?: string;
  bearerTokenEnv?: string;
  bearerTokenFile?: string;
  basicAuthEnv?: string;
  basicAuthFile?: string;
  caFile?: string;
}

const collectRepeatable = (value: string, previous: string[] = []) => [...previous, value];

export function addSourceOptions(command: Command, options: { recordings?: boolean } = {}): Command {
  command
    .option('--rest-url <url>', 'Flink REST root of one cluster (e.g. http://jobmanager:8081)')
    .option('--fleet <file>', 'fleet file listing many clusters (YAML/JSON)')
    .option('--cluster <name>', `name for the --rest-url cluster (default "default")`);
  if (options.recordings !== false) {
    command.option('--recording <file>', 'read a recording instead of a cluster (repeatable; a directory means its *.jsonl and *.jsonl.gz files)', collectRepeatable);
  }
  return command
    .option('--job <id>', 'only this job (repeatable)', collectRepeatable)
    .option('--all', 'every running job (the default)')
    .option('--concurrency <n>', 'concurrent requests across all clusters', '16')
    .option('--timeout <duration>', 'per-request timeout', '10s')
    .option('--retries <n>', 'retries on timeouts, connection errors and 5xx', '3')
    .option('--bearer-token-env <var>', 'env variable holding a bearer token')
    .option('--bearer-token-file <file>', 'file holding a bearer token')
    .option('--basic-auth-env <var>', 'env variable holding user:password')
    .option('--basic-auth-file <file>', 'file holding user:password')
    .option('--ca-file <file>', 'PEM file of a custom CA for https REST roots');
}


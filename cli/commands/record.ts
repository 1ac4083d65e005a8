import type { Command } from 'commander';
import { addSourceOptions } from '../../collector/source-options.ts';
import type { RecordFlags } from '../../collector/record-command.ts';

/** `fma record`: write a recording (JSON Lines of REST exchanges) that any command can read back with --recording. */
export function registerRecord(program: Command): void {
  const command = program.command('record').description('poll Flink clusters and write their REST answers to a recording (JSON Lines), leaving out answers that did not change since the last poll; never writes credentials');
  addSourceOptions(command, { recordings: false })
    .requiredOption('--out <file>', 'recording to write (.jsonl)')
    .option('--duration <duration>', 'keep polling this long (e.g. 2h); one poll when absent')
    .option('--interval <duration>', 'time between polls with --duration (default 60s)')
    .option('--keep-unchanged', 'write every answer, even one identical to the last answer to the same URL (left out by default: readers keep the last value)')
    .option('--json', 'print a JSON summary only')
    .addHelpText('after', '\nExamples:\n  fma record --rest-url http://jobmanager:8081 --duration 2h --interval 60s --out capture.jsonl\n  fma record --fleet fleet.yaml --out fleet.jsonl')
    .action(async (flags: RecordFlags) => {
      const { runRecord } = await import('../../collector/record-command.ts');
      await runRecord(flags);
    });
}

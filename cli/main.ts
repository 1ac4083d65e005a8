import { Command, CommanderError } from 'commander';
import { CliError, ExitCode } from './errors.ts';
import { toJson } from './output.ts';
import { registerMemory } from './commands/memory.ts';
import { registerCollect } from './commands/collect.ts';
import { registerRecord } from './commands/record.ts';
import { registerStore } from './commands/store.ts';
import { registerSimulate } from './commands/simulate.ts';
import { registerOptimize } from './commands/optimize.ts';
import { registerTrain } from './commands/train.ts';
import { registerEvaluate } from './commands/evaluate.ts';
import { registerBacktest } from './commands/backtest.ts';
import { registerAdvise } from './commands/advise.ts';
import { registerNightly } from './commands/nightly.ts';
import { registerDemo } from './commands/demo.ts';

/**
 * The `fma` command line. Each subcommand lives in `cli/commands/<name>.ts`, declares its flags
 * and lazily imports the code that does the work, so `fma --help` stays instant.
 */
export function buildProgram(): Command {
  const program = new Command('fma')
    .description('Flink memory advisor: how much memory each Flink job really needs, and the config change to get there')
    .version('0.1.0')
    // One line for a usage mistake, as for any other error; the whole help is a flag away.
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  registerMemory(program);
  registerSimulate(program);
  registerCollect(program);
  registerRecord(program);
  registerStore(program);
  registerOptimize(program);
  registerTrain(program);
  registerEvaluate(program);
  registerBacktest(program);
  registerAdvise(program);
  registerNightly(program);
  registerDemo(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  // A reader that stops early (`fma advise --help | head`) closes the pipe: stop quietly, as Unix
  // tools do, instead of dying on an unhandled EPIPE.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(ExitCode.ok);
  });
  const program = buildProgram();
  const wantsJson = argv.includes('--json');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version arrive here as "errors" with exit code 0; commander has printed the rest.
      if (error.exitCode === 0) return ExitCode.ok;
      if (wantsJson) process.stdout.write(`${toJson({ error: error.message.replace(/^error: /, '') })}\n`);
      return ExitCode.invalidInput;
    }
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof CliError ? error.exitCode : ExitCode.failure;
    if (wantsJson) process.stdout.write(`${toJson({ error: message })}\n`);
    process.stderr.write(`fma: ${oneLine(message)}\n`);
    if (process.env.FMA_DEBUG === '1' && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return code;
  }
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ');
}

import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FlinkArgumentError, IllegalConfigurationError } from '../../flink/errors.ts';
import {
  confDirectoryFile,
  fileFormatFor,
  parseConfigFile,
  parseDynamicProperties,
} from '../../flink/config-file.ts';
import type { FlinkConfig } from '../../flink/config.ts';
import type { Deployment } from '../../flink/legacy-heap.ts';
import { deriveJobManagerMemory, type JobManagerMemory } from '../../flink/jobmanager-memory.ts';
import { jobManagerBreakdown, taskManagerBreakdown } from '../../flink/memory-breakdown.ts';
import { deriveTaskManagerMemory, type TaskManagerMemory } from '../../flink/taskmanager-memory.ts';
import { resolveFlinkVersion, type FlinkVersionProfile } from '../../flink/version.ts';
import { CliError, ExitCode } from '../errors.ts';
import { info, printJson, printText } from '../output.ts';
import type { MemoryFlags } from './memory.ts';

export async function runMemory(flags: MemoryFlags): Promise<void> {
  if (flags.component !== 'taskmanager' && flags.component !== 'jobmanager') {
    throw new CliError(`--component must be taskmanager or jobmanager, not '${flags.component}'`, ExitCode.invalidInput);
  }
  if (flags.deployment !== 'active' && flags.deployment !== 'standalone') {
    throw new CliError(`--deployment must be active or standalone, not '${flags.deployment}'`, ExitCode.invalidInput);
  }
  const version = invalidInput(() => resolveFlinkVersion(flags.flinkVersion));
  const fileConfig = flags.config === undefined ? {} : await readConfig(flags.config, version, flags.json === true);
  const config: FlinkConfig = { ...fileConfig, ...invalidInput(() => parseDynamicProperties(flags.define)) };
  const options = { deployment: flags.deployment as Deployment };
  try {
    if (flags.component === 'jobmanager') {
      const jm = deriveJobManagerMemory(config, version, options);
      if (flags.json) printJson(jobManagerJson(jm));
      else printText(`${jobManagerBreakdown(jm)}\nJVM arguments: ${jm.jvmArgs}`);
    } else {
      const tm = deriveTaskManagerMemory(config, version, options);
      if (flags.json) printJson(taskManagerJson(tm));
      else printText(`${taskManagerBreakdown(tm)}\nJVM arguments: ${tm.jvmArgs}`);
    }
  } catch (error) {
    if (error instanceof IllegalConfigurationError || error instanceof FlinkArgumentError) {
      throw new CliError(error.message, ExitCode.invalidInput);
    }
    throw error;
  }
}

function invalidInput<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error), ExitCode.invalidInput);
  }
}

/** A file is read with the parser the version would use for it; a directory by Flink's precedence for the version. */
async function readConfig(path: string, version: FlinkVersionProfile, quiet: boolean): Promise<FlinkConfig> {
  const kind = await stat(path).catch(() => undefined);
  if (!kind) throw new CliError(`--config: no such file or directory: ${path}`, ExitCode.invalidInput);
  let file = path;
  if (kind.isDirectory()) {
    const exists = async (name: string) => (await stat(join(path, name)).catch(() => undefined))?.isFile() === true;
    const format = confDirectoryFile({ flinkConfYaml: await exists('flink-conf.yaml'), configYaml: await exists('config.yaml') }, version);
    if (!format) {
      throw new CliError(`--config: ${path} holds no configuration file Flink ${version.name} reads`, ExitCode.invalidInput);
    }
    file = join(path, format);
    if (!quiet) info(`Reading ${format} (Flink ${version.name})`);
  }
  const text = await readFile(file, 'utf8');
  return invalidInput(() => parseConfigFile(fileFormatFor(file, version), text).config);
}

function taskManagerJson(m: TaskManagerMemory) {
  return {
    frameworkHeap: m.frameworkHeap.bytes,
    taskHeap: m.taskHeap.bytes,
    frameworkOffHeap: m.frameworkOffHeap.bytes,
    taskOffHeap: m.taskOffHeap.bytes,
    managed: m.managed.bytes,
    network: m.network.bytes,
    metaspace: m.metaspace.bytes,
    overhead: m.overhead.bytes,
    totalFlink: m.totalFlink.bytes,
    totalProcess: m.totalProcess.bytes,
    jvmHeap: m.jvmHeap.bytes,
    jvmDirect: m.jvmDirect.bytes,
    jvmArgs: m.jvmArgs,
  };
}

function jobManagerJson(m: JobManagerMemory) {
  return {
    jvmHeap: m.jvmHeap.bytes,
    offHeap: m.offHeap.bytes,
    metaspace: m.metaspace.bytes,
    overhead: m.overhead.bytes,
    totalFlink: m.totalFlink.bytes,
    totalProcess: m.totalProcess.bytes,
    jvmArgs: m.jvmArgs,
  };
}

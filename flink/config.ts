import { FlinkArgumentError, IllegalConfigurationError } from './errors.ts';
import { parseJavaDouble, parseJavaFloat, parseJavaInt } from './java-number.ts';
import { MemorySize, MemorySizeError } from './memory-size.ts';
import type { FlinkOption } from './options.ts';
import type { FlinkVersionProfile } from './version.ts';

/** A Flink configuration as Flink sees it after flattening: dotted keys to string values. */
export type FlinkConfig = Readonly<Record<string, string>>;

/** Flink's `Configuration.contains`: the key or one of its fallback keys is present. */
export function isConfigured(config: FlinkConfig, option: FlinkOption<unknown>): boolean {
  return rawValue(config, option) !== undefined;
}

/** The configured text: the key first, then the fallback keys in order. */
export function rawValue(config: FlinkConfig, option: FlinkOption<unknown>): string | undefined {
  for (const key of [option.key, ...option.deprecatedKeys]) {
    if (Object.hasOwn(config, key)) return config[key];
  }
  return undefined;
}

/** Flink's "Could not parse value" failure of `Configuration.get`: an IllegalArgumentException, never prefixed. */
function unparsable(raw: string, option: FlinkOption<unknown>): FlinkArgumentError {
  return new FlinkArgumentError(`Could not parse value '${raw}' for key '${option.key}'.`);
}

/** A typed read with Flink's semantics: configured value, else the default, else undefined. */
function read<T>(
  config: FlinkConfig,
  option: FlinkOption<T>,
  version: FlinkVersionProfile,
  parse: (raw: string) => T | undefined,
): T | undefined {
  const raw = rawValue(config, option);
  if (raw === undefined) return option.defaultValue(version);
  const value = parse(raw);
  if (value === undefined) throw unparsable(raw, option);
  return value;
}

function parseMemory(raw: string): MemorySize | undefined {
  try {
    return MemorySize.parse(raw);
  } catch (error) {
    if (error instanceof MemorySizeError) return undefined;
    throw error;
  }
}

/** `ProcessMemoryUtils.getMemorySizeFromConfig`: any failure, or no value at all, is an IllegalConfigurationException. */
export function readMemory(config: FlinkConfig, option: FlinkOption<MemorySize>, version: FlinkVersionProfile): MemorySize {
  const raw = rawValue(config, option);
  const value = raw === undefined ? option.defaultValue(version) : parseMemory(raw);
  if (value === undefined) throw new IllegalConfigurationError(`Cannot read memory size from config option '${option.key}'.`);
  return value;
}

/** A plain `Configuration.get` of a MemorySize option: an unparsable value is an IllegalArgumentException. */
export function getMemory(config: FlinkConfig, option: FlinkOption<MemorySize>, version: FlinkVersionProfile): MemorySize | undefined {
  return read(config, option, version, parseMemory);
}

/** A Float option: parsed like `Float.parseFloat` and widened to double, as Flink multiplies with it. */
export function readFloat(config: FlinkConfig, option: FlinkOption<number>, version: FlinkVersionProfile): number {
  return read(config, option, version, parseJavaFloat)!;
}

export function readDouble(config: FlinkConfig, option: FlinkOption<number>, version: FlinkVersionProfile): number | undefined {
  return read(config, option, version, parseJavaDouble);
}

/** `Integer.parseInt` on the raw text: Flink does not trim it. */
export function readInt(config: FlinkConfig, option: FlinkOption<number>, version: FlinkVersionProfile): number | undefined {
  return read(config, option, version, parseJavaInt);
}

/** Flink accepts "true"/"false" in any case, untrimmed. */
export function readBoolean(config: FlinkConfig, option: FlinkOption<boolean>, version: FlinkVersionProfile): boolean {
  return read(config, option, version, (raw) => {
    const upper = raw.toUpperCase();
    return upper === 'TRUE' ? true : upper === 'FALSE' ? false : undefined;
  })!;
}

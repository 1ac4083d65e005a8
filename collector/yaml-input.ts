import YAML from 'yaml';
import type { z } from 'zod';

/**
 * Parses a hand-written input file (YAML, or JSON, which is YAML) against its schema. Errors
 * name the file and the first offending field, so a person can fix it in one go.
 */
export function parseYamlInput<S extends z.ZodType>(schema: S, text: string, source: string): z.output<S> {
  let raw: unknown;
  try {
    raw = YAML.parse(text);
  } catch (error) {
    throw new Error(`${source}: not valid YAML/JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

import YAML from 'yaml';
import { OptimizerInput } from './types.ts';

/** Parses an optimizer input file (JSON or YAML); the error names the first offending field. */
export function parseOptimizerInput(text: string, source = 'optimizer input'): OptimizerInput {
  let raw: unknown;
  try {
    raw = YAML.parse(text);
  } catch (error) {
    throw new Error(`${source}: not valid JSON/YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = OptimizerInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

import { parseYamlInput } from '../collector/yaml-input.ts';
import { OptimizerInput } from './types.ts';

/** Parses an optimizer input file (JSON or YAML); the error names the first offending field. */
export function parseOptimizerInput(text: string, source = 'optimizer input'): OptimizerInput {
  return parseYamlInput(OptimizerInput, text, source);
}

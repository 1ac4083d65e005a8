import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/run-cli.ts';

describe('fma simulate', () => {
  it('documents its flags', async () => {
    const run = await runCli(['simulate', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--fleet-out');
  });

  it('rejects a bad speed with exit code 2', async () => {
    const run = await runCli(['simulate', '--speed', '0', '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({ error: "--speed must be a positive number, got '0'" });
  });
});

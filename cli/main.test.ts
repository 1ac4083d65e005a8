import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/run-cli.ts';

describe('fma usage mistakes', () => {
  it('say what is wrong in one line and a hint, exit 2, and print only {"error"} with --json', async () => {
    const run = await runCli(['advise', '--bogus']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("error: unknown option '--bogus'\n(add --help for usage)\n");
    expect(run.stdout).toBe('');

    const json = await runCli(['advise', '--bogus', '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({ error: "unknown option '--bogus'" });

    const command = await runCli(['advice']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain("error: unknown command 'advice'");
  });
});

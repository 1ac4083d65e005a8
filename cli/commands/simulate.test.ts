import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/run-cli.ts';

describe('fma simulate', () => {
  it('documents its flags', async () => {
    const run = await runCli(['simulate', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--fleet-out');
    expect(run.stdout).toContain('--task-managers');
  });

  it('rejects a bad speed with exit code 2', async () => {
    const run = await runCli(['simulate', '--speed', '0', '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({ error: "--speed must be a positive number, got '0'" });
  });

  it('serves a fleet of about --task-managers TaskManagers on the simulated clock, and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [fileURLToPath(new URL('../../bin/fma.js', import.meta.url)), 'simulate', '--jobs', '30', '--task-managers', '400', '--port', '0', '--prometheus-port', '0',
        '--speed', '60', '--start-time', '2025-03-01T12:00:00Z', '--json'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const summary = await new Promise<{ restUrl: string; example: string; taskManagers: number }>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          try {
            resolve(JSON.parse(out));
          } catch {
            // the JSON is not complete yet
          }
        });
        child.once('exit', (code) => reject(new Error(`fma simulate exited with ${code}`)));
      });
      expect(summary.taskManagers).toBeGreaterThan(300);
      expect(summary.taskManagers).toBeLessThan(500);
      const res = await fetch(`${summary.example}/overview`);
      expect(res.status).toBe(200);
      expect(Date.parse(res.headers.get('date')!)).toBeGreaterThanOrEqual(Date.UTC(2025, 2, 1, 12));
      expect(Date.parse(res.headers.get('date')!)).toBeLessThan(Date.UTC(2025, 2, 2));
    } finally {
      const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});

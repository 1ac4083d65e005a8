import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { FleetFile } from '../fleet-file.ts';

export interface SimulatorProcess {
  fleetFile: FleetFile;
  prometheusUrl: string;
  pid: number;
  close(): Promise<void>;
}

/** Starts simulator-child.ts in a child process and waits for its fleet file. */
export async function spawnSimulator(options: { jobs: number; taskManagers?: number; seed?: number }): Promise<SimulatorProcess> {
  const runTs = fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url));
  const child = spawn(process.execPath, [runTs, fileURLToPath(new URL('./simulator-child.ts', import.meta.url)), String(options.jobs), String(options.taskManagers ?? 0), String(options.seed ?? 1)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code} before it was ready`)));
  });
  const ready = JSON.parse(first) as { fleetFile: FleetFile; prometheusUrl: string };
  return {
    ...ready,
    pid: child.pid!,
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

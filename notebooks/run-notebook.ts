import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The notebooks directory and the repository root, wherever the checkout lives. */
export const notebooksDir = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Debian's Jupyter: the `python3` first on PATH may be another interpreter without Jupyter. */
const JUPYTER = process.env.FMA_JUPYTER ?? '/usr/bin/jupyter';

export async function listNotebooks(dir = notebooksDir): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.ipynb')).sort().map((f) => join(dir, f));
}

/**
 * Writes a Jupyter kernel spec for tslab (this repo's TypeScript kernel) under
 * `<jupyterPath>/kernels/tslab`. `tslab install` would need IPython, so the spec is written by
 * hand; it runs tslab with this Node, so no global install is involved.
 */
export async function writeTslabKernelSpec(jupyterPath: string): Promise<void> {
  const dir = join(jupyterPath, 'kernels', 'tslab');
  await mkdir(dir, { recursive: true });
  const spec = {
    argv: [process.execPath, join(repoRoot, 'node_modules', 'tslab', 'bin', 'tslab'), 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (tslab)',
    language: 'typescript',
  };
  await writeFile(join(dir, 'kernel.json'), `${JSON.stringify(spec, null, 2)}\n`);
}

const executedNotebookSchema = z.object({
  cells: z.array(
    z.object({
      cell_type: z.string(),
      outputs: z.array(z.object({ output_type: z.string(), ename: z.string().optional(), evalue: z.string().optional() }).loose()).optional(),
    }).loose(),
  ),
}).loose();

export interface NotebookRun {
  readonly notebook: string;
  readonly ok: boolean;
  /** nbconvert's exit code and every error a cell raised. */
  readonly exitCode: number;
  readonly errors: readonly string[];
  /** The executed copy, with outputs. */
  readonly executed: string;
  readonly log: string;
}

/** Executes a notebook headless with nbconvert (cells run top to bottom) into `outputDir`. */
export async function executeNotebook(notebook: string, options: { jupyterPath: string; outputDir: string; timeoutSeconds?: number }): Promise<NotebookRun> {
  const args = ['nbconvert', '--to', 'notebook', '--execute', `--ExecutePreprocessor.timeout=${options.timeoutSeconds ?? 120}`,
    '--output-dir', options.outputDir, notebook];
  const { code, log } = await run(JUPYTER, args, { ...process.env, JUPYTER_PATH: options.jupyterPath });
  const executed = join(options.outputDir, basename(notebook));
  const errors: string[] = [];
  if (code === 0) {
    const parsed = executedNotebookSchema.parse(JSON.parse(await readFile(executed, 'utf8')));
    for (const cell of parsed.cells) {
      for (const out of cell.outputs ?? []) if (out.output_type === 'error') errors.push(`${out.ename}: ${out.evalue}`);
    }
  } else {
    errors.push(log.split('\n').filter((l) => l.trim() !== '').slice(-12).join('\n'));
  }
  return { notebook, ok: code === 0 && errors.length === 0, exitCode: code, errors, executed, log };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; log: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, log }));
  });
}

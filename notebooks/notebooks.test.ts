import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeNotebook, listNotebooks, writeTslabKernelSpec } from './run-notebook.ts';

const notebooks = await listNotebooks();

describe('notebooks', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'fma-notebooks-'));
    await writeTslabKernelSpec(join(work, 'jupyter'));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('there is at least one notebook', () => {
    expect(notebooks.length).toBeGreaterThan(0);
  });

  it.each(notebooks.map((n) => [basename(n), n]))('%s executes without an error', async (_name, notebook) => {
    const run = await executeNotebook(notebook, { jupyterPath: join(work, 'jupyter'), outputDir: join(work, 'out') });
    expect(run.errors).toEqual([]);
    expect(run.ok).toBe(true);
    expect(await readFile(run.executed, 'utf8')).toContain('"output_type"');
  });

  it('a failing cell fails the run', async () => {
    const broken = join(work, 'broken.ipynb');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(broken, JSON.stringify({
      cells: [{ cell_type: 'code', id: 'c1', metadata: {}, execution_count: null, outputs: [], source: ["throw new Error('boom');"] }],
      metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript (tslab)', language: 'typescript' } },
      nbformat: 4, nbformat_minor: 5,
    }));
    const run = await executeNotebook(broken, { jupyterPath: join(work, 'jupyter'), outputDir: join(work, 'out') });
    expect(run.ok).toBe(false);
    expect(run.errors.join('\n')).toMatch(/boom/);
  });
});

import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../test-support/run-cli.ts';
import { tempDir } from '../test-support/temp-dir.ts';
import { freshBundleUrl, manifestFile } from './bundle-manifest.js';

// Built next to dist/ (one directory below the root, where the bundle's shipped-file paths hold),
// under a name of this run's own so a developer's dist/ is left alone.
const outDir = join(repoRoot, `dist-test-${process.pid}`);
const runBundle = "const { main } = await import(process.argv[1]); process.exitCode = await main(process.argv.slice(2));";

describe('the bundled CLI', () => {
  beforeAll(async () => {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [join(repoRoot, 'bin/build-bundle.js'), outDir], { stdio: 'ignore' });
      child.on('error', reject);
      child.on('exit', resolve);
    });
    expect(code).toBe(0);
  });
  afterAll(() => rm(outDir, { recursive: true, force: true }));

  const bundled = (args: string[], cwd?: string) =>
    runCli(args, { entry: ['--input-type=module', '-e', runBundle, pathToFileURL(join(outDir, 'main.js')).href], ...(cwd ? { cwd } : {}) });
  const fromSources = (args: string[], cwd?: string) => runCli(args, { env: { FMA_BUNDLE: '0' }, ...(cwd ? { cwd } : {}) });

  it('is fresh right after the build', () => {
    expect(freshBundleUrl(outDir)).toBe(pathToFileURL(join(outDir, 'main.js')).href);
  });

  it('advises and exports exactly what the sources do, the model (TensorFlow.js wasm) included', async () => {
    const work = await tempDir('fma-bundle-');
    const args = (out: string) => ['advise', '--all', '--recording', join(repoRoot, 'data/simulated-3-jobs-seed42.jsonl.gz'), '--json', '--export', out, '--format', 'all'];
    const [a, b] = await Promise.all([bundled(args(join(work, 'a'))), fromSources(args(join(work, 'b')))]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(a.stdout.replaceAll(join(work, 'a'), 'OUT')).toBe(b.stdout.replaceAll(join(work, 'b'), 'OUT'));
    expect(a.stdout).toContain('Forecast: model');
    const files = await tree(join(work, 'a'));
    expect(files.some((f) => f.endsWith('flinkdeployment-patch.json'))).toBe(true);
    expect(files).toEqual(await tree(join(work, 'b')));
    for (const f of files) expect(await readFile(join(work, 'a', f), 'utf8')).toBe(await readFile(join(work, 'b', f), 'utf8'));
  });

  it('optimizes (HiGHS wasm) and derives memory (Flink core) exactly as the sources do', async () => {
    // A budget that binds, so HiGHS itself runs; solver times differ from run to run.
    const optimize = ['optimize', '--input', join(repoRoot, 'optimizer/example-input.yaml'), '--budget', '5g', '--json'];
    const [a, b] = await Promise.all([bundled(optimize), fromSources(optimize)]);
    expect(a.code, a.stderr).toBe(b.code);
    const plan = JSON.parse(a.stdout) as { solver: { solver: string; seconds?: number } };
    expect(plan.solver.solver).toBe('highs');
    expect(withoutSeconds(a.stdout)).toEqual(withoutSeconds(b.stdout));

    const memory = ['memory', '-D', 'taskmanager.memory.process.size=4g', '--flink-version', '1.20', '--json'];
    const [c, d] = await Promise.all([bundled(memory), fromSources(memory)]);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toContain('"taskHeap"');
    expect(c.stdout).toBe(d.stdout);
  });

  it('fails with the same one-line reason and exit code', async () => {
    const args = ['advise', '--all', '--recording', '/nonexistent/recording.jsonl'];
    const [a, b] = await Promise.all([bundled(args), fromSources(args)]);
    expect(a.code).toBe(2);
    expect([a.code, a.stderr]).toEqual([b.code, b.stderr]);
  });
});

describe('freshBundleUrl', () => {
  it('gives the bundle only while every input is as old as the build, and never with FMA_BUNDLE=0', async () => {
    const root = await tempDir('fma-bundle-root-');
    const dir = join(root, 'dist');
    await mkdir(join(root, 'cli'), { recursive: true });
    await mkdir(dir);
    const source = join(root, 'cli/main.ts');
    await writeFile(source, 'export {};\n');
    const builtAt = Date.now() + 1_000;
    await writeFile(join(dir, manifestFile), JSON.stringify({ builtAt, inputs: ['cli/main.ts'] }));
    expect(freshBundleUrl(dir, root)).toBe(pathToFileURL(join(dir, 'main.js')).href);

    process.env.FMA_BUNDLE = '0';
    try {
      expect(freshBundleUrl(dir, root)).toBeUndefined();
    } finally {
      delete process.env.FMA_BUNDLE;
    }

    const later = new Date(builtAt + 5_000);
    await utimes(source, later, later);
    expect(freshBundleUrl(dir, root)).toBeUndefined(); // edited after the build

    await rm(source);
    expect(freshBundleUrl(dir, root)).toBeUndefined(); // removed since the build

    await writeFile(join(dir, manifestFile), '{"builtAt": "yesterday"}');
    expect(freshBundleUrl(dir, root)).toBeUndefined(); // not a manifest the builder writes
  });
});

function withoutSeconds(json: string): unknown {
  return JSON.parse(json, (key, value: unknown) => (key === 'seconds' ? undefined : value));
}

async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

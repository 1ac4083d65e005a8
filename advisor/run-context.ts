import { readFile } from 'node:fs/promises';
import type { DeploymentKind, FleetBudget } from '../collector/fleet-file.ts';
import { CliError, ExitCode } from '../cli/errors.ts';
import { MemorySize } from '../flink/memory-size.ts';
import { defaultModelDir } from '../model/default-model-dir.ts';
import type { LazyDemandModel } from '../model/model-files.ts';
import { withFleetBudget } from '../optimizer/budgets.ts';

/** What advise, nightly and optimize --store share: flag checks, budgets, model. */

export const invalid = (message: string) => new CliError(message, ExitCode.invalidInput);

export function parseSize(flag: string, text: string): number {
  try {
    return MemorySize.parse(text).toNumber();
  } catch (error) {
    throw invalid(`${flag}: ${(error as Error).message}`);
  }
}

export function parseNumber(flag: string, text: string, ok: (n: number) => boolean, expected: string): number {
  const n = Number(text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : text);
  if (text.trim() === '' || !Number.isFinite(n) || !ok(n)) throw invalid(`${flag} '${text}' must be ${expected}`);
  return n;
}

export interface FleetContext {
  budgets: FleetBudget[];
  /** Cluster -> namespace and cluster -> kind, from the fleet file. */
  namespaces: Map<string, string>;
  kinds: Map<string, DeploymentKind>;
}

/** Budgets from the fleet file (with --fleet) plus `--budget SIZE` over the whole fleet; namespaces and kinds by cluster. */
export async function budgetsOf(flags: { fleet?: string; budget?: string }): Promise<FleetContext> {
  let budgets: FleetBudget[] = [];
  const namespaces = new Map<string, string>();
  const kinds = new Map<string, DeploymentKind>();
  if (flags.fleet) {
    const { parseFleetFile } = await import('../collector/fleet-file.ts');
    const text = await readFile(flags.fleet, 'utf8').catch(() => {
      throw invalid(`cannot read fleet file ${flags.fleet}`);
    });
    const fleet = (() => {
      try {
        return parseFleetFile(text, flags.fleet);
      } catch (error) {
        throw invalid((error as Error).message);
      }
    })();
    budgets = fleet.budgets;
    for (const c of fleet.clusters) {
      if (c.namespace) namespaces.set(c.name, c.namespace);
      kinds.set(c.name, c.kind);
    }
  }
  if (flags.budget !== undefined) {
    parseSize('--budget', flags.budget);
    budgets = withFleetBudget(budgets, flags.budget);
  }
  return { budgets, namespaces, kinds };
}

/**
 * The demand model from --model-dir, else the shipped one. Only its files are read here:
 * TensorFlow.js starts, on the fastest backend here, when the first job needs the network.
 */
export async function loadDemandModel(dir: string | undefined): Promise<{ model: LazyDemandModel; dir: string }> {
  const modelDir = dir ?? defaultModelDir;
  const cannotLoad = (error: Error) => invalid(`cannot load the demand model from ${modelDir}: ${error.message.split('\n')[0]}`);
  const { openModel } = await import('../model/model-files.ts');
  const opened = await openModel(modelDir, async () => (await import('../model/tf-backend.ts')).selectBackend()).catch((error: Error) => {
    throw cannotLoad(error);
  });
  const model: LazyDemandModel = {
    meta: opened.meta,
    load: () =>
      opened.load().catch((error: Error) => {
        throw cannotLoad(error);
      }),
  };
  return { model, dir: modelDir };
}

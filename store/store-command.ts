import { CliError, ExitCode } from '../cli/errors.ts';
import { info, printJson, printText } from '../cli/output.ts';
import { parseDuration } from '../collector/duration.ts';
import { openStore, type HistoryStore } from './history-store.ts';
import { exportParquet, prune } from './maintenance.ts';
import { tableCounts } from './read.ts';

export interface StoreFlags {
  store: string;
  json?: boolean;
}

/** Opens an existing store: these commands look after one, they never create an empty one. */
function open(path: string, readOnly = false): Promise<HistoryStore> {
  return openStore(path, { readOnly, mustExist: true });
}

async function withStore<T>(path: string, readOnly: boolean, work: (s: HistoryStore) => Promise<T>): Promise<T> {
  const store = await open(path, readOnly);
  try {
    return await work(store);
  } finally {
    store.close();
  }
}

export async function runStoreInfo(flags: StoreFlags): Promise<void> {
  const counts = await withStore(flags.store, true, (s) => tableCounts(s.connection));
  if (flags.json) printJson({ store: flags.store, rows: counts });
  else printText(Object.entries(counts).map(([table, n]) => `${table.padEnd(22)} ${n}`).join('\n'));
}

export async function runStorePrune(flags: StoreFlags & { olderThan: string }): Promise<void> {
  let age: number;
  try {
    age = parseDuration(flags.olderThan, '--older-than');
  } catch (error) {
    throw new CliError((error as Error).message, ExitCode.invalidInput);
  }
  const deleted = await withStore(flags.store, false, (s) => prune(s.connection, Date.now() - age));
  if (flags.json) printJson({ store: flags.store, deleted });
  else info(`pruned ${Object.values(deleted).reduce((a, b) => a + b, 0)} rows older than ${flags.olderThan} from ${flags.store}`);
}

export async function runStoreExport(flags: StoreFlags & { parquet: string }): Promise<void> {
  const tables = await withStore(flags.store, true, (s) => exportParquet(s.connection, flags.parquet));
  if (flags.json) printJson({ store: flags.store, dir: flags.parquet, tables });
  else info(`exported ${tables.length} tables to ${flags.parquet}/<table>.parquet`);
}

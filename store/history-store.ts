import { existsSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { CliError, ExitCode } from '../cli/errors.ts';
import { migrations, schemaVersion } from './schema.ts';

// The two ways opening a store fails that a user must act on carry their exit code themselves, so
// every command that opens a store reports them alike without mapping them.

/** Another process holds the store: exit 3, try again when it has finished. */
export class StoreBusyError extends CliError {
  override readonly name = 'StoreBusyError';
  constructor(message: string) {
    super(message, ExitCode.busy);
  }
}

/** No store at the path, where one must exist: exit 2. */
export class MissingStoreError extends CliError {
  override readonly name = 'MissingStoreError';
  constructor(message: string) {
    super(message, ExitCode.invalidInput);
  }
}

export interface HistoryStore {
  readonly path: string;
  readonly connection: DuckDBConnection;
  close(): void;
}

/** The path that opens a store in memory: a temporary store, gone when it is closed. */
export const inMemoryStore = ':memory:';

/** How messages name a store. */
export function storeName(store: HistoryStore): string {
  return store.path === inMemoryStore ? 'a temporary in-memory store' : store.path;
}

/**
 * Opens (creating and migrating as needed) the DuckDB history file. DuckDB locks the file for
 * one writing process; a second opener gets StoreBusyError with a clear message. Read-only, or
 * with `mustExist`, a missing file is a MissingStoreError (and is not created).
 */
export async function openStore(path: string, options: { readOnly?: boolean; mustExist?: boolean } = {}): Promise<HistoryStore> {
  if ((options.readOnly || options.mustExist) && !existsSync(path)) throw new MissingStoreError(`no history store at ${path} (fma collect creates one)`);
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, options.readOnly ? { access_mode: 'READ_ONLY' } : {});
  } catch (error) {
    const message = (error as Error).message;
    const holder = /PID (\d+)/.exec(message)?.[1];
    if (/lock/i.test(message)) {
      throw new StoreBusyError(`history store ${path} is in use by another fma run${holder ? ` (PID ${holder})` : ''}; try again when it has finished`);
    }
    throw new Error(`history store ${path}: ${message.split('\n')[0]}`);
  }
  const connection = await instance.connect();
  const store: HistoryStore = {
    path,
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
  let olderSchema = false;
  try {
    if (!options.readOnly) await migrate(connection, path);
    else olderSchema = await checkVersion(connection, path);
  } catch (error) {
    store.close();
    throw error;
  }
  if (!olderSchema) return store;
  // A store an older fma wrote: migrate it once (that needs the write lock), then read it.
  store.close();
  (await openStore(path)).close();
  return openStore(path, options);
}

async function currentVersion(connection: DuckDBConnection): Promise<number> {
  const hasMeta = await connection.runAndReadAll(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'meta' AND schema_name = 'main'`);
  if (Number(hasMeta.getRowObjectsJS()[0]?.n) === 0) return 0;
  const rows = (await connection.runAndReadAll(`SELECT value FROM meta WHERE key = 'schema_version'`)).getRowObjectsJS();
  return Number(rows[0]?.value ?? 0);
}

/** True when the store is older than this fma (it can be migrated); a newer one is an error. */
async function checkVersion(connection: DuckDBConnection, path: string): Promise<boolean> {
  const version = await currentVersion(connection);
  if (version > schemaVersion) throw new Error(`history store ${path} has schema version ${version}, newer than this fma reads (${schemaVersion}): upgrade fma`);
  return version < schemaVersion;
}

/** Applies each missing migration in its own transaction. */
async function migrate(connection: DuckDBConnection, path: string): Promise<void> {
  const version = await currentVersion(connection);
  if (version > schemaVersion) throw new Error(`history store ${path} was written by a newer fma (schema ${version} > ${schemaVersion})`);
  for (const migration of migrations) {
    if (migration.version <= version) continue;
    await connection.run('BEGIN TRANSACTION');
    try {
      for (const statement of migration.statements) await connection.run(statement);
      await connection.run(`INSERT OR REPLACE INTO meta VALUES ('schema_version', '${migration.version}')`);
      await connection.run('COMMIT');
    } catch (error) {
      await connection.run('ROLLBACK');
      throw error;
    }
  }
}

/** Runs `work` in one transaction: either all of it is committed or none. */
export async function inTransaction<T>(connection: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  await connection.run('BEGIN TRANSACTION');
  try {
    const result = await work();
    await connection.run('COMMIT');
    return result;
  } catch (error) {
    await connection.run('ROLLBACK');
    throw error;
  }
}

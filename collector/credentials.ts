import { readFile } from 'node:fs/promises';

/** Credentials for the Flink REST endpoint. Held in memory only: never logged, stored or recorded. */
export type Credentials = { kind: 'bearer'; token: string } | { kind: 'basic'; user: string; password: string };

export interface CredentialSources {
  bearerTokenEnv?: string;
  bearerTokenFile?: string;
  /** Holds `user:password`. */
  basicAuthEnv?: string;
  basicAuthFile?: string;
}

/** Reads at most one credential from an env variable or a file; errors name the source, never the secret. */
export async function loadCredentials(sources: CredentialSources, env: NodeJS.ProcessEnv = process.env): Promise<Credentials | undefined> {
  const given = Object.entries(sources).filter(([, v]) => v !== undefined);
  if (given.length === 0) return undefined;
  if (given.length > 1) throw new Error('give at most one of --bearer-token-env, --bearer-token-file, --basic-auth-env, --basic-auth-file');
  const [kind, where] = given[0] as [keyof CredentialSources, string];
  const secret = kind.endsWith('Env') ? env[where] : await readSecretFile(where);
  if (secret === undefined || secret.trim() === '') {
    throw new Error(kind.endsWith('Env') ? `environment variable ${where} is not set or empty` : `credential file ${where} is empty`);
  }
  const value = secret.trim();
  if (kind.startsWith('bearer')) return { kind: 'bearer', token: value };
  const colon = value.indexOf(':');
  if (colon <= 0) throw new Error(`basic auth from ${kind.endsWith('Env') ? `env ${where}` : where} must look like user:password`);
  return { kind: 'basic', user: value.slice(0, colon), password: value.slice(colon + 1) };
}

async function readSecretFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new Error(`cannot read credential file ${path}`);
  }
}

// Bearer tokens and header values come from env vars or files, never from flags typed on a
// command line (shell history) and never into a run file or a log line (see redact.ts).
import { readFileSync } from 'node:fs';
import { ServebenchError } from '../errors.ts';

export interface SecretSources {
  /** Env var name holding the token. */
  apiKeyEnv?: string;
  /** File holding the token. */
  apiKeyFile?: string;
}

/**
 * The bearer token for one engine. An explicitly named env var or file must exist;
 * the default env var (SERVEBENCH_API_KEY) may be absent.
 */
export function resolveApiKey(
  env: NodeJS.ProcessEnv,
  explicit: SecretSources,
  defaultEnv: string,
): string | undefined {
  if (explicit.apiKeyFile) return readSecretFile(explicit.apiKeyFile);
  if (explicit.apiKeyEnv) {
    const value = env[explicit.apiKeyEnv];
    if (value === undefined || value.trim() === '') {
      throw new ServebenchError(
        'SECRET_NOT_FOUND',
        `the env var ${explicit.apiKeyEnv}, named as the API key source, is not set or empty`,
        `export ${explicit.apiKeyEnv}=… before running, or name another variable with --api-key-env`,
      );
    }
    return value.trim();
  }
  const fallback = env[defaultEnv]?.trim();
  return fallback ? fallback : undefined;
}

export function readSecretFile(file: string): string {
  let value: string;
  try {
    value = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new ServebenchError(
      'SECRET_NOT_FOUND',
      `cannot read the API key file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      'check the path given to --api-key-file (or apiKeyFile in the config file)',
      { cause: error },
    );
  }
  if (value === '') {
    throw new ServebenchError('SECRET_NOT_FOUND', `the API key file ${file} is empty`, 'put the token on its first line');
  }
  return value;
}

/** Header values named by env var; a missing variable is a config error. */
export function headersFromEnv(env: NodeJS.ProcessEnv, mapping: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, variable] of Object.entries(mapping)) {
    const value = env[variable];
    if (value === undefined) {
      throw new ServebenchError(
        'SECRET_NOT_FOUND',
        `the env var ${variable}, named for header ${name}, is not set`,
        `export ${variable}=… before running`,
      );
    }
    headers[name] = value;
  }
  return headers;
}

import { randomBytes } from 'node:crypto';
import { ulid } from '../../domain/ids';
import { createStore, type Store } from '../store/client';
import { keyFromEnv } from '../webhooks/secrets';

/**
 * What a handler needs from the outside world, passed in rather than imported, so the local server
 * and the tests run the same handlers against DynamoDB Local with their own clock or logger.
 */
export interface Deps {
  store: Store;
  now: () => Date;
  random: (bytes: number) => Uint8Array;
  newId: () => string;
  log: (entry: Record<string, unknown>) => void;
  corsOrigins: string[];
  /** the key that encrypts webhook signing secrets at rest (AES-256-GCM); read on first use */
  secretsKey: () => Uint8Array;
}

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

export function makeDeps(options: {
  store: Store;
  now?: () => Date;
  random?: (bytes: number) => Uint8Array;
  log?: (entry: Record<string, unknown>) => void;
  corsOrigins?: string[];
  secretsKey?: () => Uint8Array;
}): Deps {
  const now = options.now ?? (() => new Date());
  const random = options.random ?? ((n: number) => new Uint8Array(randomBytes(n)));
  return {
    store: options.store,
    now,
    random,
    newId: () => ulid(now().getTime(), random(10)),
    log: options.log ?? ((entry) => console.log(JSON.stringify(entry))),
    corsOrigins: options.corsOrigins ?? ['*'],
    secretsKey: options.secretsKey ?? once(() => keyFromEnv(undefined, false)),
  };
}

/** In Lambda: built once per cold start from the function's environment (set by CDK). */
export function depsFromEnv(env: NodeJS.ProcessEnv = process.env): Deps {
  const tableName = env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME is not set');
  return makeDeps({
    store: createStore({ tableName, endpoint: env.DYNAMODB_ENDPOINT, region: env.AWS_REGION }),
    corsOrigins: (env.CORS_ORIGINS ?? '*').split(',').map((o) => o.trim()).filter(Boolean),
    // only the functions that handle webhook secrets have the key; the others never read it
    secretsKey: once(() => keyFromEnv(env.WEBHOOK_SECRETS_KEY, !!env.AWS_LAMBDA_FUNCTION_NAME)),
  });
}

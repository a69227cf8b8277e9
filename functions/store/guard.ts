import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Store } from './client';
import { keys } from './keys';
import { indexKeys, TABLE_DEFINITION, type IndexName } from './table';

/**
 * The tenant fence in code (docs/security.md, "Tenant fences"). On a tenant route (a `{tenantId}` path and a
 * JWT), once the business is known, the handler's store is fenced to it: every key it reads or
 * writes — a Get/Put/Update/Delete key, a Query's partition (table or GSI) and its start key, each
 * item of a batch or a transaction — must be that business's (`T#<tenantId>` or `T#<tenantId>#…`),
 * or of one of the few cross-tenant families below that the route declares (`route.crossTenant`).
 * Anything else is refused with a TenantFenceError before it reaches DynamoDB: a bug (a 500, logged),
 * never an answer. In AWS the same requests also go out with credentials that IAM fences the same
 * way (`dynamodb:LeadingKeys`, infra/access-roles.ts), so the two fences agree: the guard only
 * allows what the credentials it picks are allowed.
 */

/**
 * Partitions whose key does not start with a business. `prefix`: every key starting with it;
 * `exact`: that one key. `index`: the family is a GSI's partition (only Queries of that index).
 */
export interface CrossTenantFamilyShape {
  prefix?: string;
  exact?: string;
  index?: IndexName;
  what: string;
}

export const CROSS_TENANT_FAMILIES = {
  pageClaims: { prefix: keys.pageClaim('').pk, what: 'public page claims PAGE#<pageId>' },
  accounts: { prefix: keys.ownedBusinesses('').pk, what: "an account's own items USER#<sub> (the businesses it created)" },
  feedbackLinks: { prefix: keys.feedbackLink('').pk, what: "customers' one-time feedback links FBLINK#<sha256(token)>" },
  userMemberships: { prefix: keys.membershipsOfUser('').gsi1pk, index: 'gsi1', what: "an account's businesses, GSI1 USER#<sub>" },
  tenantRegistry: {
    exact: keys.tenantsAll().pk,
    index: keys.tenantsAll().index,
    what: "the nightly schedule's list of businesses, GSI1 TENANTS",
  },
  waitingDeliveries: {
    exact: keys.waitingDeliveries().pk,
    index: keys.waitingDeliveries().index,
    what: 'deliveries waiting across businesses, GSI3 DLVS#ACCEPTED',
  },
} as const satisfies Record<string, CrossTenantFamilyShape>;

export type CrossTenantFamily = keyof typeof CROSS_TENANT_FAMILIES;

/** What a route may do to cross-tenant families besides its business's keys: read (Get, Query) or write too. */
export type CrossTenantAccess = Partial<Record<CrossTenantFamily, 'read' | 'write'>>;

/** The key patterns of a family, as IAM's `dynamodb:LeadingKeys` condition takes them (StringLike). */
export function leadingKeyPattern(family: CrossTenantFamily): string {
  const shape: CrossTenantFamilyShape = CROSS_TENANT_FAMILIES[family];
  return shape.exact ?? `${shape.prefix}*`;
}

/** The partition keys of a business: `T#<tenantId>` and everything under `T#<tenantId>#`. */
export const tenantPartition = (tenantId: string) => keys.tenant(tenantId).pk;

/** A request the fence refused: a bug in the code that built it (logged as a 500). */
export class TenantFenceError extends Error {
  override name = 'TenantFenceError';
}

export interface Fence {
  tenantId: string;
  crossTenant?: CrossTenantAccess | undefined;
}

/** Which credentials a fenced request needs: the business's (tenant) or the function's own (cross-tenant families). */
export type FenceScope = 'tenant' | 'cross';

interface Touch {
  value: unknown;
  index: IndexName | undefined;
  write: boolean;
}

type Input = Record<string, any>;

const pkOf = (key: unknown): unknown =>
  key && typeof key === 'object' ? (key as Record<string, unknown>)[TABLE_DEFINITION.partitionKey] : undefined;

/** The value a Query's key condition gives the partition attribute (`pk = :v`, `#pk = :v`), if it says. */
function keyConditionPartition(input: Input, attribute: string): unknown {
  const names: Record<string, string> = input.ExpressionAttributeNames ?? {};
  for (const term of String(input.KeyConditionExpression ?? '').split(/\s+AND\s+/i)) {
    const m = /^\s*\(?\s*(#?[A-Za-z0-9_]+)\s*=\s*(:[A-Za-z0-9_]+)\s*\)?\s*$/.exec(term);
    if (!m) continue;
    const name = m[1]!.startsWith('#') ? names[m[1]!] : m[1];
    if (name === attribute) return input.ExpressionAttributeValues?.[m[2]!];
  }
  return undefined;
}

/** Every partition key a command reads or writes, and the tables it names; null: not a command the fence knows. */
function touchesOf(command: unknown): { touches: Touch[]; tables: unknown[]; name: string } | null {
  const input = (command as { input?: Input } | null)?.input;
  if (!input || typeof input !== 'object') return null;
  const one = (value: unknown, write: boolean, index?: IndexName): Touch => ({ value, index, write });
  if (command instanceof GetCommand) return { name: 'Get', tables: [input.TableName], touches: [one(pkOf(input.Key), false)] };
  if (command instanceof PutCommand) return { name: 'Put', tables: [input.TableName], touches: [one(pkOf(input.Item), true)] };
  if (command instanceof UpdateCommand) return { name: 'Update', tables: [input.TableName], touches: [one(pkOf(input.Key), true)] };
  if (command instanceof DeleteCommand) return { name: 'Delete', tables: [input.TableName], touches: [one(pkOf(input.Key), true)] };
  if (command instanceof QueryCommand) {
    const index = input.IndexName as IndexName | undefined;
    const attribute = index ? indexKeys(index).pk : TABLE_DEFINITION.partitionKey;
    const touches = [one(keyConditionPartition(input, attribute), false, index)];
    // the start key decides where the read goes on: its partition must be fenced too (a cursor comes from a client)
    if (input.ExclusiveStartKey !== undefined)
      touches.push(one((input.ExclusiveStartKey as Record<string, unknown> | null)?.[attribute], false, index));
    return { name: 'Query', tables: [input.TableName], touches };
  }
  if (command instanceof BatchGetCommand) {
    const entries = Object.entries((input.RequestItems ?? {}) as Record<string, { Keys?: unknown[] }>);
    return {
      name: 'BatchGet',
      tables: entries.map(([t]) => t),
      touches: entries.flatMap(([, r]) => (r.Keys ?? []).map((k) => one(pkOf(k), false))),
    };
  }
  if (command instanceof BatchWriteCommand) {
    const entries = Object.entries(
      (input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item?: unknown }; DeleteRequest?: { Key?: unknown } }[]>,
    );
    return {
      name: 'BatchWrite',
      tables: entries.map(([t]) => t),
      touches: entries.flatMap(([, requests]) => requests.map((r) => one(pkOf(r.PutRequest?.Item ?? r.DeleteRequest?.Key), true))),
    };
  }
  if (command instanceof TransactGetCommand) {
    const items = (input.TransactItems ?? []) as { Get?: Input }[];
    return { name: 'TransactGet', tables: items.map((i) => i.Get?.TableName), touches: items.map((i) => one(pkOf(i.Get?.Key), false)) };
  }
  if (command instanceof TransactWriteCommand) {
    const items = (input.TransactItems ?? []) as { Put?: Input; Update?: Input; Delete?: Input; ConditionCheck?: Input }[];
    return {
      name: 'TransactWrite',
      tables: items.map((i) => (i.Put ?? i.Update ?? i.Delete ?? i.ConditionCheck)?.TableName),
      touches: items.map((i) =>
        i.Put
          ? one(pkOf(i.Put.Item), true)
          : i.Update
            ? one(pkOf(i.Update.Key), true)
            : i.Delete
              ? one(pkOf(i.Delete.Key), true)
              : one(pkOf(i.ConditionCheck?.Key), false),
      ),
    };
  }
  // Scan, and anything else: no tenant route needs it, and the fence cannot tell where it reads
  return null;
}

/** A key, shown without what may be personal (phones sit after the family: `T#<t>#PHONE#+84…`). */
function describe(value: unknown): string {
  if (typeof value !== 'string') return `a key that is not a string (${typeof value})`;
  const parts = value.split('#');
  return parts[0] === 'T' ? parts.slice(0, 3).join('#') + (parts.length > 3 ? '#…' : '') : `${parts[0]}${parts.length > 1 ? '#…' : ''}`;
}

function familyOf(touch: Touch, fence: Fence): CrossTenantFamily | null {
  if (typeof touch.value !== 'string') return null;
  for (const [name, access] of Object.entries(fence.crossTenant ?? {}) as [CrossTenantFamily, 'read' | 'write'][]) {
    const shape: CrossTenantFamilyShape = CROSS_TENANT_FAMILIES[name];
    const matches = shape.exact !== undefined ? touch.value === shape.exact : touch.value.startsWith(shape.prefix!);
    if (matches && shape.index === touch.index && (access === 'write' || !touch.write)) return name;
  }
  return null;
}

/**
 * Check one command against the fence: throws TenantFenceError, or says which credentials it needs.
 * Exported for the tests; stores use fenceStore.
 */
export function checkFence(command: unknown, fence: Fence, tableName: string): FenceScope {
  const found = touchesOf(command);
  const commandName = (command as object | null)?.constructor?.name ?? typeof command;
  const refuse = (why: string): never => {
    throw new TenantFenceError(`tenant fence (business ${fence.tenantId}): ${commandName} refused: ${why}`);
  };
  if (!found) return refuse('not a request the fence can check (Get, Put, Update, Delete, Query, Batch*, Transact*)');
  if (found.touches.length === 0) return refuse('no key');
  if (found.tables.some((t) => t !== tableName)) return refuse('another table');
  const own = tenantPartition(fence.tenantId);
  let tenant = 0;
  for (const touch of found.touches) {
    if (typeof touch.value === 'string' && (touch.value === own || touch.value.startsWith(`${own}#`))) {
      tenant++;
      continue;
    }
    if (!familyOf(touch, fence)) {
      const declared =
        Object.entries(fence.crossTenant ?? {})
          .map(([f, a]) => `${f} (${a})`)
          .join(', ') || 'none';
      return refuse(
        `${touch.write ? 'writes' : 'reads'} ${describe(touch.value)}${touch.index ? ` on ${touch.index}` : ''}, outside ${own} (cross-tenant families declared: ${declared})`,
      );
    }
  }
  // one request goes out with one set of credentials: the business's, or the function's own
  if (tenant > 0 && tenant < found.touches.length) return refuse("mixes the business's keys and cross-tenant keys in one request");
  return tenant > 0 ? 'tenant' : 'cross';
}

/**
 * The store of a tenant route: the same table and client, with every request checked by the fence
 * first. `tenantDb` (AWS): the client holding the business's credentials, for its own keys; the
 * cross-tenant families go out with the function's own (store.db).
 */
export function fenceStore(store: Store, fence: Fence & { tenantDb?: DynamoDBDocumentClient | undefined }): Store {
  const own = store.db;
  const db = Object.create(own) as DynamoDBDocumentClient;
  const send = (command: unknown, ...rest: unknown[]): Promise<unknown> => {
    let scope: FenceScope;
    try {
      scope = checkFence(command, fence, store.tableName);
    } catch (error) {
      return Promise.reject(error);
    }
    const target = scope === 'tenant' && fence.tenantDb ? fence.tenantDb : own;
    return (target.send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
  };
  Object.defineProperty(db, 'send', { value: send, enumerable: false });
  return { ...store, db };
}

import { DEFAULT_SETTINGS, type CreateTenantInput, type Tenant } from '../../domain/entities/tenant';
import { MAX_BUSINESSES_ENV, parseMaxBusinessesPerAccount, tooManyBusinesses } from '../../domain/tenant-limits';
import type { Deps } from '../deps';
import { countOwnedBusinesses, createTenant } from '../store/tenants';

/** The deployment's cap on businesses per account: MAX_BUSINESSES_PER_ACCOUNT (set by the API stack), default 3. */
export const maxBusinessesPerAccount = (env: NodeJS.ProcessEnv = process.env) => parseMaxBusinessesPerAccount(env[MAX_BUSINESSES_ENV]);

/**
 * A signed-in account creates a business and becomes its owner, up to `max` businesses per account
 * (422 naming the limit beyond). The count is the account's owner memberships; the account's
 * `OWNED` counter, moved in the business's own transaction, keeps concurrent creates under it too.
 */
export async function createBusiness(deps: Deps, actor: string, input: CreateTenantInput, max = maxBusinessesPerAccount()): Promise<Tenant> {
  const counted = await countOwnedBusinesses(deps.store, actor);
  if (counted >= max) throw tooManyBusinesses(max);
  const createdAt = deps.now().toISOString();
  const tenant: Tenant = { id: deps.newId(), name: input.name, pageId: input.pageId, ownerUserId: actor, createdAt };
  await createTenant(deps.store, tenant, { ...DEFAULT_SETTINGS, version: 1, updatedAt: createdAt, updatedBy: actor }, { max, counted });
  return tenant;
}

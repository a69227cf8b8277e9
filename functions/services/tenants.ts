import type { Membership } from '../../domain/entities/roster';
import {
  checkCsatSteps,
  DEFAULT_SETTINGS,
  withMonthEndDay,
  type CreateTenantInput,
  type Settings,
  type Tenant,
  type UpdateSettingsInput,
} from '../../domain/entities/tenant';
import { notFound, preconditionFailed, ruleViolation } from '../../domain/errors';
import { nextPeriodId } from '../../domain/period';
import { MAX_BUSINESSES_ENV, parseMaxBusinessesPerAccount, tooManyBusinesses } from '../../domain/tenant-limits';
import type { Deps } from '../deps';
import { countDeliveries } from '../store/deliveries';
import { listMembershipsOfUser } from '../store/members';
import { getClosedPeriods } from '../store/periods';
import { countOwnedBusinesses, createTenant, getSettings, getTenant, saveSettings } from '../store/tenants';

/** The deployment's cap on businesses per account: MAX_BUSINESSES_PER_ACCOUNT (set by the API stack), default 3. */
export const maxBusinessesPerAccount = (env: NodeJS.ProcessEnv = process.env) => parseMaxBusinessesPerAccount(env[MAX_BUSINESSES_ENV]);

/**
 * A signed-in account creates a business and becomes its owner, up to `max` businesses per account
 * (422 naming the limit beyond). The count is the account's owner memberships; the account's
 * `OWNED` counter, moved in the business's own transaction, keeps concurrent creates under it too.
 */
export async function createBusiness(
  deps: Deps,
  actor: string,
  input: CreateTenantInput,
  max = maxBusinessesPerAccount(),
): Promise<Tenant> {
  const counted = await countOwnedBusinesses(deps.store, actor);
  if (counted >= max) throw tooManyBusinesses(max);
  const createdAt = deps.now().toISOString();
  const tenant: Tenant = { id: deps.newId(), name: input.name, pageId: input.pageId, ownerUserId: actor, createdAt };
  await createTenant(deps.store, tenant, { ...DEFAULT_SETTINGS, version: 1, updatedAt: createdAt, updatedBy: actor }, { max, counted });
  return tenant;
}

/** The business; its owner also sees how many order deliveries wait for them (parked), where they look first. */
export async function businessFor(deps: Deps, tenantId: string, membership: Membership) {
  const isOwner = membership.roles.includes('owner');
  const [tenant, parked] = await Promise.all([
    getTenant(deps.store, tenantId),
    isOwner ? countDeliveries(deps.store, tenantId, 'parked') : null,
  ]);
  if (!tenant) throw notFound('Business');
  return parked === null ? tenant : { ...tenant, parkedDeliveries: parked };
}

/**
 * Change the business's settings over the version read (else 412). A new month cut-off day applies
 * to every month not yet closed: from the month after the last closed one.
 */
export async function updateSettings(
  deps: Deps,
  tenantId: string,
  changes: Omit<UpdateSettingsInput, 'version'>,
  expectedVersion: number,
  actor: string,
): Promise<Settings> {
  const current = await getSettings(deps.store, tenantId);
  if (current.version !== expectedVersion) throw preconditionFailed();
  const next: Settings = { ...current, ...changes, version: current.version + 1, updatedAt: deps.now().toISOString(), updatedBy: actor };
  if (changes.monthEndDay !== undefined && changes.monthEndDay !== current.monthEndDay) {
    const closedMonths = (await getClosedPeriods(deps.store, tenantId)).filter((p) => /^\d{4}-\d{2}$/.test(p)).sort();
    const lastClosed = closedMonths.at(-1);
    next.monthEnds = withMonthEndDay(current.monthEnds, changes.monthEndDay, lastClosed ? nextPeriodId(lastClosed) : null);
  }
  const badStep = checkCsatSteps(next.csat.steps);
  if (badStep) throw ruleViolation('CSAT steps must go from the highest threshold down', badStep);
  await saveSettings(deps.store, tenantId, next, expectedVersion);
  return next;
}

/** A person belongs to a handful of businesses; more than this many pages of them would be an abuse, not a use. */
const MAX_MEMBERSHIP_PAGES = 20;

/** Every (business, role) the account holds. */
export async function rolesOfAccount(deps: Deps, sub: string): Promise<{ tenantId: string; role: string }[]> {
  const memberships: { tenantId: string; role: string }[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < MAX_MEMBERSHIP_PAGES; i++) {
    const page = await listMembershipsOfUser(deps.store, sub, { limit: 200, cursor });
    for (const m of page.items) for (const role of m.roles) memberships.push({ tenantId: m.tenantId, role });
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return memberships;
}

import {
  accountOwnsRecord,
  registrationReceipt,
  registrationStatus,
  type AccountClaims,
  type RegistrationInput,
  type RegistrationReceipt,
} from '../../domain/registration';
import type { Collaborator } from '../../domain/entities/collaborator';
import { conflict, notFound } from '../../domain/errors';
import type { Deps } from '../deps';
import { getCollaborator, getCollaboratorIdByAccount, getCollaboratorIdByPhone, linkCollaboratorAccount } from '../store/collaborators';
import { getSettings, getTenantIdByPageId } from '../store/tenants';
import { addCollaborator } from './collaborators';

/** The business of a public page id; an unknown page is a 404. */
export async function tenantOfPage(deps: Deps, pageId: string): Promise<string> {
  const tenantId = pageId.length <= 64 ? await getTenantIdByPageId(deps.store, pageId) : null;
  if (!tenantId) throw notFound('Page');
  return tenantId;
}

async function existingByPhone(deps: Deps, tenantId: string, phone: string): Promise<Collaborator | null> {
  const id = await getCollaboratorIdByPhone(deps.store, tenantId, phone);
  return id ? getCollaborator(deps.store, tenantId, id) : null;
}

/**
 * Self-registration on a public page: one answer (the receipt) whether the phone is new or already
 * in the business, so the page tells nobody who works for it. A new phone makes a new CTV,
 * `registered` or, when the business auto-approves, `approved`; referred by REF ID, it gets its
 * referrer's care staff. A known phone changes nothing. Both take the same path, so neither the
 * answer nor the work behind it differs: the referrer is resolved (an unknown or blocked REF ID is
 * the same 422 for both), then the CTV's transaction is tried; for a known phone DynamoDB refuses it
 * on the phone claim (which also makes ten concurrent registrations of one phone one CTV), and
 * createCollaborator reads the claim to say whose it is. A new phone reads the claim too (the one it
 * just wrote), so both make the same reads and one write attempt.
 */
export async function register(deps: Deps, pageId: string, input: RegistrationInput): Promise<RegistrationReceipt> {
  const tenantId = await tenantOfPage(deps, pageId);
  const settings = await getSettings(deps.store, tenantId);
  const outcome = await addCollaborator(
    deps,
    tenantId,
    {
      name: input.name,
      phone: input.phone,
      ...(input.email ? { email: input.email } : {}),
      ...(input.refId ? { referrerRefId: input.refId } : {}),
    },
    {
      status: registrationStatus(settings),
      source: 'registration',
      actor: 'self-registration',
      refIdField: 'refId',
      inheritCareStaff: true,
    },
  );
  // the read a known phone made when its transaction was refused (see above); the answer does not depend on it
  if (outcome.created) await getCollaboratorIdByPhone(deps.store, tenantId, input.phone);
  return registrationReceipt();
}

type JoinResult = {
  status: 200 | 201;
  body: { tenantId: string; id: string; refId: string; status: string; outcome: 'created' | 'linked' | 'already_joined' };
};

const joined = (tenantId: string, ctv: Collaborator, outcome: JoinResult['body']['outcome']): JoinResult => ({
  status: outcome === 'already_joined' ? 200 : 201,
  body: { tenantId, id: ctv.id, refId: ctv.refId, status: ctv.status, outcome },
});

/**
 * A signed-in account joins a business as a CTV. Already linked: 200, nothing changes. A new
 * phone: a new CTV linked to the account (201). A phone whose CTV has no account yet: linked
 * (201) only if the token proves the account owns that record's email or phone (see
 * domain/registration.ts); otherwise, or when another account has it, 409 naming `phone`.
 * Every link also gives the account the collaborator role, in the same transaction.
 */
export async function join(deps: Deps, pageId: string, sub: string, claims: AccountClaims, input: RegistrationInput): Promise<JoinResult> {
  const tenantId = await tenantOfPage(deps, pageId);
  const already = await linkedCollaborator(deps, tenantId, sub);
  if (already) return joined(tenantId, already, 'already_joined');

  const existing = await existingByPhone(deps, tenantId, input.phone);
  if (existing) return link(deps, tenantId, existing, sub, claims);

  const settings = await getSettings(deps.store, tenantId);
  const outcome = await addCollaborator(
    deps,
    tenantId,
    {
      name: input.name,
      phone: input.phone,
      ...(input.email ? { email: input.email } : {}),
      ...(input.refId ? { referrerRefId: input.refId } : {}),
    },
    { status: registrationStatus(settings), source: 'registration', actor: sub, refIdField: 'refId', inheritCareStaff: true, userId: sub },
  );
  if (outcome.created) return joined(tenantId, outcome.collaborator, 'created');
  const other = outcome.existingId ? await getCollaborator(deps.store, tenantId, outcome.existingId) : null;
  if (!other) throw conflict('Your account is joining this business in another request; please retry');
  // a concurrent join of the same account, or a concurrent registration of the phone
  return outcome.reason === 'account_taken' ? joined(tenantId, other, 'already_joined') : link(deps, tenantId, other, sub, claims);
}

export async function linkedCollaborator(deps: Deps, tenantId: string, sub: string): Promise<Collaborator | null> {
  const id = await getCollaboratorIdByAccount(deps.store, tenantId, sub);
  return id ? getCollaborator(deps.store, tenantId, id) : null;
}

async function link(deps: Deps, tenantId: string, ctv: Collaborator, sub: string, claims: AccountClaims): Promise<JoinResult> {
  if (ctv.userId === sub) return joined(tenantId, ctv, 'already_joined');
  if (ctv.userId) throw conflict('A collaborator with this phone is already linked to another account', 'phone');
  if (!accountOwnsRecord(ctv, claims)) {
    throw conflict(
      'A collaborator with this phone is already in this business. Sign in with the email on that record (or a verified phone) to link it, or ask your care staff.',
      'phone',
    );
  }
  const at = deps.now().toISOString();
  const next = { ...ctv, userId: sub, updatedAt: at, updatedBy: sub, version: ctv.version + 1 };
  const outcome = await linkCollaboratorAccount(deps.store, next);
  if (outcome === 'linked') return joined(tenantId, next, 'linked');
  if (outcome === 'account_taken') {
    const mine = await linkedCollaborator(deps, tenantId, sub);
    if (mine) return joined(tenantId, mine, 'already_joined');
  }
  throw conflict('This collaborator changed while it was being linked; please retry', 'phone');
}

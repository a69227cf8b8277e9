import { createHash, timingSafeEqual } from 'node:crypto';
import type { RosterEntry } from '../../domain/entities/roster';
import { conflict, notFound } from '../../domain/errors';
import {
  acceptDecision,
  canRevoke,
  invitationToken,
  invitationValidUntil,
  invitationView,
  parseInvitationToken,
  type CreateInvitationInput,
  type Invitation,
  type InvitationStatus,
  type InvitationView,
} from '../../domain/invitations';
import { maskPersonalFields } from '../../domain/privacy';
import { fencedDeps, type Deps } from '../deps';
import { writeAudit } from '../store/audit';
import { getInvitation, invitationUseWrite, listInvitations, putInvitation, revokeInvitation } from '../store/invitations';
import type { Page, PageRequest } from '../store/paging';
import { getSettings } from '../store/tenants';
import { addToRoster, assertOnManagerRoster } from './rosters';

/**
 * Invitations to the rosters (domain/invitations.ts): the owner makes, lists and revokes them; the
 * invitee, signed in, accepts one and joins the roster exactly as an account the owner adds by
 * `sub` (services/rosters.ts).
 */

/** 256 random bits: the token cannot be guessed, and its hash is all the table keeps. */
const SECRET_BYTES = 32;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

const notFoundInvitation = () => notFound('Invitation');

/** A new invitation and its token (shown once: only its hash is stored). A care staff's manager must be on the manager roster (422). */
export async function createInvitation(
  deps: Deps,
  tenantId: string,
  input: CreateInvitationInput,
  createdBy: string,
): Promise<{ invitation: Invitation; token: string }> {
  if (input.managerUserId) await assertOnManagerRoster(deps, tenantId, input.managerUserId);
  const now = deps.now();
  const id = deps.newId();
  const token = invitationToken(tenantId, id, Buffer.from(deps.random(SECRET_BYTES)).toString('base64url'));
  const invitation: Invitation = {
    tenantId,
    id,
    role: input.role,
    name: input.name,
    ...(input.email !== undefined ? { email: input.email } : {}),
    ...(input.phone !== undefined ? { phone: input.phone } : {}),
    ...(input.managerUserId !== undefined ? { managerUserId: input.managerUserId } : {}),
    tokenHash: hashToken(token),
    createdAt: now.toISOString(),
    createdBy,
    validUntil: invitationValidUntil(now),
  };
  await putInvitation(deps.store, invitation);
  return { invitation, token };
}

export async function listInvitationViews(
  deps: Deps,
  tenantId: string,
  status: InvitationStatus | undefined,
  page: PageRequest,
): Promise<Page<InvitationView>> {
  const now = deps.now().toISOString();
  const found = await listInvitations(deps.store, tenantId, { status, now }, page);
  return { items: found.items.map((inv) => invitationView(inv, now)), nextCursor: found.nextCursor };
}

/** Revoke an invitation nobody has used (404 unknown, 409 used); revoking it again changes nothing. */
export async function revokeInvitationById(
  deps: Deps,
  tenantId: string,
  invitationId: string,
  by: string,
): Promise<{ before: InvitationView; after: InvitationView }> {
  const used = () => conflict('This invitation has been accepted; remove the account from its roster instead');
  const stored = await getInvitation(deps.store, tenantId, invitationId);
  if (!stored) throw notFoundInvitation();
  if (!canRevoke(stored)) throw used();
  const now = deps.now().toISOString();
  const outcome = await revokeInvitation(deps.store, tenantId, invitationId, by, now);
  if (outcome === 'missing') throw notFoundInvitation();
  if (outcome === 'used') throw used();
  const after = (await getInvitation(deps.store, tenantId, invitationId)) ?? stored;
  return { before: invitationView(stored, now), after: invitationView(after, now) };
}

export type AcceptOutcome = { outcome: 'joined'; entry: RosterEntry } | { outcome: 'revoked' | 'expired' };

/** The invitation's use was refused by its condition: used, revoked or expired meanwhile, or gone. */
class InvitationTaken extends Error {}

/**
 * The signed-in `caller` accepts the invitation `token` names. An unknown token, or one whose hash
 * is not the invitation's, is a 404 (nothing says the business exists). A used invitation is a 409;
 * a revoked or expired one answers `revoked` / `expired` (410). Otherwise the caller joins its
 * roster and the invitation is marked used in one transaction: of two accepts racing, one wins; if
 * joining is refused (already on that roster: 409; the named manager left it: 422) the invitation
 * stays unused, so it still works for the right account.
 */
export async function acceptInvitation(
  deps: Deps,
  token: string,
  caller: { sub: string; email?: string | undefined },
): Promise<AcceptOutcome> {
  const parts = parseInvitationToken(token);
  if (!parts) throw notFoundInvitation();
  const { tenantId, invitationId } = parts;
  // the accept acts in the business the token names and in no other (store/guard.ts)
  const scoped = fencedDeps(deps, tenantId);
  const now = scoped.now().toISOString();
  // a use refused by its condition: read the invitation again to answer why
  for (let attempt = 0; attempt < 2; attempt++) {
    const invitation = await getInvitation(scoped.store, tenantId, invitationId);
    if (!invitation || !sameHash(invitation.tokenHash, hashToken(token))) throw notFoundInvitation();
    const decision = acceptDecision(invitation, now);
    if (decision === 'used') throw conflict('This invitation has already been used');
    if (decision !== 'ok') return { outcome: decision };
    const input = {
      userId: caller.sub,
      name: invitation.name,
      ...((invitation.email ?? caller.email) ? { email: invitation.email ?? caller.email } : {}),
      ...(invitation.managerUserId ? { managerUserId: invitation.managerUserId } : {}),
    };
    try {
      // added by the owner who invited them: the owner chose the roster and the team
      const entry = await addToRoster(scoped, tenantId, invitation.role, input, invitation.createdBy, {
        write: invitationUseWrite(scoped.store, tenantId, invitationId, caller.sub, now),
        refused: () => new InvitationTaken(),
      });
      await auditAccept(scoped, invitation, entry, now);
      return { outcome: 'joined', entry };
    } catch (error) {
      if (!(error instanceof InvitationTaken)) throw error;
    }
  }
  throw conflict('This invitation has already been used');
}

/**
 * The audit entry of an accept (the owner's own invitation actions are audited by the HTTP layer;
 * this route names no business, so its entry is written here). Like those, a failed write is
 * logged, not thrown: the account has joined.
 */
async function auditAccept(deps: Deps, invitation: Invitation, entry: RosterEntry, at: string): Promise<void> {
  try {
    const { auditRetentionDays } = await getSettings(deps.store, invitation.tenantId);
    await writeAudit(
      deps.store,
      {
        id: deps.newId(),
        tenantId: invitation.tenantId,
        at,
        actor: entry.userId,
        action: 'acceptInvitation',
        target: { invitationId: invitation.id },
        status: 201,
        after: maskPersonalFields(entry),
      },
      auditRetentionDays,
    );
  } catch (error) {
    deps.log({
      level: 'error',
      msg: 'audit entry not written',
      operation: 'acceptInvitation',
      error: (error as Error)?.message?.slice(0, 200),
    });
  }
}

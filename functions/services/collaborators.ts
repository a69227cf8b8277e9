import { createHash } from 'node:crypto';
import { canSeeCollaborator, collaboratorScope } from '../../domain/access';
import {
  checkImportRows,
  MAX_IMPORT_ROWS,
  parseImportCsv,
  parseImportRecords,
  type ImportInput,
  type ImportResult,
} from '../../domain/collaborator-import';
import { stripBom } from '../../domain/csv';
import {
  assignCareStaff,
  careStaffAssignmentRefusal,
  changeReferrer,
  changeStatus,
  collaboratorChangeRefusal,
  newCollaborator,
  updateProfile,
  toReferee,
  type Collaborator,
  type CollaboratorChange,
  type CollaboratorFilter,
  type CollaboratorStatus,
  type CreateCollaboratorInput,
  type RefereeView,
  type StatusAction,
  type UpdateCollaboratorInput,
} from '../../domain/entities/collaborator';
import type { Membership } from '../../domain/entities/roster';
import { conflict, DomainError, forbidden, invalid, notFound, preconditionFailed, ruleViolation } from '../../domain/errors';
import { refIdFor } from '../../domain/ids';
import type { Deps } from '../deps';
import { readFirstSheet } from './xlsx-read';
import {
  createCollaborator,
  createImportedCollaborators,
  getCollaborator,
  getCollaboratorIdByRefId,
  getCollaboratorsByRefIds,
  getPhoneClaims,
  IMPORT_CHUNK,
  listCollaborators,
  listReferees,
  refereeCursorAfter,
  saveCollaborator,
} from '../store/collaborators';
import { careStaffNotOnRoster } from '../store/care-load';
import { getRosterEntry } from '../store/members';
import type { Page, PageRequest } from '../store/paging';

/** A fresh REF ID collides rarely (30^5 per name prefix); a few tries make it certain in practice. */
const REF_ID_ATTEMPTS = 5;

export type AddOutcome =
  | { created: true; collaborator: Collaborator }
  | { created: false; reason: 'phone_taken' | 'account_taken'; existingId: string | null };

export interface AddHow {
  status: CollaboratorStatus;
  source: Collaborator['source'];
  actor: string;
  /** the input field that named the referrer's REF ID, for the error (default `referrerRefId`) */
  refIdField?: string;
  /** with no care staff named, take the referrer's (self-registration and join) */
  inheritCareStaff?: boolean;
  /** the account the CTV signs in with (join) */
  userId?: string;
}

/** The CTV holding a REF ID, able to refer: unknown and blocked REF IDs are a 422 naming `field`. */
export async function resolveReferrer(deps: Deps, tenantId: string, refId: string, field: string): Promise<Collaborator> {
  const id = await getCollaboratorIdByRefId(deps.store, tenantId, refId);
  const referrer = id ? await getCollaborator(deps.store, tenantId, id) : null;
  if (!referrer) throw ruleViolation('No collaborator of this business has this REF ID', field);
  if (referrer.status === 'blocked') throw ruleViolation('This REF ID belongs to a blocked collaborator', field);
  return referrer;
}

/**
 * Add a CTV: check the care staff is on the roster (and take their manager), resolve the
 * referrer's REF ID, then store with a fresh REF ID; a taken phone is reported, not overwritten.
 */
export async function addCollaborator(deps: Deps, tenantId: string, input: CreateCollaboratorInput, how: AddHow): Promise<AddOutcome> {
  let referrer: Collaborator | undefined;
  if (input.referrerRefId) referrer = await resolveReferrer(deps, tenantId, input.referrerRefId, how.refIdField ?? 'referrerRefId');

  let careStaffUserId = input.careStaffUserId;
  let managerUserId: string | undefined;
  if (careStaffUserId) {
    const staff = await getRosterEntry(deps.store, tenantId, 'care_staff', careStaffUserId);
    if (!staff) throw careStaffNotOnRoster();
    managerUserId = staff.managerUserId;
  } else if (how.inheritCareStaff && referrer?.careStaffUserId) {
    // the referrer's care staff looks after the newcomer too, if still on the roster
    const staff = await getRosterEntry(deps.store, tenantId, 'care_staff', referrer.careStaffUserId);
    if (staff) {
      careStaffUserId = staff.userId;
      managerUserId = staff.managerUserId;
    }
  }
  const id = deps.newId();
  for (let attempt = 0; attempt < REF_ID_ATTEMPTS; attempt++) {
    const collaborator = newCollaborator({
      id,
      tenantId,
      refId: refIdFor(input.name, deps.random(5)),
      input: { ...input, ...(referrer ? { referrerRefId: referrer.refId } : {}) },
      status: how.status,
      source: how.source,
      careStaffUserId,
      managerUserId,
      referrerId: referrer?.id,
      userId: how.userId,
      at: deps.now().toISOString(),
      by: how.actor,
    });
    const outcome = await createCollaborator(deps.store, collaborator);
    if (outcome.ok) return { created: true, collaborator };
    if (outcome.reason !== 'ref_id_taken') return { created: false, reason: outcome.reason, existingId: outcome.existingId };
  }
  throw conflict('Could not find a free REF ID; please retry');
}

// ---------------------------------------------------------------------------------------------
// Changing a CTV: one path for every change, so each is checked the same way.

export interface ChangeContext {
  tenantId: string;
  collaboratorId: string;
  membership: Membership;
  /** the version the caller read (If-Match, or `version` in the body) */
  expectedVersion: number;
  actor: string;
}

/**
 * Read the CTV, then: a CTV the caller cannot see is a 404 (as for another business's data); a
 * change their role does not allow is a 403; a stale version a 412; then `make` builds the next
 * CTV (a rule it breaks is a 422) and it is written over the version read, so a concurrent change
 * is a 412 too.
 */
async function changeCollaborator(
  deps: Deps,
  ctx: ChangeContext,
  changes: readonly CollaboratorChange[],
  make: (ctv: Collaborator, at: string) => Promise<{ next: Collaborator; upline?: { id: string; referrerId?: string }[] }>,
): Promise<Collaborator> {
  const expected = ctx.expectedVersion;
  const ctv = await getCollaborator(deps.store, ctx.tenantId, ctx.collaboratorId);
  if (!ctv || !canSeeCollaborator(ctx.membership, ctv)) throw notFound('Collaborator');
  for (const change of changes) {
    const refusal = collaboratorChangeRefusal(ctx.membership, ctv, change);
    if (refusal) throw forbidden(refusal);
  }
  if (ctv.version !== expected) throw preconditionFailed();
  const { next, upline } = await make(ctv, deps.now().toISOString());
  await saveCollaborator(deps.store, ctv, next, upline);
  return next;
}

/** approve, pause, resume or block a CTV (domain/entities/collaborator.ts says which moves are allowed). */
export function changeCollaboratorStatus(
  deps: Deps,
  ctx: ChangeContext,
  action: StatusAction,
  reason: string | undefined,
): Promise<Collaborator> {
  return changeCollaborator(deps, ctx, [action], async (ctv, at) => ({ next: changeStatus(ctv, action, at, ctx.actor, reason) }));
}

/**
 * Give a CTV to care staff on the roster (their manager comes with them): a manager only to care
 * staff of their own team.
 */
export function assignCollaboratorCareStaff(
  deps: Deps,
  ctx: ChangeContext,
  careStaffUserId: string,
  reason: string | undefined,
): Promise<Collaborator> {
  return changeCollaborator(deps, ctx, ['assignCareStaff'], async (ctv, at) => {
    const staff = await careStaffOnRoster(deps, ctx.tenantId, careStaffUserId);
    const refusal = careStaffAssignmentRefusal(ctx.membership, staff);
    if (refusal) throw forbidden(refusal);
    return { next: assignCareStaff(ctv, { careStaffUserId: staff.userId, managerUserId: staff.managerUserId }, at, ctx.actor, reason) };
  });
}

/**
 * A PATCH of a CTV: its profile and, by REF ID, its referrer, as one version step. Each kind of
 * change is authorised on its own: care staff may edit contact details, not levels or referrers.
 */
export function updateCollaborator(deps: Deps, ctx: ChangeContext, input: Omit<UpdateCollaboratorInput, 'version'>): Promise<Collaborator> {
  const { referrerRefId, ...profile } = input;
  const changes: CollaboratorChange[] = [];
  if (['name', 'email', 'bank', 'note'].some((f) => f in profile)) changes.push('update');
  if (profile.level !== undefined) changes.push('level');
  if (referrerRefId !== undefined) changes.push('referrer');
  return changeCollaborator(deps, ctx, changes, async (ctv, at) => {
    const updated = updateProfile(ctv, profile, at, ctx.actor);
    if (referrerRefId === undefined) return { next: updated };
    // the referrer change builds on the profile change: one version step for the whole PATCH
    const moved = await withReferrer(deps, ctx.tenantId, { ...updated, version: ctv.version }, referrerRefId, at, ctx.actor);
    return { next: { ...moved.next, version: updated.version }, upline: moved.upline };
  });
}

/** A roster entry of care staff, or a 422 naming `careStaffUserId`. */
async function careStaffOnRoster(deps: Deps, tenantId: string, userId: string) {
  const staff = await getRosterEntry(deps.store, tenantId, 'care_staff', userId);
  if (!staff) throw careStaffNotOnRoster();
  return staff;
}

/**
 * A CTV added by a member of the business, approved at once. Care staff add CTVs to their own
 * care; a manager names care staff of their own team; the owner any. A phone already in the
 * business is a 409.
 */
export async function createCollaboratorAs(
  deps: Deps,
  tenantId: string,
  membership: Membership,
  input: CreateCollaboratorInput,
  actor: string,
): Promise<Collaborator> {
  const scope = collaboratorScope(membership);
  if (scope.careStaffUserId && input.careStaffUserId && input.careStaffUserId !== scope.careStaffUserId) {
    throw forbidden('Care staff can add collaborators only to their own care');
  }
  if (scope.managerUserId && input.careStaffUserId) {
    const refusal = careStaffAssignmentRefusal(membership, await careStaffOnRoster(deps, tenantId, input.careStaffUserId));
    if (refusal) throw forbidden(refusal);
  }
  const named = scope.careStaffUserId ? { ...input, careStaffUserId: scope.careStaffUserId } : input;
  const outcome = await addCollaborator(deps, tenantId, named, { status: 'approved', source: 'manual', actor });
  if (!outcome.created) throw conflict('A collaborator with this phone already exists in this business', 'phone');
  return outcome.collaborator;
}

/** One page of the CTVs a member may see: their own scope narrows whatever filter they ask for (care staff asking for another's CTVs get none). */
export async function listCollaboratorsFor(
  deps: Deps,
  tenantId: string,
  membership: Membership,
  filter: CollaboratorFilter,
  page: PageRequest,
): Promise<Page<Collaborator>> {
  const scope = collaboratorScope(membership);
  if (scope.careStaffUserId && filter.careStaffUserId && filter.careStaffUserId !== scope.careStaffUserId)
    return { items: [], nextCursor: null };
  return listCollaborators(deps.store, tenantId, { ...filter, ...scope }, page);
}

/** A CTV the caller may see (else 404), with its referees (without their contact or bank details). */
export async function refereesOf(
  deps: Deps,
  tenantId: string,
  membership: Membership,
  collaboratorId: string,
  depth: 1 | 2,
  page: PageRequest,
): Promise<Page<RefereeView>> {
  const ctv = await getCollaborator(deps.store, tenantId, collaboratorId);
  if (!ctv || !canSeeCollaborator(membership, ctv)) throw notFound('Collaborator');
  return listRefereeTree(deps, tenantId, ctv.id, depth, page);
}

/** The longest upline read to check a referrer change (a transaction checks it unchanged: ≤ 99 items). */
export const MAX_UPLINE = 99;

/**
 * Set a CTV's referrer by REF ID (null removes it). The new referrer's upline is read to the root,
 * so the domain can refuse a cycle, and checked unchanged when the change is written.
 */
export async function withReferrer(
  deps: Deps,
  tenantId: string,
  ctv: Collaborator,
  refId: string | null,
  at: string,
  by: string,
): Promise<{ next: Collaborator; upline: { id: string; referrerId?: string }[] }> {
  if (refId === null) return { next: changeReferrer(ctv, null, at, by), upline: [] };
  const referrer = await resolveReferrer(deps, tenantId, refId, 'referrerRefId');
  const upline: { id: string; referrerId?: string }[] = [
    { id: referrer.id, ...(referrer.referrerId ? { referrerId: referrer.referrerId } : {}) },
  ];
  const seen = new Set([referrer.id]);
  let nextId = referrer.referrerId;
  // stop at the root, at the CTV itself (a cycle the domain refuses), or at a loop already stored
  while (nextId && nextId !== ctv.id && !seen.has(nextId)) {
    if (upline.length >= MAX_UPLINE) throw ruleViolation(`This referrer's upline is deeper than ${MAX_UPLINE} levels`, 'referrerRefId');
    const above = await getCollaborator(deps.store, tenantId, nextId);
    if (!above) break;
    upline.push({ id: above.id, ...(above.referrerId ? { referrerId: above.referrerId } : {}) });
    seen.add(above.id);
    nextId = above.referrerId;
  }
  const chain = upline.slice(1).map((u) => u.id);
  if (nextId === ctv.id) chain.push(ctv.id);
  const next = changeReferrer(ctv, { id: referrer.id, refId: referrer.refId, chain }, at, by);
  return { next, upline };
}

// ---------------------------------------------------------------------------------------------
// The referral tree, two levels deep, in pages.

interface TreeCursor {
  /** a cursor into the root's F1 list: resume after the F1 being expanded (or last listed) */
  o: string | null;
  /** the F1 whose referees are being listed */
  c: string | null;
  /** a cursor into c's referees */
  i: string | null;
}

function decodeTreeCursor(cursor: string): TreeCursor {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const ok = (v: unknown) => v === null || (typeof v === 'string' && v.length <= 2048);
    if (value && typeof value === 'object' && ok(value.o) && ok(value.c) && ok(value.i)) return value as unknown as TreeCursor;
  } catch {
    // fall through
  }
  throw invalid([{ path: 'cursor', message: 'not a cursor from this list' }]);
}

const encodeTreeCursor = (c: TreeCursor) => Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');

/**
 * A CTV's referees: depth 1 lists the direct referees (F1); depth 2 lists each F1 followed by its
 * own referees (F2). Pages are filled across F1s; the cursor says where to resume.
 */
export async function listRefereeTree(
  deps: Deps,
  tenantId: string,
  rootId: string,
  depth: 1 | 2,
  page: PageRequest,
): Promise<Page<RefereeView>> {
  if (depth === 1) {
    const f1 = await listReferees(deps.store, tenantId, rootId, page);
    return { items: f1.items.map((c) => toReferee(c, 1)), nextCursor: f1.nextCursor };
  }
  let state: TreeCursor = page.cursor ? decodeTreeCursor(page.cursor) : { o: null, c: null, i: null };
  if (state.c) {
    // a cursor names an F1 to expand: it must be a referee of this root, or it could list anyone's
    const f1 = await getCollaborator(deps.store, tenantId, state.c);
    if (f1?.referrerId !== rootId) throw invalid([{ path: 'cursor', message: 'not a cursor from this list' }]);
  }
  const items: RefereeView[] = [];
  let buffer: Collaborator[] = [];
  let outerDone = false;
  while (items.length < page.limit) {
    if (state.c) {
      const inner = await listReferees(deps.store, tenantId, state.c, { limit: page.limit - items.length, cursor: state.i ?? undefined });
      items.push(...inner.items.map((c) => toReferee(c, 2)));
      state = inner.nextCursor ? { ...state, i: inner.nextCursor } : { o: state.o, c: null, i: null };
      continue;
    }
    if (buffer.length === 0) {
      if (outerDone) return { items, nextCursor: null };
      const outer = await listReferees(deps.store, tenantId, rootId, { limit: page.limit - items.length, cursor: state.o ?? undefined });
      buffer = outer.items;
      outerDone = outer.nextCursor === null;
      if (buffer.length === 0) return { items, nextCursor: null };
    }
    const f1 = buffer.shift()!;
    items.push(toReferee(f1, 1));
    state = { o: refereeCursorAfter(f1), c: f1.id, i: null };
  }
  return { items, nextCursor: encodeTreeCursor(state) };
}

// ---------------------------------------------------------------------------------------------
// Bulk import from CSV or an .xlsx workbook.

/**
 * A batch is named by its content: the same file imported again (a retry after a timeout or a
 * crash) is the same batch, and its rows whose phones the batch already claimed count as done.
 */
export const importBatchId = (tenantId: string, csv: string) =>
  createHash('sha256')
    .update(`${tenantId}\n${stripBom(csv).replace(/\r\n?/g, '\n')}`)
    .digest('hex')
    .slice(0, 32);

/** the columns a workbook's row may fill: the import's six, with room for notes beside them */
const MAX_IMPORT_SHEET_COLUMNS = 64;

/**
 * The rows of the file sent: CSV text, or the first sheet of a workbook. A workbook's batch is
 * named by its cells, not its bytes (the same sheet saved again is the same batch); one that
 * cannot be read is a 400 on `xlsx`.
 */
function importFileOf(tenantId: string, input: ImportInput): { field: 'csv' | 'xlsx'; batchId: string; parsed: ImportResult } {
  if (input.xlsx === undefined) {
    const csv = input.csv ?? '';
    return { field: 'csv', batchId: importBatchId(tenantId, csv), parsed: parseImportCsv(csv) };
  }
  // header + one row past the limit, so that the limit is reported on its line
  const sheet = readFirstSheet(Buffer.from(input.xlsx, 'base64'), { maxRows: MAX_IMPORT_ROWS + 2, maxColumns: MAX_IMPORT_SHEET_COLUMNS });
  if (!sheet.ok) throw invalid([{ path: 'xlsx', message: sheet.message }], 'The xlsx file cannot be read');
  const cells = sheet.rows.map((r) => JSON.stringify(r.fields)).join('\n');
  const batchId = createHash('sha256').update(`${tenantId}\nxlsx\n${cells}`).digest('hex').slice(0, 32);
  return { field: 'xlsx', batchId, parsed: parseImportRecords(sheet.rows, { spreadsheet: true }) };
}

/**
 * Check every row (shape, phones in the file and in the business, REF IDs, care staff), then, if
 * all are good and it is not a dry run, write the new CTVs in transactions of IMPORT_CHUNK.
 * All-or-nothing means: nothing is written unless every row is good. The chunks are separate
 * transactions, so a crash midway leaves the first chunks written; the same file sent again
 * finds those rows done (their phones are claimed by this batch) and writes the rest.
 */
export async function importCollaborators(deps: Deps, tenantId: string, membership: Membership, input: ImportInput, actor: string) {
  const { field, batchId, parsed } = importFileOf(tenantId, input);
  const rows = parsed.rows;
  const refIds = [...new Set(rows.flatMap((r) => (r.referrerRefId ? [r.referrerRefId] : [])))];
  const staffIds = [...new Set(rows.flatMap((r) => (r.careStaffUserId ? [r.careStaffUserId] : [])))];
  const [phones, referrers, careStaff] = await Promise.all([
    getPhoneClaims(
      deps.store,
      tenantId,
      rows.map((r) => r.phone),
    ),
    getCollaboratorsByRefIds(deps.store, tenantId, refIds),
    rosterEntries(deps, tenantId, staffIds),
  ]);
  const managerUserId = membership.roles.includes('owner') ? undefined : membership.userId;
  const checked = checkImportRows(rows, { phones, referrers, careStaff, ...(managerUserId ? { managerUserId } : {}) }, batchId);
  const errors = [...parsed.problems, ...checked.problems].sort((a, b) => a.line - b.line);
  const report = {
    batchId,
    dryRun: input.dryRun,
    rows: parsed.records,
    valid: errors.length === 0,
    toCreate: checked.toCreate.length,
    alreadyImported: checked.alreadyImported.length,
    errors,
    created: [] as { line: number; id: string; refId: string }[],
  };
  if (input.dryRun) return { status: 200, report };
  if (errors.length) {
    throw new DomainError(
      'rule_violation',
      `${new Set(errors.map((e) => e.line)).size} line(s) of the file are not valid; nothing was imported. Send it with dryRun: true for the full report.`,
      errors.map((e) => ({ path: `${field}.${e.line}.${e.field}`, message: e.reason })),
    );
  }

  const at = deps.now().toISOString();
  const pending = checked.toCreate.map((row) => {
    const staff = row.careStaffUserId ? careStaff.get(row.careStaffUserId) : undefined;
    const referrer = row.referrerRefId ? referrers.get(row.referrerRefId) : undefined;
    return {
      line: row.line,
      ctv: newCollaborator({
        id: deps.newId(),
        tenantId,
        refId: refIdFor(row.name, deps.random(5)),
        input: {
          name: row.name,
          phone: row.phone,
          level: row.level,
          ...(row.email ? { email: row.email } : {}),
          ...(referrer ? { referrerRefId: referrer.refId } : {}),
        },
        status: 'approved',
        source: 'import',
        careStaffUserId: row.careStaffUserId,
        managerUserId: staff?.managerUserId,
        referrerId: referrer?.id,
        importBatchId: batchId,
        at,
        by: actor,
      }),
    };
  });
  for (let start = 0; start < pending.length; start += IMPORT_CHUNK) {
    const chunk = pending.slice(start, start + IMPORT_CHUNK);
    for (let attempt = 0; ; attempt++) {
      const outcome = await createImportedCollaborators(
        deps.store,
        chunk.map((p) => p.ctv),
        batchId,
      );
      if (outcome.ok) break;
      if (outcome.phoneTaken.length) {
        const lines = chunk.filter((p) => outcome.phoneTaken.includes(p.ctv.phone));
        throw new DomainError(
          'conflict',
          `A phone was taken while the file was imported; ${report.created.length} row(s) before it were imported. Send the same file again to check and finish it.`,
          lines.map((p) => ({ path: `csv.${p.line}.phone`, message: 'a collaborator with this phone was added meanwhile' })),
        );
      }
      if (attempt + 1 >= REF_ID_ATTEMPTS) throw conflict('Could not find free REF IDs; please retry');
      for (const p of chunk) {
        if (outcome.refIdTaken.includes(p.ctv.id)) p.ctv = { ...p.ctv, refId: refIdFor(p.ctv.name, deps.random(5)) };
      }
    }
    report.created.push(...chunk.map((p) => ({ line: p.line, id: p.ctv.id, refId: p.ctv.refId })));
  }
  return { status: report.created.length ? 201 : 200, report };
}

async function rosterEntries(deps: Deps, tenantId: string, userIds: string[]): Promise<Map<string, { managerUserId?: string }>> {
  const out = new Map<string, { managerUserId?: string }>();
  for (let i = 0; i < userIds.length; i += 25) {
    const entries = await Promise.all(userIds.slice(i, i + 25).map((u) => getRosterEntry(deps.store, tenantId, 'care_staff', u)));
    for (const e of entries) if (e) out.set(e.userId, e.managerUserId ? { managerUserId: e.managerUserId } : {});
  }
  return out;
}

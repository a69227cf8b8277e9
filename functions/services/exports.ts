import type { Membership } from '../../domain/entities/roster';
import { calendarOf } from '../../domain/entities/tenant';
import { managerReportTable, payoutTable, staffReportTable, statementsTable } from '../../domain/exports';
import type { StatementState } from '../../domain/statements';
import type { Deps } from '../deps';
import type { PageRequest } from '../store/paging';
import { getSettings } from '../store/tenants';
import { payoutTransferRows } from './payouts';
import { managerReport, staffReport, type PeriodQuery } from './reports';
import { listStatements } from './statement-list';
import { workbookOf, type ExportFile } from './xlsx';

/**
 * `?format=xlsx`: each export is its JSON (or CSV) answer, read by the same use case, as a
 * workbook (domain/exports.ts decides the table, services/xlsx.ts writes it). A paged list's
 * workbook holds one page and names the next one's cursor, as the JSON answer does.
 */
type PagedFile = ExportFile & { nextCursor: string | null };

export async function managerReportWorkbook(
  deps: Deps,
  tenantId: string,
  membership: Membership,
  query: PeriodQuery & { managerUserId?: string | undefined },
): Promise<PagedFile> {
  const report = await managerReport(deps, tenantId, membership, query);
  return { ...(await workbookOf(managerReportTable(report))), nextCursor: report.nextCursor };
}

export async function staffReportWorkbook(
  deps: Deps,
  tenantId: string,
  membership: Membership,
  query: PeriodQuery & { userId?: string | undefined },
): Promise<PagedFile> {
  const report = await staffReport(deps, tenantId, membership, query);
  return { ...(await workbookOf(staffReportTable(report))), nextCursor: report.nextCursor };
}

/** A month's statements, the page asked for; instants in the business's time zone. */
export async function statementsWorkbook(
  deps: Deps,
  tenantId: string,
  membership: Membership,
  query: PageRequest & { period: string; status?: StatementState | undefined },
): Promise<PagedFile> {
  const [page, settings] = await Promise.all([listStatements(deps, tenantId, membership, query), getSettings(deps.store, tenantId)]);
  return { ...(await workbookOf(statementsTable(query.period, page.items, calendarOf(settings)))), nextCursor: page.nextCursor };
}

export async function payoutWorkbook(deps: Deps, tenantId: string, batchId: string): Promise<ExportFile> {
  const { batch, rows } = await payoutTransferRows(deps, tenantId, batchId);
  return workbookOf(payoutTable(batch, rows));
}

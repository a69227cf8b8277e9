import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Opportunity, OpportunityFilter } from '../../domain/entities/opportunity';
import { preconditionFailed } from '../../domain/errors';
import { isConditionFailure, stripKeys, storedVersionIs, type Store } from './client';
import { keys } from './keys';
import { queryPage, type Page, type PageRequest, type QueryPageOptions } from './paging';

function opportunityItem(opp: Opportunity) {
  return {
    ...keys.opportunity(opp.tenantId, opp.id),
    ...keys.opportunityIndexes(opp.tenantId, opp.id, opp),
    entity: 'opportunity',
    ...opp,
  };
}

export async function createOpportunity(store: Store, opp: Opportunity): Promise<void> {
  await store.db.send(
    new PutCommand({ TableName: store.tableName, Item: opportunityItem(opp), ConditionExpression: 'attribute_not_exists(pk)' }),
  );
}

export async function getOpportunity(store: Store, tenantId: string, id: string): Promise<Opportunity | null> {
  const out = await store.db.send(
    new GetCommand({ TableName: store.tableName, Key: keys.opportunity(tenantId, id), ConsistentRead: true }),
  );
  return out.Item ? stripKeys<Opportunity>(out.Item) : null;
}

/** Write a moved opportunity over the version it was made from; its state index key moves with it. */
export async function saveOpportunity(store: Store, next: Opportunity): Promise<void> {
  try {
    await store.db.send(
      new PutCommand({
        TableName: store.tableName,
        Item: opportunityItem(next),
        ...storedVersionIs(next.version - 1),
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw preconditionFailed();
    throw error;
  }
}

/**
 * Opportunities of a business, oldest first. The most selective index serves the query (CTV, care
 * staff, manager, state, then all); the other filters are applied within that one partition.
 */
export function listOpportunities(
  store: Store,
  tenantId: string,
  filter: OpportunityFilter & { managerUserId?: string },
  page: PageRequest,
): Promise<Page<Opportunity>> {
  const source = filter.collaboratorId
    ? keys.opportunitiesByCollaborator(tenantId, filter.collaboratorId)
    : filter.careStaffUserId
      ? keys.opportunitiesByCareStaff(tenantId, filter.careStaffUserId)
      : filter.managerUserId
        ? keys.opportunitiesByManager(tenantId, filter.managerUserId)
        : filter.state
          ? keys.opportunitiesByState(tenantId, filter.state)
          : keys.opportunitiesAll(tenantId);
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const where = (attribute: keyof Opportunity, value: string | undefined, served: boolean) => {
    if (value === undefined || served) return;
    conditions.push(`#${attribute} = :${attribute}`);
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = value;
  };
  where('careStaffUserId', filter.careStaffUserId, !filter.collaboratorId);
  where('managerUserId', filter.managerUserId, !filter.collaboratorId && !filter.careStaffUserId);
  where('state', filter.state, !filter.collaboratorId && !filter.careStaffUserId && !filter.managerUserId);
  const options: QueryPageOptions = { index: source.index, pk: source.pk };
  if (conditions.length) options.filter = { expression: conditions.join(' AND '), names, values };
  return queryPage<Opportunity>(store, options, page);
}

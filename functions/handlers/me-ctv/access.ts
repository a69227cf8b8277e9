import type { Collaborator } from '../../../domain/entities/collaborator';
import { notFound } from '../../../domain/errors';
import type { Deps } from '../../deps';
import { linkedCollaborator } from '../../services/pages';

/** The caller's own CTV record in the business (the account they joined the page with). */
export async function myCollaborator(deps: Deps, tenantId: string, sub: string): Promise<Collaborator> {
  const ctv = await linkedCollaborator(deps, tenantId, sub);
  if (!ctv) throw notFound('Collaborator');
  return ctv;
}

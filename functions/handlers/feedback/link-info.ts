import { implement, json, toLambda } from '../../http/operation';
import { feedbackRoutes } from '../../routes/feedback';
import { feedbackLinkInfo } from '../../services/feedback';
import { gone } from './gone';

/** What the customer's rating page shows: the business and the order's items, nothing personal. */
export const operation = implement(feedbackRoutes.linkInfo, async ({ deps, params }) => {
  const info = await feedbackLinkInfo(deps, params.token ?? '');
  return 'expired' in info ? gone('This feedback link has expired') : json(200, info);
});

export const handler = toLambda(operation);

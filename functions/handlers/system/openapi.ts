import { implement, json, toLambda } from '../../http/operation';
import { buildOpenApiDocument } from '../../openapi/document';
import { ROUTES } from '../../routes';
import { systemRoutes } from '../../routes/system';

let document: unknown;

export const operation = implement(systemRoutes.openapi, async () => {
  document ??= buildOpenApiDocument(ROUTES, { title: 'ctv-cloud API', version: '1' });
  return json(200, document, { 'cache-control': 'public, max-age=300' });
});

export const handler = toLambda(operation);

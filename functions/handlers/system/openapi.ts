import { implement, json, toLambda } from '../../http/operation';
import { servedOpenApiDocument } from '../../openapi/document';
import { systemRoutes } from '../../routes/system';

export const operation = implement(systemRoutes.openapi, async () =>
  json(200, servedOpenApiDocument(), { 'cache-control': 'public, max-age=300' }),
);

export const handler = toLambda(operation);

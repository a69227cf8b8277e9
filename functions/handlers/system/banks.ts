import { VN_BANKS } from '../../../domain/banks';
import { implement, json, toLambda } from '../../http/operation';
import { systemRoutes } from '../../routes/system';

const items = VN_BANKS.map(({ bin, code, shortName, name }) => ({ bin, code, shortName, name }));

export const operation = implement(systemRoutes.banks, async () => json(200, { items }, { 'cache-control': 'public, max-age=86400' }));

export const handler = toLambda(operation);

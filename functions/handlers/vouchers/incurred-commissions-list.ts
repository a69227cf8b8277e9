import { toLambda } from '../../http/operation';
import { incurred } from './operations';

export const operation = incurred.list;
export const handler = toLambda(operation);

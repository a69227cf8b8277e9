import { toLambda } from '../../http/operation';
import { incurred } from './operations';

export const operation = incurred.create;
export const handler = toLambda(operation);

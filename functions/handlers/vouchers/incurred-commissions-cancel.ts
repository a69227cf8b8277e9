import { toLambda } from '../../http/operation';
import { incurred } from './operations';

export const operation = incurred.cancel;
export const handler = toLambda(operation);

import { toLambda } from '../../http/operation';
import { incurred } from './operations';

export const operation = incurred.approve;
export const handler = toLambda(operation);

import { toLambda } from '../../http/operation';
import { adjustments } from './operations';

export const operation = adjustments.list;
export const handler = toLambda(operation);

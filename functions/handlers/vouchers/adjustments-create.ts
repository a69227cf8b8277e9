import { toLambda } from '../../http/operation';
import { adjustments } from './operations';

export const operation = adjustments.create;
export const handler = toLambda(operation);

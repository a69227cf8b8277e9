import { toLambda } from '../../http/operation';
import { adjustments } from './operations';

export const operation = adjustments.cancel;
export const handler = toLambda(operation);

import { toLambda } from '../../http/operation';
import { adjustments } from './operations';

export const operation = adjustments.approve;
export const handler = toLambda(operation);

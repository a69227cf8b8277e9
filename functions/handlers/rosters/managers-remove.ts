import { toLambda } from '../../http/operation';
import { managers } from './operations';

export const operation = managers.remove;
export const handler = toLambda(operation);

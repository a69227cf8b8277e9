import { toLambda } from '../../http/operation';
import { managers } from './operations';

export const operation = managers.list;
export const handler = toLambda(operation);

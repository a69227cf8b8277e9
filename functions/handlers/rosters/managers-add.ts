import { toLambda } from '../../http/operation';
import { managers } from './operations';

export const operation = managers.add;
export const handler = toLambda(operation);

import { toLambda } from '../../http/operation';
import { sellers } from './operations';

export const operation = sellers.remove;
export const handler = toLambda(operation);

import { toLambda } from '../../http/operation';
import { sellers } from './operations';

export const operation = sellers.list;
export const handler = toLambda(operation);

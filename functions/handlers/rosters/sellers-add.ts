import { toLambda } from '../../http/operation';
import { sellers } from './operations';

export const operation = sellers.add;
export const handler = toLambda(operation);

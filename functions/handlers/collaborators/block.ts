import { toLambda } from '../../http/operation';
import { statusChange } from './status-change';

export const operation = statusChange('block');

export const handler = toLambda(operation);

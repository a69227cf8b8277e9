import { toLambda } from '../../http/operation';
import { careStaff } from './operations';

export const operation = careStaff.list;
export const handler = toLambda(operation);

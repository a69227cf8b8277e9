import { toLambda } from '../../http/operation';
import { careStaff } from './operations';

export const operation = careStaff.remove;
export const handler = toLambda(operation);

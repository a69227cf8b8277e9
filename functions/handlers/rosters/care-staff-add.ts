import { toLambda } from '../../http/operation';
import { careStaff } from './operations';

export const operation = careStaff.add;
export const handler = toLambda(operation);

// Every operation of the core, in one map. Its type is the contract the preload API and the
// renderer are typed from: names, inputs and results come from this one place.
import { combineOperations } from '../core/router.js';
import { authOperations } from './auth.js';
import { financeOperations } from './finance.js';
import { reservationOperations } from './reservations.js';
import { taskOperations } from './tasks.js';

export const allOperations = combineOperations(
  authOperations,
  reservationOperations,
  taskOperations,
  financeOperations,
);

export type Contract = typeof allOperations;
export type OperationName = keyof Contract & string;

// Every operation of the core, in one map. Its type is the contract the preload API and the
// renderer are typed from: names, inputs and results come from this one place.
import { combineOperations } from '../core/router.js';
import { appOperations } from './app.js';
import { auditOperations } from './audit.js';
import { availabilityOperations } from './availability.js';
import { authOperations } from './auth.js';
import { financeOperations } from './finance.js';
import { guestOperations } from './guests.js';
import { ledgerOperations } from './ledger.js';
import { locationOperations } from './locations.js';
import { propertyOperations } from './properties.js';
import { reservationOperations } from './reservations.js';
import { sampleDataOperations } from './sample-data.js';
import { searchOperations } from './search.js';
import { syncOperations } from './sync.js';
import { taskOperations } from './tasks.js';
import { userOperations } from './users.js';

export const allOperations = combineOperations(
  authOperations,
  userOperations,
  guestOperations,
  locationOperations,
  propertyOperations,
  reservationOperations,
  taskOperations,
  ledgerOperations,
  financeOperations,
  auditOperations,
  sampleDataOperations,
  appOperations,
  syncOperations,
  availabilityOperations,
  searchOperations,
);

export type Contract = typeof allOperations;
export type OperationName = keyof Contract & string;

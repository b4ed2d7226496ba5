// The rulebook: every rule of rows, for both ends (see rulebook.ts).
import { ledgerChangeRules, ledgerRowRules } from './ledger.js';
import { propertyChangeRules, propertyRowRules } from './properties.js';
import { reservationChangeRules, reservationRowRules } from './reservations.js';
import type { ChangeRule, RowRule } from './rulebook.js';
import { taskChangeRules, taskRowRules } from './tasks.js';
import { userChangeRules } from './users.js';

export const ROW_RULES: readonly RowRule[] = [
  ...propertyRowRules,
  ...reservationRowRules,
  ...taskRowRules,
  ...ledgerRowRules,
];

export const CHANGE_RULES: readonly ChangeRule[] = [
  ...userChangeRules,
  ...propertyChangeRules,
  ...reservationChangeRules,
  ...taskChangeRules,
  ...ledgerChangeRules,
];

export * from './rulebook.js';

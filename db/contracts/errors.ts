// Turning zod's issues into what a person can act on: which field, and what is wrong with it.
import type { z } from 'zod';
import { fieldLabel } from '../rules/stale.js';
import {
  ledgerEntryCreate,
  locationCreate,
  propertyCreate,
  reservationCreate,
  taskCreate,
  userCreate,
} from './entities.js';

/** A form field's name in words, for screens (which reach db/rules only through the contracts). */
export { fieldLabel };

export type FieldErrors = Record<string, string>;

export function fieldErrors(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[[...issue.path, key].join('.')] ??= 'is not a known field';
      continue;
    }
    const field = issue.path.length > 0 ? issue.path.join('.') : '(input)';
    fields[field] ??= plainMessage(issue);
  }
  return fields;
}

/** The fields people fill in on our forms: the entity contracts' and the few other inputs a form asks for. */
const FORM_FIELDS = new Set<string>([
  ...[userCreate, locationCreate, propertyCreate, reservationCreate, taskCreate, ledgerEntryCreate].flatMap(
    (contract) => Object.keys(contract.shape),
  ),
  'reason',
  'password',
]);

/**
 * A field in the words of its form ("changes.checkOut" → "Check-out"). Any other key (an
 * environment variable, a command-line option, a settings file's key) stays as written: that is
 * what the reader has to find and correct.
 */
export function fieldWords(field: string): string | null {
  const name = field.replace(/^(changes|expected)\./, '');
  return FORM_FIELDS.has(name) || field === '(input)' ? fieldLabel(name) : null;
}

/**
 * One line for error banners and logs, each form field in words: "Check-out must be after the
 * check-in date; Guests must be at least 1"; other keys as written ("PORT: must be a whole number").
 */
export function describeFieldErrors(fields: FieldErrors): string {
  return Object.entries(fields)
    .map(([field, message]) => {
      const words = fieldWords(field);
      return words ? `${words} ${message}` : `${field}: ${message}`;
    })
    .join('; ');
}

/** zod's own wording for a wrong type ("Invalid input: expected object, received undefined"), in ours. */
function plainMessage(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'invalid_type' || !issue.message.startsWith('Invalid input')) return issue.message;
  if (issue.message.endsWith('received undefined')) return 'is required';
  return issue.expected === 'object'
    ? 'must be an object of fields'
    : `must be ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`;
}

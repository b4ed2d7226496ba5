// Turning zod's issues into what a person can act on: which field, and what is wrong with it.
import type { z } from 'zod';

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

/** One line for logs and error banners: "checkOut: must be after checkIn; guests: must be at least 1". */
export function describeFieldErrors(fields: FieldErrors): string {
  return Object.entries(fields)
    .map(([field, message]) => `${field}: ${message}`)
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

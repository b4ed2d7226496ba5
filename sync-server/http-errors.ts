// Errors as every endpoint answers them: a status, a stable code, a message a person can act on,
// and for bad input the fields that were wrong: {"error": {"code", "message", "fields"?}}.
import type { z } from 'zod';
import { describeFieldErrors, fieldErrors, type FieldErrors } from '../db/contracts/errors.js';
import type { HttpErrorCode } from '../db/sync/protocol.js';

export type { HttpErrorCode } from '../db/sync/protocol.js';

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: HttpErrorCode,
    message: string,
    readonly fields?: FieldErrors,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): { error: { code: HttpErrorCode; message: string; fields?: FieldErrors } } {
    return { error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) } };
  }
}

export const unauthenticated = (message: string) => new HttpError(401, 'unauthenticated', message);
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);

/** Parses `input` with `schema`, or throws a 400 naming each wrong field. */
export function parseOr400<S extends z.ZodType>(schema: S, input: unknown, what = 'The request'): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields = fieldErrors(parsed.error);
  throw new HttpError(400, 'validation', `${what} is not valid: ${describeFieldErrors(fields)}`, fields);
}

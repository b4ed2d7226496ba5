// Errors cross the process boundary as data: a stable code the UI can switch on, a message a
// person can act on, and, for bad input, the fields that were wrong.
import type { FieldErrors } from '../../db/contracts/errors.js';

export const ERROR_CODES = [
  'validation',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'locked',
  'rate_limited',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorData {
  code: ErrorCode;
  message: string;
  fields?: FieldErrors;
}

export class AppError extends Error {
  override name = 'AppError';
  /** The refusal already has its audit row (written by the code that refused), so the router adds none. */
  recorded = false;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldErrors,
  ) {
    super(message);
  }

  /** A refusal as another core answered it. */
  static from(data: AppErrorData): AppError {
    return new AppError(data.code, data.message, data.fields);
  }

  /** Marks a refusal whose audit row its own code wrote. */
  alreadyRecorded(): this {
    this.recorded = true;
    return this;
  }

  toData(): AppErrorData {
    return this.fields
      ? { code: this.code, message: this.message, fields: this.fields }
      : { code: this.code, message: this.message };
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorData };

export const notFound = (what: string) => new AppError('not_found', `${what} was not found, or you may not see it.`);
export const forbidden = (message: string) => new AppError('forbidden', message);
export const conflict = (message: string) => new AppError('conflict', message);
export const invalid = (field: string, message: string) =>
  new AppError('validation', `${field}: ${message}`, { [field]: message });

/** A refusal as a call's result, for code that answers without throwing. */
export const failure = (code: ErrorCode, message: string): Result<never> => ({
  ok: false,
  error: new AppError(code, message).toData(),
});

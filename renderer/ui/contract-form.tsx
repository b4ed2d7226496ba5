// Forms checked with the same zod contracts main enforces: the form's text becomes the
// operation's input (amounts into minor units, numbers from text), the contract checks it, and
// each problem shows under its field. Main checks again; its field errors land in the same place,
// and a refusal that is not about one field (a clashing booking) shows above the buttons.
import { Alert } from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { useState } from 'react';
import type { z } from 'zod';
import { fieldErrors, type FieldErrors } from '../../db/contracts/errors.js';
import { parseMoney } from '../../db/domain/money.js';
import { CallError } from '../api/operations.js';

/** Collects the problems found while turning form text into an operation's input. */
export class Conversion {
  readonly errors: FieldErrors = {};

  /** A decimal amount in minor units; empty text is null. */
  money(field: string, text: string, currency: string | null | undefined): number | null {
    if (text.trim() === '') return null;
    if (!currency) {
      this.errors[field] = 'choose a currency first';
      return null;
    }
    try {
      return parseMoney(text.replace(',', '.'), currency).amountMinor;
    } catch (error) {
      this.errors[field] = (error as Error).message;
      return null;
    }
  }

  /** A number typed as text; empty text is null. */
  number(field: string, text: string | number): number | null {
    if (typeof text === 'number') return text;
    if (text.trim() === '') return null;
    const value = Number(text.replace(',', '.'));
    if (!Number.isFinite(value)) {
      this.errors[field] = 'must be a number';
      return null;
    }
    return value;
  }
}

/** Empty text means "not given". */
export const orNull = (text: string) => (text.trim() === '' ? null : text.trim());
export const orUndefined = (text: string) => (text.trim() === '' ? undefined : text.trim());

/** Field errors keyed as the form names them: main prefixes update fields with `changes.`. */
function formFieldErrors(fields: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(fields).map(([key, message]) => [key.replace(/^changes\./, ''), message]));
}

export interface ContractForm<V extends Record<string, unknown>> {
  form: UseFormReturnType<V>;
  formError: string | null;
  /** The handler for <form onSubmit>: checks, converts, runs the action, shows what went wrong. */
  onSubmit: (event?: React.FormEvent<HTMLFormElement>) => void;
  submitting: boolean;
}

export function useContractForm<V extends Record<string, unknown>, I>(options: {
  initialValues: V;
  schema: z.ZodType<unknown, I>;
  toInput: (values: V, conversion: Conversion) => I;
  action: (input: I) => Promise<unknown>;
}): ContractForm<V> {
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const check = (values: V): { input: I; errors: FieldErrors } => {
    const conversion = new Conversion();
    const input = options.toInput(values, conversion);
    const parsed = options.schema.safeParse(input);
    const errors = { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...conversion.errors };
    return { input, errors };
  };
  const form = useForm<V>({
    mode: 'controlled',
    initialValues: options.initialValues,
    validate: (values) => check(values).errors,
  });
  const onSubmit = form.onSubmit(
    async (values) => {
      setFormError(null);
      setSubmitting(true);
      try {
        await options.action(check(values).input);
      } catch (error) {
        if (error instanceof CallError && Object.keys(error.fields).length > 0) {
          form.setErrors(formFieldErrors(error.fields));
          setFormError('Please correct the marked fields.');
        } else {
          setFormError(error instanceof Error ? error.message : String(error));
        }
      } finally {
        setSubmitting(false);
      }
    },
    () => setFormError('Please correct the marked fields.'),
  );
  return { form, formError, onSubmit, submitting };
}

export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <Alert color="red" role="alert" data-testid="form-error">
      {message}
    </Alert>
  );
}

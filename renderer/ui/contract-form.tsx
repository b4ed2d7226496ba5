// Forms checked with the same zod contracts main enforces: the form's text becomes the
// operation's input (amounts into minor units, numbers from text), the contract checks it, and
// each problem shows under its field. Main checks again; its field errors land in the same place,
// and a refusal that is not about one field (a clashing booking) shows above the buttons.
//
// A form that edits a record sends only the fields the person changed, each with the value the
// form started from (`expected`): what someone else saved meanwhile in another field survives, and
// a field both changed is refused rather than overwritten. The form then shows both values side
// by side; the person keeps theirs or the other, and saves again against the newer record.
import { Alert, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { useRef, useState } from 'react';
import type { z } from 'zod';
import { describeFieldErrors, fieldErrors, fieldLabel, type FieldErrors } from '../../db/contracts/errors.js';
import { parseMoney } from '../../db/domain/money.js';
import { CallError } from '../api/operations.js';
import { formatDate, formatInstant, money } from '../format.js';

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

  /** A problem found before sending (a date too far ahead), shown under its field. */
  refuse(field: string, message: string): void {
    this.errors[field] ??= message;
  }
}

/** Empty text means "not given". */
export const orNull = (text: string) => (text.trim() === '' ? null : text.trim());
export const orUndefined = (text: string) => (text.trim() === '' ? undefined : text.trim());

/** Field errors keyed as the form names them: main prefixes update fields with `changes.`. */
function formFieldErrors(fields: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(fields).map(([key, message]) => [key.replace(/^changes\./, ''), message]));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

type Row = Record<string, unknown>;

/** How a form edits a record it was opened on. */
export interface RecordEdit<V, I, R extends object> {
  /** The record as the form opened it. */
  record: R;
  /** The form's values for a record (what the initial values were made from). */
  valuesOf: (record: R) => V;
  /** Reads the record again, once a save was refused because it changed meanwhile. */
  reload: () => Promise<R>;
  /** Saves the changed fields; `expected` holds what the form started from for each. */
  save: (changes: Partial<I>, expected: Row) => Promise<unknown>;
  /** A value as the person knows it (a name for an id); the default reads dates, money and lists. */
  describe?: (field: string, value: unknown) => string | null;
}

/** A field both this form and someone else changed: the two values, and which one the form now holds. */
export interface MergeField {
  field: string;
  label: string;
  theirs: string;
  mine: string;
  keep: 'theirs' | 'mine';
}

export interface Merge {
  fields: MergeField[];
  keep: (field: string, side: 'theirs' | 'mine') => void;
}

export interface ContractForm<V extends Record<string, unknown>> {
  form: UseFormReturnType<V>;
  formError: string | null;
  /** The handler for <form onSubmit>: checks, converts, runs the action, shows what went wrong. */
  onSubmit: (event?: React.FormEvent<HTMLFormElement>) => void;
  submitting: boolean;
  /** After a save refused because someone else changed the same fields: the choice to make. */
  merge: Merge | null;
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A stored value in words: dates and amounts as the screens show them, lists joined, nothing as a code. */
function describeValue(field: string, value: unknown, record: Row): string {
  if (value === null || value === undefined || value === '') return 'empty';
  if (Array.isArray(value)) return value.length ? value.join(', ') : 'empty';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number' && field.endsWith('Minor')) return money(value, String(record.currency ?? ''));
  const text = String(value);
  if (CALENDAR_DATE.test(text)) return formatDate(text);
  if (INSTANT.test(text)) return formatInstant(text);
  if (UUID.test(text)) return 'another choice';
  return text;
}

export function useContractForm<V extends Record<string, unknown>, I, R extends object = Row>(options: {
  initialValues: V;
  schema: z.ZodType<unknown, I>;
  toInput: (values: V, conversion: Conversion) => I;
  /** Creating: what to do with the checked input. Editing a record: see `edit`. */
  action: (input: I) => Promise<unknown>;
  edit?: RecordEdit<V, I, R>;
}): ContractForm<V> {
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [merge, setMerge] = useState<{ fields: MergeField[]; theirs: Row; mine: Row } | null>(null);
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
  // What the form was opened on (or, after a refusal, re-read): edits are measured against it.
  const base = useRef<{ record: Row; values: V } | null>(
    options.edit ? { record: options.edit.record as Row, values: options.initialValues } : null,
  );

  const describe = (field: string, value: unknown, record: Row) =>
    options.edit?.describe?.(field, value) ?? describeValue(field, value, record);

  /** Sends what changed since the base; after a refusal over stale fields, sets up the merge. */
  const saveEdit = async (edit: RecordEdit<V, I, R>, input: I): Promise<void> => {
    const { record, values: baseValues } = base.current!;
    const baseInput = options.toInput(baseValues, new Conversion()) as Row;
    const now = input as Row;
    const changed = Object.keys(now).filter((key) => !same(now[key], baseInput[key]));
    const changes = Object.fromEntries(changed.map((key) => [key, now[key]])) as Partial<I>;
    const expected = Object.fromEntries(
      changed.map((key) => [key, (key in record ? record[key] : baseInput[key]) ?? null]),
    );
    try {
      await edit.save(changes, expected);
      setMerge(null);
    } catch (error) {
      if (!(error instanceof CallError) || error.code !== 'conflict') throw error;
      const fresh = (await edit.reload()) as Row;
      const clashing = changed.filter((key) => !same(fresh[key], record[key]));
      if (clashing.length === 0) throw error;
      const freshValues = edit.valuesOf(fresh as R);
      // What this form left alone takes the newer values; what both changed keeps this form's
      // value until the person chooses.
      const current = form.getValues();
      for (const key of Object.keys(freshValues) as (keyof V & string)[]) {
        if (same(current[key], baseValues[key])) form.setFieldValue(key, freshValues[key] as never);
      }
      base.current = { record: fresh, values: freshValues };
      setMerge({
        theirs: freshValues,
        mine: Object.fromEntries(clashing.map((key) => [key, current[key]])),
        fields: clashing.map((key) => ({
          field: key,
          label: fieldLabel(key),
          theirs: describe(key, fresh[key], fresh),
          mine: describe(key, now[key], fresh),
          keep: 'mine',
        })),
      });
      throw new StaleEdit(error.message);
    }
  };

  const onSubmit = form.onSubmit(
    async (values) => {
      setFormError(null);
      setSubmitting(true);
      try {
        const { input } = check(values);
        if (options.edit) await saveEdit(options.edit, input);
        else await options.action(input);
      } catch (error) {
        const known = Object.keys(form.getValues());
        if (error instanceof CallError && Object.keys(error.fields).length > 0) {
          const fields = formFieldErrors(error.fields);
          form.setErrors(Object.fromEntries(Object.entries(fields).filter(([key]) => known.includes(key))));
          const elsewhere = Object.fromEntries(Object.entries(fields).filter(([key]) => !known.includes(key)));
          // A field this form does not show (the property of a payment) is named in words above the buttons.
          setFormError(
            Object.keys(elsewhere).length > 0
              ? `${describeFieldErrors(elsewhere)}.`
              : error.code === 'validation'
                ? 'Please correct the marked fields.'
                : error.message,
          );
        } else {
          setFormError(error instanceof Error ? error.message : String(error));
        }
      } finally {
        setSubmitting(false);
      }
    },
    () => setFormError('Please correct the marked fields.'),
  );

  const keep = (field: string, side: 'theirs' | 'mine') => {
    if (!merge) return;
    const value = side === 'theirs' ? merge.theirs[field] : merge.mine[field];
    form.setFieldValue(field as keyof V & string, value as never);
    setMerge({ ...merge, fields: merge.fields.map((f) => (f.field === field ? { ...f, keep: side } : f)) });
  };

  return { form, formError, onSubmit, submitting, merge: merge ? { fields: merge.fields, keep } : null };
}

/** A save refused because the record changed meanwhile: its message says who changed what. */
class StaleEdit extends Error {}

export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <Alert color="red" role="alert" data-testid="form-error">
      {message}
    </Alert>
  );
}

/** Both values of each field changed meanwhile, and the choice of which to keep; then save again. */
export function MergeChoices({ merge }: { merge: Merge | null }) {
  if (!merge) return null;
  return (
    <Stack gap="xs" data-testid="merge">
      <Text size="sm">
        Choose, for each field, which value to keep (or edit it above), then save again. Saving keeps what is now in the
        form.
      </Text>
      <Table withTableBorder aria-label="Changed meanwhile">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Field</Table.Th>
            <Table.Th>Saved meanwhile</Table.Th>
            <Table.Th>Yours</Table.Th>
            <Table.Th>Keep</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {merge.fields.map((f) => (
            <Table.Tr key={f.field} data-testid={`merge-${f.field}`}>
              <Table.Th scope="row">{f.label}</Table.Th>
              <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{f.theirs}</Table.Td>
              <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{f.mine}</Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <SegmentedControl
                    size="xs"
                    aria-label={`Keep which ${f.label.toLowerCase()}`}
                    value={f.keep}
                    onChange={(side) => merge.keep(f.field, side as 'theirs' | 'mine')}
                    data={[
                      { value: 'theirs', label: 'Keep theirs' },
                      { value: 'mine', label: 'Keep mine' },
                    ]}
                  />
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

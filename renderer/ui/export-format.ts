// What a list or report exports: columns with plain values (text, numbers, dates, money), turned
// into a sheet of cells that a CSV or Excel file is written from. Pure, so it runs in the page, in
// the export worker and in Node's tests alike; the locale and time zone are given, never looked up.
import { minorUnitDigits, type Money } from '../../db/domain/money.js';

const digitsByCurrency = new Map<string, number>();
/** The currency's decimals, looked up once per currency: building a number format per cell is slow. */
export function currencyDigits(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) digitsByCurrency.set(currency, (digits = minorUnitDigits(currency)));
  return digits;
}

/**
 * One exported column and where its value comes from. A value the user's role may not see is
 * absent from the row (undefined, where a blank is null): a column absent from every row of the
 * first page is left out of the file.
 */
export type ExportColumn<T> = { header: string } & (
  | { text: (row: T) => string | null | undefined }
  | { number: (row: T) => number | null | undefined }
  /** A calendar date, YYYY-MM-DD. */
  | { date: (row: T) => string | null | undefined }
  /** A moment (ISO 8601), shown in the user's time zone. */
  | { instant: (row: T) => string | null | undefined }
  /** Money: a number column, and a currency column beside it. */
  | { money: (row: T) => Money | null | undefined }
);

export type CellKind = 'text' | 'number' | 'date' | 'instant' | 'money' | 'currency';
export interface SheetColumn {
  header: string;
  kind: CellKind;
}
/** Text, a number, a date or instant as ISO text, or a money amount in major units (the currency is in the next column). */
export type Cell = string | number | null;

export interface ExportOptions {
  /** BCP 47 locale of the user (dates, decimal separator, CSV delimiter). */
  locale: string;
  /** IANA time zone in which instants are shown. */
  timeZone: string;
}

type Read<T> = (row: T) => Cell | undefined;

/** The columns kept and how each row becomes its cells; a money column becomes two. */
export interface SheetPlan<T> {
  columns: SheetColumn[];
  readers: Read<T>[];
}

function readersOf<T>(column: ExportColumn<T>): { columns: SheetColumn[]; readers: Read<T>[] } {
  const { header } = column;
  if ('money' in column) {
    const amount: Read<T> = (row) => {
      const money = column.money(row);
      return money == null ? money : money.amountMinor / 10 ** currencyDigits(money.currency);
    };
    const currency: Read<T> = (row) => {
      const money = column.money(row);
      return money == null ? money : money.currency;
    };
    return {
      columns: [
        { header, kind: 'money' },
        { header: `${header} currency`, kind: 'currency' },
      ],
      readers: [amount, currency],
    };
  }
  if ('number' in column) return { columns: [{ header, kind: 'number' }], readers: [column.number] };
  if ('date' in column) return { columns: [{ header, kind: 'date' }], readers: [column.date] };
  if ('instant' in column) return { columns: [{ header, kind: 'instant' }], readers: [column.instant] };
  return { columns: [{ header, kind: 'text' }], readers: [column.text] };
}

/** Plans the sheet from the first page: columns the role cannot see (absent from every row) are dropped. */
export function planSheet<T>(columns: readonly ExportColumn<T>[], firstRows: readonly T[]): SheetPlan<T> {
  const plan: SheetPlan<T> = { columns: [], readers: [] };
  for (const column of columns) {
    const { columns: sheetColumns, readers } = readersOf(column);
    const seen = firstRows.length === 0 || firstRows.some((row) => readers[0]!(row) !== undefined);
    if (!seen) continue;
    plan.columns.push(...sheetColumns);
    plan.readers.push(...readers);
  }
  // One money column needs no "Total currency": it is simply the currency.
  const currencies = plan.columns.filter((c) => c.kind === 'currency');
  if (currencies.length === 1) currencies[0]!.header = 'Currency';
  return plan;
}

export function sheetRows<T>(plan: SheetPlan<T>, rows: readonly T[]): Cell[][] {
  return rows.map((row) => plan.readers.map((read) => read(row) ?? null));
}

// ---- CSV ----

/** How the user's locale writes a decimal number, and so which delimiter spreadsheet apps there expect. */
export function csvConventions(locale: string): { delimiter: string; decimal: string } {
  const decimal = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  return { decimal, delimiter: decimal === ',' ? ';' : ',' };
}

/** Writes CSV for one locale: its delimiter, decimal separator and date order. */
export function csvWriter(columns: readonly SheetColumn[], options: ExportOptions) {
  const { delimiter, decimal } = csvConventions(options.locale);
  const dates = new Intl.DateTimeFormat(options.locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone: 'UTC',
  });
  // Date and time apart, joined by a space: how spreadsheet apps read a moment back.
  const instantDates = new Intl.DateTimeFormat(options.locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone: options.timeZone,
  });
  const instantTimes = new Intl.DateTimeFormat(options.locale, {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: options.timeZone,
  });
  const quote = (text: string) =>
    /["\r\n]/.test(text) || text.includes(delimiter) ? `"${text.replaceAll('"', '""')}"` : text;
  // Text that a spreadsheet would run as a formula is written as text (a guest named "=HYPERLINK(…)").
  const safeText = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
  const numberText = (value: number, digits: number | undefined) =>
    (digits === undefined ? String(value) : value.toFixed(digits)).replace('.', decimal);

  const cellText = (cell: Cell, kind: CellKind, currency: Cell): string => {
    if (cell === null) return '';
    switch (kind) {
      case 'money':
        return numberText(Number(cell), typeof currency === 'string' ? currencyDigits(currency) : undefined);
      case 'number':
        return numberText(Number(cell), undefined);
      case 'date':
        return quote(dates.format(new Date(`${String(cell)}T00:00:00Z`)));
      case 'instant': {
        const moment = new Date(String(cell));
        return quote(`${instantDates.format(moment)} ${instantTimes.format(moment)}`);
      }
      default:
        return quote(safeText(String(cell)));
    }
  };
  return {
    /** The header line, after the byte-order mark that tells spreadsheet apps the file is UTF-8. */
    header: () => '\uFEFF' + columns.map((c) => quote(safeText(c.header))).join(delimiter) + '\r\n',
    rows: (rows: readonly Cell[][]) =>
      rows
        .map((row) => row.map((cell, i) => cellText(cell, columns[i]!.kind, row[i + 1] ?? null)).join(delimiter))
        .map((line) => `${line}\r\n`)
        .join(''),
  };
}

/** A whole CSV file as text. */
export function csvText(columns: readonly SheetColumn[], rows: readonly Cell[][], options: ExportOptions): string {
  const writer = csvWriter(columns, options);
  return writer.header() + writer.rows(rows);
}

/** "Reservations 2027-03-12.xlsx": what the list is and when it was taken. */
export function exportFileName(title: string, day: string, format: ExportFormat): string {
  const safe =
    title
      .replace(/[\\/:*?"<>|]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim() || 'Export';
  return `${safe} ${day}.${format}`;
}

export type ExportFormat = 'csv' | 'xlsx';

export const MIME_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv;charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

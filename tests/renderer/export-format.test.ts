// What an export writes: the columns a role can see, money as a number beside its currency, dates
// as the user's locale writes them in CSV and as real dates in Excel (read back with exceljs).
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { fileBuilder } from '../../renderer/ui/export-builder.js';
import {
  csvConventions,
  csvText,
  exportFileName,
  planSheet,
  sheetRows,
  type ExportColumn,
} from '../../renderer/ui/export-format.js';
import { xlsxBytes } from '../../renderer/ui/export-xlsx.js';

interface Stay {
  guest: string;
  email?: string | null;
  checkIn: string;
  bookedAt: string;
  guests: number;
  totalMinor: number;
  currency: string;
}

const columns: ExportColumn<Stay>[] = [
  { header: 'Guest', text: (s) => s.guest },
  { header: 'Email', text: (s) => s.email },
  { header: 'Check-in', date: (s) => s.checkIn },
  { header: 'Booked', instant: (s) => s.bookedAt },
  { header: 'Guests', number: (s) => s.guests },
  { header: 'Total', money: (s) => ({ amountMinor: s.totalMinor, currency: s.currency }) },
];

const stays: Stay[] = [
  {
    guest: 'Ana Ribeiro',
    email: 'ana@example.com',
    checkIn: '2027-03-12',
    bookedAt: '2027-07-01T22:30:00Z',
    guests: 2,
    totalMinor: 48050,
    currency: 'EUR',
  },
  {
    guest: 'Smith, "Jo"\nand family',
    email: null,
    checkIn: '2027-12-01',
    bookedAt: '2027-01-15T09:05:00Z',
    guests: 4,
    totalMinor: 120000,
    currency: 'JPY',
  },
  {
    guest: '=HYPERLINK("http://x")',
    email: 'eq@example.com',
    checkIn: '2028-01-02',
    bookedAt: '2027-02-01T00:00:00Z',
    guests: 1,
    totalMinor: -1250,
    currency: 'EUR',
  },
];

const lisbon = { locale: 'en-GB', timeZone: 'Europe/Lisbon' };

describe('planning the sheet', () => {
  it('gives money a number column and a currency column, named "Currency" when there is one', () => {
    const plan = planSheet(columns, stays);
    expect(plan.columns.map((c) => [c.header, c.kind])).toEqual([
      ['Guest', 'text'],
      ['Email', 'text'],
      ['Check-in', 'date'],
      ['Booked', 'instant'],
      ['Guests', 'number'],
      ['Total', 'money'],
      ['Currency', 'currency'],
    ]);
    expect(sheetRows(plan, stays)[1]).toEqual([
      'Smith, "Jo"\nand family',
      null,
      '2027-12-01',
      '2027-01-15T09:05:00Z',
      4,
      120000,
      'JPY',
    ]);
    expect(sheetRows(plan, stays)[0]![5]).toBe(480.5);
  });

  it('leaves out a column the role cannot see (absent from the rows), keeping blank ones', () => {
    const hidden = stays.map(({ email: _, ...rest }) => rest);
    expect(planSheet(columns, hidden).columns.map((c) => c.header)).not.toContain('Email');
    expect(planSheet(columns, stays).columns.map((c) => c.header)).toContain('Email');
  });

  it('names two money columns each with its own currency column', () => {
    const two: ExportColumn<Stay>[] = [
      columns[5]!,
      { header: 'Net', money: (s) => ({ amountMinor: s.totalMinor, currency: s.currency }) },
    ];
    expect(planSheet(two, stays).columns.map((c) => c.header)).toEqual([
      'Total',
      'Total currency',
      'Net',
      'Net currency',
    ]);
  });
});

describe('CSV', () => {
  const plan = planSheet(columns, stays);
  const rows = sheetRows(plan, stays);

  it('writes English dates day first for en-GB, money with its currency decimals, and quotes what needs it', () => {
    const text = csvText(plan.columns, rows, lisbon);
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines[0]).toBe('Guest,Email,Check-in,Booked,Guests,Total,Currency');
    expect(lines[1]).toBe('Ana Ribeiro,ana@example.com,12/03/2027,01/07/2027 23:30,2,480.50,EUR');
    // A comma, quotes and a line break stay inside one quoted field; JPY has no decimals.
    expect(text).toContain('"Smith, ""Jo""\nand family",,01/12/2027,15/01/2027 09:05,4,120000,JPY\r\n');
    // A name a spreadsheet would run as a formula is written as text; a negative amount stays a number.
    expect(text).toContain(`"'=HYPERLINK(""http://x"")",eq@example.com,02/01/2028,01/02/2027 00:00,1,-12.50,EUR`);
  });

  it('follows the locale: month first in en-US, semicolons and decimal commas in de-DE', () => {
    const us = csvText(plan.columns, rows, { locale: 'en-US', timeZone: 'UTC' });
    expect(us.split('\r\n')[1]).toBe('Ana Ribeiro,ana@example.com,03/12/2027,07/01/2027 10:30 PM,2,480.50,EUR');
    expect(csvConventions('de-DE')).toEqual({ delimiter: ';', decimal: ',' });
    const de = csvText(plan.columns, rows, { locale: 'de-DE', timeZone: 'Europe/Berlin' });
    expect(de.split('\r\n')[1]).toBe('Ana Ribeiro;ana@example.com;12.03.2027;02.07.2027 00:30;2;480,50;EUR');
  });

  it('is the same file whether the rows come at once or page by page', async () => {
    const builder = fileBuilder({ format: 'csv', title: 'Stays', columns: plan.columns, options: lisbon });
    builder.add(rows.slice(0, 1));
    builder.add(rows.slice(1));
    const bytes = await builder.finish();
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe(csvText(plan.columns, rows, lisbon));
  });
});

describe('Excel', () => {
  it('writes money as numbers in its currency format, the currency beside it, and real dates', async () => {
    const plan = planSheet(columns, stays);
    const bytes = await xlsxBytes('Reservations: March', plan.columns, sheetRows(plan, stays), lisbon);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('Reservations  March');
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      'Guest',
      'Email',
      'Check-in',
      'Booked',
      'Guests',
      'Total',
      'Currency',
    ]);
    expect(sheet.rowCount).toBe(4);
    const ana = sheet.getRow(2);
    expect(ana.getCell(6).value).toBe(480.5);
    expect(ana.getCell(6).numFmt).toBe('#,##0.00');
    expect(ana.getCell(7).value).toBe('EUR');
    expect(ana.getCell(3).value).toEqual(new Date('2027-03-12T00:00:00Z'));
    // Excel's built-in short date: shown in the reader's own date order.
    expect(ana.getCell(3).numFmt).toBe('mm-dd-yy');
    // A moment as the wall clock in the user's time zone (Lisbon is an hour ahead in July).
    expect(ana.getCell(4).value).toEqual(new Date('2027-07-01T23:30:00Z'));
    expect(ana.getCell(5).value).toBe(2);
    const smith = sheet.getRow(3);
    expect(smith.getCell(1).value).toBe('Smith, "Jo"\nand family');
    expect(smith.getCell(2).value).toBeNull();
    expect(smith.getCell(6).value).toBe(120000);
    expect(smith.getCell(6).numFmt).toBe('#,##0');
    expect(sheet.getRow(4).getCell(6).value).toBe(-12.5);
  });
});

describe('file names', () => {
  it('say what was exported and when, with nothing a file system refuses', () => {
    expect(exportFileName('Reservations', '2027-03-12', 'xlsx')).toBe('Reservations 2027-03-12.xlsx');
    expect(exportFileName('Occupancy / location: "Lisbon"', '2027-03-12', 'csv')).toBe(
      'Occupancy location Lisbon 2027-03-12.csv',
    );
  });
});

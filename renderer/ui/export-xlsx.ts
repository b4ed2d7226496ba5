// An Excel workbook from an export's sheet: numbers stay numbers, money is a number formatted to
// its currency's decimals with the currency beside it, and dates are real dates in the reader's
// own date style (Excel's built-in formats follow the computer's regional settings).
import ExcelJS from 'exceljs';
import { currencyDigits, type Cell, type ExportOptions, type SheetColumn } from './export-format.js';

// exceljs's spellings of Excel's built-in short date (14) and date-and-time (22) formats.
const BUILT_IN_DATE = 'mm-dd-yy';
const BUILT_IN_DATE_TIME = 'm/d/yy "h":mm';

const moneyFormat = (digits: number) => (digits === 0 ? '#,##0' : `#,##0.${'0'.repeat(digits)}`);

/** The wall-clock time of instants in a time zone, as the Date Excel stores (it has no zones). */
function wallClock(timeZone: string): (iso: string) => Date {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return (iso) => {
    const parts = format.formatToParts(new Date(iso));
    const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
    return new Date(
      Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second')),
    );
  };
}

const WIDTHS: Record<SheetColumn['kind'], number> = {
  text: 24,
  number: 10,
  date: 12,
  instant: 17,
  money: 14,
  currency: 10,
};

export async function xlsxBytes(
  sheetName: string,
  columns: readonly SheetColumn[],
  rows: readonly Cell[][],
  options: ExportOptions,
): Promise<ArrayBuffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date();
  // Excel allows 31 characters and none of : \ / ? * [ ] in a sheet name.
  const sheet = workbook.addWorksheet(sheetName.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31) || 'Export', {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = columns.map((column) => ({
    header: column.header,
    width: Math.max(WIDTHS[column.kind], column.header.length + 2),
    style:
      column.kind === 'date'
        ? { numFmt: BUILT_IN_DATE }
        : column.kind === 'instant'
          ? { numFmt: BUILT_IN_DATE_TIME }
          : {},
  }));
  sheet.getRow(1).font = { bold: true };
  const localTime = wallClock(options.timeZone);
  for (const row of rows) {
    const values = row.map((cell, i) => {
      if (cell === null) return null;
      switch (columns[i]!.kind) {
        case 'date':
          return new Date(`${String(cell)}T00:00:00Z`);
        case 'instant':
          return localTime(String(cell));
        case 'money':
        case 'number':
          return Number(cell);
        default:
          return String(cell);
      }
    });
    const added = sheet.addRow(values);
    columns.forEach((column, i) => {
      const currency = row[i + 1];
      if (column.kind === 'money' && typeof currency === 'string') {
        added.getCell(i + 1).numFmt = moneyFormat(currencyDigits(currency));
      }
    });
  }
  if (columns.length > 0) {
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  }
  const buffer = await workbook.xlsx.writeBuffer();
  // A Buffer (in Node, or exceljs's own in the page) may sit inside a larger pool: copy out its bytes.
  return new Uint8Array(buffer as unknown as Uint8Array).buffer as ArrayBuffer;
}

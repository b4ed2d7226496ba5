// Exporting a list: the reservations with a filter applied, to CSV and to Excel, read back from
// the downloaded files (the workbook with exceljs); and a big export that shows its progress while
// the screen keeps answering.
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { expect, setUpAdmin, test } from './fixtures.js';

/** Rows of a CSV file (RFC 4180 quoting), without the byte-order mark. */
function parseCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted && c === '"' && body[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted) {
      field += c;
    } else if (c === delimiter) {
      endField();
    } else if (c === '\r' && body[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else {
      field += c;
    }
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

async function readWorkbook(download: Download): Promise<ExcelJS.Workbook> {
  const bytes = readFileSync((await download.path())!);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return workbook;
}

/** The list's total, from its pager ("1–25 of 1,234"). */
async function totalOf(page: Page): Promise<number> {
  const text = await page.getByTestId('pager').innerText();
  const match = /of ([\d,]+)/.exec(text);
  expect(match, `the pager says how many there are: ${text}`).not.toBeNull();
  return Number(match![1]!.replaceAll(',', ''));
}

async function exportAs(page: Page, format: 'CSV' | 'Excel'): Promise<Download> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export Reservations' }).click();
  await page.getByRole('menuitem', { name: new RegExp(`^${format}`) }).click();
  return download;
}

async function openReservations(page: Page) {
  await setUpAdmin(page, { sampleData: true });
  await page.getByRole('link', { name: 'Reservations' }).click();
  const rows = page.getByRole('table', { name: 'Reservations' }).locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  return rows;
}

test('reservations export as filtered, to CSV and to Excel, with money as numbers beside the currency', async ({
  page,
  roomy: _,
}) => {
  const rows = await openReservations(page);
  const all = await totalOf(page);

  // Only cancelled stays: pick the status from the keyboard, as a person would.
  await page.getByRole('combobox', { name: 'Status' }).focus();
  await page.keyboard.press('ArrowDown');
  await page.getByRole('option', { name: 'Cancelled' }).click();
  await page.keyboard.press('Escape');
  await expect(rows.filter({ hasNotText: 'Cancelled' })).toHaveCount(0);
  await expect(rows.first()).toBeVisible();
  const cancelled = await totalOf(page);
  expect(cancelled).toBeGreaterThan(0);
  expect(cancelled).toBeLessThan(all);

  const csvFile = await exportAs(page, 'CSV');
  expect(csvFile.suggestedFilename()).toMatch(/^Reservations \d{4}-\d{2}-\d{2}\.csv$/);
  await expect(page.getByTestId('export-status')).toContainText(`Exported ${cancelled.toLocaleString('en-GB')} rows`);
  // The page's locale is en-GB: commas between fields, dates day first.
  const [header, ...csv] = parseCsv(readFileSync((await csvFile.path())!, 'utf8'), ',');
  const col = (name: string) => {
    const index = header!.indexOf(name);
    expect(index, `the CSV has a ${name} column`).toBeGreaterThanOrEqual(0);
    return index;
  };
  expect(csv).toHaveLength(cancelled);
  for (const row of csv) {
    expect(row[col('Status')]).toBe('Cancelled');
    expect(row[col('Total')]).toMatch(/^-?\d+(\.\d+)?$/);
    expect(row[col('Currency')]).toMatch(/^[A-Z]{3}$/);
    expect(row[col('Check-in')]).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
  }

  const xlsxFile = await exportAs(page, 'Excel');
  expect(xlsxFile.suggestedFilename()).toMatch(/^Reservations \d{4}-\d{2}-\d{2}\.xlsx$/);
  const workbook = await readWorkbook(xlsxFile);
  const sheet = workbook.worksheets[0]!;
  const headers = (sheet.getRow(1).values as unknown[]).slice(1);
  expect(headers).toEqual(header);
  expect(sheet.rowCount - 1).toBe(cancelled);
  const at = (name: string) => headers.indexOf(name) + 1;
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    expect(row.getCell(at('Status')).value).toBe('Cancelled');
    expect(typeof row.getCell(at('Total')).value).toBe('number');
    expect(row.getCell(at('Currency')).value).toMatch(/^[A-Z]{3}$/);
    expect(row.getCell(at('Check-in')).value).toBeInstanceOf(Date);
    // The same stay, the same amount, in both files.
    const line = csv[r - 2]!;
    expect(row.getCell(at('Guest')).value).toBe(line[col('Guest')]);
    expect(row.getCell(at('Total')).value).toBe(Number(line[col('Total')]));
  }
});

test('a big export shows its progress, and the screen keeps answering meanwhile', async ({ page, roomy: _ }) => {
  const rows = await openReservations(page);
  const all = await totalOf(page);
  expect(all, 'the demo data holds more stays than one export page').toBeGreaterThan(200);
  // The pager places the page in the whole list: "1–25 of 2,586", then "26–50 of 2,586".
  const pager = page.getByTestId('pager');
  const shown = await rows.count();
  await expect(pager).toContainText(`1–${shown} of ${all.toLocaleString('en-GB')}`);
  await pager.getByRole('button', { name: 'Next' }).click();
  await expect(pager).toContainText(`${shown + 1}–${2 * shown} of ${all.toLocaleString('en-GB')}`);
  await pager.getByRole('button', { name: 'Previous' }).click();
  await expect(pager).toContainText(`1–${shown} of`);

  // The export's second page waits until the test has seen the progress: the server still answers it.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let exportPages = 0;
  await page.route('**/api/call', async (route) => {
    const call = route.request().postDataJSON() as { name?: string; input?: { limit?: number } } | null;
    if (call?.name === 'reservations/list' && call.input?.limit === 200 && ++exportPages === 2) await held;
    await route.continue();
  });

  const download = exportAs(page, 'Excel');
  const status = page.getByTestId('export-status');
  await expect(status).toContainText(`Exporting… 200 of ~${all.toLocaleString('en-GB')} rows`);
  await expect(page.getByRole('progressbar', { name: 'Export progress' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Export Reservations' })).toBeDisabled();

  // Meanwhile the list still searches.
  const guest = (await rows.first().locator('td').first().innerText()).trim();
  await page.getByRole('textbox', { name: 'Search' }).fill(guest);
  await expect(rows.filter({ hasNotText: guest })).toHaveCount(0);
  const found = await totalOf(page);
  expect(found).toBeLessThan(all);

  release();
  const workbook = await readWorkbook(await download);
  // The export kept the filters it started with: every stay.
  expect(workbook.worksheets[0]!.rowCount - 1).toBe(all);
  await expect(status).toContainText(`Exported ${all.toLocaleString('en-GB')} rows`);
});

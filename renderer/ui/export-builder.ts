// Builds an export file from rows handed over page by page. The same builder runs inside the
// export worker, and in the page itself where a worker cannot be started.
import { csvWriter, type Cell, type ExportFormat, type ExportOptions, type SheetColumn } from './export-format.js';

export interface FileSpec {
  format: ExportFormat;
  /** The sheet's name in a workbook. */
  title: string;
  columns: SheetColumn[];
  options: ExportOptions;
}

export interface FileBuilder {
  add(rows: Cell[][]): void;
  finish(): Promise<ArrayBuffer>;
}

export function fileBuilder(spec: FileSpec): FileBuilder {
  if (spec.format === 'csv') {
    // CSV is written as the rows come: only text is kept, not the rows.
    const writer = csvWriter(spec.columns, spec.options);
    const parts = [writer.header()];
    return {
      add: (rows) => void parts.push(writer.rows(rows)),
      finish: async () => new TextEncoder().encode(parts.join('')).buffer as ArrayBuffer,
    };
  }
  const all: Cell[][] = [];
  return {
    add: (rows) => void all.push(...rows),
    // Loaded when first needed: the workbook library is large, and only Excel exports use it.
    finish: async () => (await import('./export-xlsx.js')).xlsxBytes(spec.title, spec.columns, all, spec.options),
  };
}

/** What the page says to the export worker, and what it answers. */
export type ToWorker = { type: 'start'; spec: FileSpec } | { type: 'rows'; rows: Cell[][] } | { type: 'finish' };
export type FromWorker = { type: 'ready' } | { type: 'done'; bytes: ArrayBuffer } | { type: 'failed'; message: string };

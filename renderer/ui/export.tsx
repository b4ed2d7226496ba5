// Exporting a list or report to CSV or Excel. The rows are read page by page (a list's own
// operation with its filters), handed to the export worker as they arrive, and the file it builds
// is downloaded. The screen keeps answering throughout: reading is a series of calls, and the file
// is built off the page. Progress shows beside the Export button, with a way to stop.
import { Button, Group, Menu, Progress, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { locale, number, today } from '../format.js';
import { fileBuilder, type FileBuilder, type FileSpec, type FromWorker, type ToWorker } from './export-builder.js';
import {
  exportFileName,
  MIME_TYPES,
  planSheet,
  sheetRows,
  type ExportColumn,
  type ExportFormat,
  type SheetPlan,
} from './export-format.js';

/** A page of rows to export; `total` is how many the list holds in all, when it says. */
export interface ExportPage<T> {
  items: T[];
  total?: number | null;
}

export interface ExportSource<T> {
  /** What is exported, in words: the file's and the sheet's name. */
  title: string;
  columns: readonly ExportColumn<T>[];
  /** The rows, page after page, until there are none or the signal says stop. */
  pages: (signal: AbortSignal) => AsyncIterable<ExportPage<T>>;
}

type Progress = { format: ExportFormat; done: number; total: number | null; writing: boolean };
type Outcome = { ok: true; rows: number; fileName: string } | { ok: false; message: string };

/** The worker that builds the file, or (where a worker cannot start) the same builder in the page. */
async function startBuilder(spec: FileSpec): Promise<FileBuilder & { close: () => void }> {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./export-worker.ts', import.meta.url), { type: 'module', name: 'export' });
  } catch {
    return { ...fileBuilder(spec), close: () => {} };
  }
  let settle: { resolve: (bytes: ArrayBuffer) => void; reject: (error: Error) => void } | null = null;
  const started = await new Promise<boolean>((resolve) => {
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const message = event.data;
      if (message.type === 'ready') resolve(true);
      else if (message.type === 'done') settle?.resolve(message.bytes);
      else if (settle) settle.reject(new Error(message.message));
      else resolve(false);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      if (settle) settle.reject(new Error(event.message || 'The file could not be written'));
      else resolve(false);
    };
    worker.postMessage({ type: 'start', spec } satisfies ToWorker);
  });
  if (!started) {
    worker.terminate();
    return { ...fileBuilder(spec), close: () => {} };
  }
  return {
    add: (rows) => worker.postMessage({ type: 'rows', rows } satisfies ToWorker),
    finish: () =>
      new Promise<ArrayBuffer>((resolve, reject) => {
        settle = { resolve, reject };
        worker.postMessage({ type: 'finish' } satisfies ToWorker);
      }),
    close: () => worker.terminate(),
  };
}

function download(bytes: ArrayBuffer, fileName: string, format: ExportFormat): void {
  const url = URL.createObjectURL(new Blob([bytes], { type: MIME_TYPES[format] }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once it starts; the URL is only needed until then.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Runs one export at a time for a source, with its progress and how it ended. */
export function useExport<T>(source: ExportSource<T>) {
  const [progress, setProgress] = useState<Progress | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const running = useRef<AbortController | null>(null);
  // Leaving the screen stops an export that is still reading.
  useEffect(() => () => running.current?.abort(), []);

  const start = async (format: ExportFormat) => {
    if (running.current) return;
    const controller = new AbortController();
    running.current = controller;
    setOutcome(null);
    setProgress({ format, done: 0, total: null, writing: false });
    const options = { locale, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone };
    let builder: (FileBuilder & { close: () => void }) | null = null;
    try {
      let plan: SheetPlan<T> | null = null;
      let done = 0;
      let total: number | null = null;
      for await (const page of source.pages(controller.signal)) {
        if (controller.signal.aborted) break;
        if (!plan) {
          plan = planSheet(source.columns, page.items);
          builder = await startBuilder({ format, title: source.title, columns: plan.columns, options });
        }
        builder!.add(sheetRows(plan, page.items));
        done += page.items.length;
        total = page.total ?? total;
        setProgress({ format, done, total, writing: false });
      }
      if (controller.signal.aborted || !builder) {
        setProgress(null);
        return;
      }
      setProgress({ format, done, total, writing: true });
      const bytes = await builder.finish();
      const fileName = exportFileName(source.title, today(), format);
      if (!controller.signal.aborted) download(bytes, fileName, format);
      setOutcome({ ok: true, rows: done, fileName });
    } catch (error) {
      setOutcome({ ok: false, message: error instanceof Error ? error.message : String(error) });
    } finally {
      builder?.close();
      if (running.current === controller) running.current = null;
      setProgress(null);
    }
  };
  return {
    progress,
    outcome,
    start: (format: ExportFormat) => void start(format),
    cancel: () => running.current?.abort(),
  };
}

const FORMAT_NAMES: Record<ExportFormat, string> = { csv: 'CSV', xlsx: 'Excel' };

function progressText({ done, total, writing, format }: Progress): string {
  if (writing) return `Writing the ${FORMAT_NAMES[format]} file (${number(done, 0)} rows)…`;
  return total == null
    ? `Exporting… ${number(done, 0)} rows`
    : `Exporting… ${number(done, 0)} of ~${number(Math.max(total, done), 0)} rows`;
}

/** The Export menu (CSV or Excel) with the export's progress beside it. */
export function ExportMenu<T>({ source }: { source: ExportSource<T> }) {
  const { progress, outcome, start, cancel } = useExport(source);
  const ratio = progress && progress.total ? Math.min(1, progress.done / progress.total) : 0;
  return (
    <Group gap="sm" justify="flex-end" wrap="nowrap" data-testid="export">
      <div role="status" aria-live="polite" data-testid="export-status">
        {progress ? (
          <Group gap="xs" wrap="nowrap">
            <Progress
              value={progress.writing ? 100 : ratio * 100}
              animated={progress.writing}
              w={120}
              aria-label="Export progress"
            />
            <Text size="sm">{progressText(progress)}</Text>
          </Group>
        ) : outcome ? (
          <Text size="sm" c={outcome.ok ? 'dimmed' : 'red'}>
            {outcome.ok
              ? `Exported ${number(outcome.rows, 0)} ${outcome.rows === 1 ? 'row' : 'rows'} to ${outcome.fileName}`
              : `The export stopped: ${outcome.message}`}
          </Text>
        ) : null}
      </div>
      {progress && !progress.writing && (
        <Button variant="subtle" size="xs" onClick={cancel}>
          Stop export
        </Button>
      )}
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button variant="default" size="xs" disabled={Boolean(progress)} aria-label={`Export ${source.title}`}>
            Export
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => start('csv')}>CSV (.csv)</Menu.Item>
          <Menu.Item onClick={() => start('xlsx')}>Excel (.xlsx)</Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </Group>
  );
}

/** Exports rows already at hand (a report's table): the same menu, one page. */
export function ExportButton<T>({
  title,
  rows,
  columns,
}: {
  title: string;
  rows: readonly T[];
  columns: readonly ExportColumn<T>[];
}) {
  const source: ExportSource<T> = {
    title,
    columns,
    pages: async function* () {
      yield { items: [...rows], total: rows.length };
    },
  };
  return <ExportMenu source={source} />;
}

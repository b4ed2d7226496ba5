// The export worker: builds CSV and Excel files away from the page, so a large export never
// stops the screen from answering. The page starts it, hands over rows page by page, then asks
// for the file.
import { fileBuilder, type FileBuilder, type FromWorker, type ToWorker } from './export-builder.js';

// The worker's own global, as far as it is used here (the renderer is typed for a window).
interface WorkerScope {
  postMessage(message: FromWorker, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;
let builder: FileBuilder | null = null;

const answer = (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

scope.onmessage = (event) => void handle(event.data);

async function handle(message: ToWorker): Promise<void> {
  try {
    if (message.type === 'start') {
      builder = fileBuilder(message.spec);
      answer({ type: 'ready' });
    } else if (message.type === 'rows') {
      builder?.add(message.rows);
    } else if (builder) {
      const bytes = await builder.finish();
      builder = null;
      answer({ type: 'done', bytes }, [bytes]);
    }
  } catch (error) {
    answer({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
}

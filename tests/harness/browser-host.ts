// The browser host as `npm start -- --browser` starts it, on a given data folder: for the
// end-to-end tests and the benchmarks that drive the app in Chromium.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

export interface RunningHost {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the host and resolves once it prints its address. `build` builds the renderer first, as
 * `npm start` does; tests build once before they run and skip it.
 */
export async function startBrowserHost(options: {
  dataDir: string;
  build?: boolean;
  startTimeoutMs?: number;
}): Promise<RunningHost> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'scripts/start.ts'), '--browser', ...(options.build ? [] : ['--no-build'])],
    { cwd: root, env: { ...process.env, ROOMY_DATA_DIR: options.dataDir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      // Not left running behind a failed start.
      child.kill('SIGKILL');
      reject(new Error(`Roomy did not start in time:\n${output}`));
    }, options.startTimeoutMs ?? 30_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Roomy is running at (\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => reject(new Error(`Roomy exited with ${code}:\n${output}`)));
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((done) => child.once('exit', done));
    },
  };
}

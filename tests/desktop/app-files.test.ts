// Serving the renderer's files (app:// in the desktop app, the browser host's pages): only what
// is inside the renderer folder, whatever the path says, always with the security headers.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveInside, serveAppFile } from '../../main/security/app-files.js';
import { STYLE_NONCE_PLACEHOLDER } from '../../main/security/content-security-policy.js';
import { tempDir } from '../harness/databases.js';

const SECRET = 'the office bank password';

describe('app files', () => {
  let dir: ReturnType<typeof tempDir>;
  let root: string;

  beforeEach(() => {
    dir = tempDir('roomy-app-files-');
    root = join(dir.path, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), `<meta name="style-nonce" content="${STYLE_NONCE_PLACEHOLDER}">`);
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(root, 'assets', 'run.sh'), 'rm -rf /');
    writeFileSync(join(dir.path, 'secret.txt'), SECRET);
    symlinkSync(join(dir.path, 'secret.txt'), join(root, 'assets', 'linked.js'));
  });
  afterEach(() => dir.remove());

  it('serves index.html for /, with this load’s nonce where the placeholder was', async () => {
    const served = await serveAppFile(root, '/');
    expect(served.status).toBe(200);
    expect(served.headers['Content-Type']).toBe('text/html; charset=utf-8');
    const nonce = /'nonce-([^']+)'/.exec(served.headers['Content-Security-Policy'] ?? '')?.[1];
    expect(nonce).toBeTruthy();
    expect(String(served.body)).toBe(`<meta name="style-nonce" content="${nonce}">`);
  });

  it('serves a script from inside the folder', async () => {
    const served = await serveAppFile(root, '/assets/app.js');
    expect(served.status).toBe(200);
    expect(served.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(String(served.body)).toBe('console.log(1)');
  });

  it.each([
    ['/../secret.txt'],
    ['/%2e%2e/secret.txt'],
    ['/%2E%2E%2Fsecret.txt'],
    ['/assets/..%2f..%2fsecret.txt'],
    ['/..%5csecret.txt'],
    ['/%2Fetc%2Fpasswd'],
    ['/index.html%00.js'],
    ['/%E0%A4%A'],
    ['relative/path'],
  ])('refuses %s with 404 and never the file outside', async (path) => {
    const served = await serveAppFile(root, path);
    expect(served.status).toBe(404);
    expect(String(served.body)).not.toContain(SECRET);
    expect(served.headers['Content-Security-Policy']).toContain("script-src 'self'");
  });

  it('refuses a link inside the folder that leads out of it', async () => {
    const served = await serveAppFile(root, '/assets/linked.js');
    expect(served.status).toBe(404);
    expect(String(served.body)).not.toContain(SECRET);
  });

  it('refuses files of a kind the app does not serve, and missing files', async () => {
    expect((await serveAppFile(root, '/assets/run.sh')).status).toBe(404);
    expect((await serveAppFile(root, '/assets/missing.js')).status).toBe(404);
  });

  it('resolves paths inside the root only', () => {
    expect(resolveInside(root, '/assets/app.js')).toBe(join(root, 'assets', 'app.js'));
    expect(resolveInside(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveInside(root, '/../secret.txt')).toBeNull();
    expect(resolveInside(root, '/assets/%2e%2e/%2e%2e/secret.txt')).toBeNull();
  });
});

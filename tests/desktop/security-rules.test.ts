// The edges of the window's security rules that window-rules.test.ts leaves open: which IPC
// senders are trusted (only the app's own top frame), that every nonce the app makes is one the
// policy accepts while anything that could break out of the header is refused, the navigation
// and external-link refusals for look-alike origins and odd schemes, and that the window
// options stay locked whatever the developer-tools switch or the restored bounds say.
import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, isAppUrl } from '../../main/security/app-origin.js';
import { contentSecurityPolicy, newStyleNonce, securityHeaders } from '../../main/security/content-security-policy.js';
import { isTrustedSender } from '../../main/security/ipc-sender.js';
import { refuseAllPermissionChecks, refuseAllPermissionRequests } from '../../main/security/permissions.js';
import { EXTERNAL_HOSTS, externalUrlToOpen, mayNavigateTo } from '../../main/security/trusted-url.js';
import { secureWindowOptions } from '../../main/security/window-options.js';

/** The policy as directive name → values, failing the test if a directive appears twice. */
function directivesOf(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const directive of policy.split(';')) {
    const [name, ...values] = directive.trim().split(/\s+/);
    expect(name, `empty directive in ${policy}`).toBeTruthy();
    expect(directives.has(name!), `${name} appears twice`).toBe(false);
    directives.set(name!, values);
  }
  return directives;
}

describe('IPC senders', () => {
  it.each([[APP_ENTRY_URL], ['app://roomy/index.html#/properties'], ['app://roomy/']])(
    'trusts the top frame of %s',
    (url) => {
      expect(isTrustedSender({ url, parent: null })).toBe(true);
    },
  );

  it('does not trust a subframe, even one on the app’s own origin', () => {
    const top = { url: APP_ENTRY_URL, parent: null };
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: top })).toBe(false);
  });

  it('does not trust a frame whose parent is unknown rather than none', () => {
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: undefined })).toBe(false);
  });

  it.each([
    ['https://example.com/'],
    ['file:///home/agent/roomy/index.html'],
    ['app://roomy.evil.com/index.html'],
    ['app://roomy:8080/index.html'],
    ['http://127.0.0.1:5173/'],
    ['about:blank'],
    [''],
  ])('does not trust the top frame of %j', (url) => {
    expect(isTrustedSender({ url, parent: null })).toBe(false);
  });

  it.each([[null], [undefined]])('does not trust a missing frame (%s)', (frame) => {
    expect(isTrustedSender(frame)).toBe(false);
  });
});

describe('the Content-Security-Policy, nonce by nonce', () => {
  it('accepts every nonce the app makes, and puts each one in style-src', () => {
    const nonces = Array.from({ length: 50 }, newStyleNonce);
    expect(new Set(nonces).size).toBe(nonces.length);
    for (const nonce of nonces) {
      const directives = directivesOf(contentSecurityPolicy(nonce));
      expect(directives.get('style-src')).toEqual(["'self'", `'nonce-${nonce}'`]);
    }
  });

  it('never allows inline code or eval anywhere in the policy', () => {
    const policy = contentSecurityPolicy(newStyleNonce());
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|wasm-unsafe-eval|strict-dynamic/);
    const directives = directivesOf(policy);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).not.toContain("'unsafe-inline'");
    expect(directives.get('default-src')).toEqual(["'none'"]);
  });

  it('names no host, scheme or wildcard: only self, none, data: images and the nonce', () => {
    const nonce = newStyleNonce();
    const values = [...directivesOf(contentSecurityPolicy(nonce)).values()].flat();
    const allowed = new Set(["'self'", "'none'", 'data:', `'nonce-${nonce}'`]);
    expect(values.filter((value) => !allowed.has(value))).toEqual([]);
  });

  it('accepts a nonce of exactly 16 base64 characters, not 15', () => {
    expect(() => contentSecurityPolicy('A'.repeat(16))).not.toThrow();
    expect(() => contentSecurityPolicy('A'.repeat(15))).toThrow(/style nonce/);
  });

  it.each([
    ["abcdefghijklmnop'"],
    ["abcdefghijklmnop' 'unsafe-inline"],
    ['abcdefghijklmnop; script-src *'],
    ['abcdefghijklmnop\n'],
    ['abcdefghijklmnop\r\nX-Injected: 1'],
    ['abcdefghij-klmnop'],
    ['abcdefghij_klmnop'],
    ['abcdefgh ijklmnop'],
    ['ßbcdefghijklmnopq'],
  ])('refuses a nonce that could break out of the header: %j', (bad) => {
    expect(() => contentSecurityPolicy(bad)).toThrow(/style nonce/);
    expect(() => securityHeaders(bad)).toThrow(/style nonce/);
  });

  it('sends the same policy in the headers as it builds on its own', () => {
    const nonce = newStyleNonce();
    const headers = securityHeaders(nonce);
    expect(headers['Content-Security-Policy']).toBe(contentSecurityPolicy(nonce));
    expect(headers['X-Frame-Options']).toBe('DENY');
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    expect(headers['Referrer-Policy']).toBe('no-referrer');
  });
});

describe('navigation, look-alikes and odd forms', () => {
  it.each([['app://roomy/index.html'], ['app://roomy/#/properties'], ['APP://roomy/index.html']])(
    'may go to %s',
    (url) => {
      expect(mayNavigateTo(url)).toBe(true);
    },
  );

  it.each([
    ['app://roomy.evil.com/'],
    ['app://ROOMY/'],
    ['app://roomy./'],
    ['app://user:pw@roomy/'],
    ['app:roomy/index.html'],
    ['app:///index.html'],
    ['file:///etc/passwd'],
    ['blob:app://roomy/0f1e'],
    ['about:blank'],
    [' javascript:alert(1)'],
    [null],
    [{ href: 'app://roomy/index.html' }],
    [new URL('app://roomy/index.html')],
  ])('refuses %j', (url) => {
    expect(mayNavigateTo(url)).toBe(false);
    expect(isAppUrl(url)).toBe(false);
  });
});

describe('links to open in the browser, the odd cases', () => {
  it.each(EXTERNAL_HOSTS.map((host) => [host]))('opens an https page on %s, as a URL', (host) => {
    const url = externalUrlToOpen(`https://${host}/some/page?x=1`);
    expect(url).toBeInstanceOf(URL);
    expect(url?.hostname).toBe(host);
  });

  it('opens the airbnb listing and hands back the parsed URL', () => {
    const url = externalUrlToOpen('https://www.airbnb.com/rooms/1');
    expect(url).toBeInstanceOf(URL);
    expect(url?.href).toBe('https://www.airbnb.com/rooms/1');
  });

  it.each([
    ['https://evil.com/?u=www.airbnb.com'],
    ['https://evil.com/#www.airbnb.com'],
    ['https://www.airbnb.com@evil.com/'],
    ['https://www.airbnb.com./'],
    ['https://xn--www-airbnb-com.evil.com/'],
    ['https://www.xn--irbnb-nqe.com/'],
    ['https://user@www.airbnb.com/'],
    ['https://:pw@www.airbnb.com/'],
    ['https://www.airbnb.com:8443/'],
    ['file:'],
    ['file://server/share/run.exe'],
    ['smb://host/share'],
    ['javascript:alert(1)'],
    ['custom-scheme:foo'],
    ['data:text/html,hi'],
    ['www.airbnb.com/rooms/1'],
    ['https://'],
    [''],
    [undefined],
    [42],
  ])('refuses %j', (url) => {
    expect(externalUrlToOpen(url)).toBeNull();
  });

  it('lets no host through with an empty allowlist', () => {
    expect(externalUrlToOpen('https://www.airbnb.com/rooms/1', [])).toBeNull();
  });

  it('keeps the other rules with a custom allowlist', () => {
    const allow = ['help.example.org'];
    expect(externalUrlToOpen('https://help.example.org/a', allow)?.hostname).toBe('help.example.org');
    expect(externalUrlToOpen('http://help.example.org/a', allow)).toBeNull();
    expect(externalUrlToOpen('https://help.example.org:444/a', allow)).toBeNull();
    expect(externalUrlToOpen('https://u:p@help.example.org/a', allow)).toBeNull();
    expect(externalUrlToOpen('https://evil.help.example.org/a', allow)).toBeNull();
  });
});

describe('permissions, the edges', () => {
  it('logs an empty origin when Electron gives no requesting URL, and still refuses', () => {
    const logged: [string, string][] = [];
    const granted: boolean[] = [];
    refuseAllPermissionRequests((p, origin) => logged.push([p, origin]))({}, 'media', (answer) => granted.push(answer));
    expect(granted).toEqual([false]);
    expect(logged).toEqual([['media', '']]);
  });

  it('answers no whatever the check is given', () => {
    const check = refuseAllPermissionChecks as (...args: unknown[]) => boolean;
    expect(check({}, 'clipboard-read', 'app://roomy', {})).toBe(false);
  });
});

describe('window options, whatever they are given', () => {
  const base = { preload: '/app/preload.cjs', bounds: { x: 0, y: 0, width: 1300, height: 900 } };

  it('change only devTools when developer tools are switched on', () => {
    const off = secureWindowOptions({ ...base, devTools: false });
    const on = secureWindowOptions({ ...base, devTools: true });
    expect(off.webPreferences.devTools).toBe(false);
    expect(on.webPreferences.devTools).toBe(true);
    expect({ ...on, webPreferences: { ...on.webPreferences, devTools: false } }).toEqual(off);
  });

  it('leave the position to the system when the restored bounds have none', () => {
    const options = secureWindowOptions({ ...base, bounds: { width: 1300, height: 900 }, devTools: false });
    expect(options).not.toHaveProperty('x');
    expect(options).not.toHaveProperty('y');
    expect(options).toMatchObject({ width: 1300, height: 900, show: false });
  });

  it('keep the security settings even if the bounds object carries other keys', () => {
    const bounds = { x: 0, y: 0, width: 1300, height: 900, show: true, webPreferences: { nodeIntegration: true } };
    const options = secureWindowOptions({ ...base, bounds, devTools: false });
    expect(options.show).toBe(false);
    expect(options.webPreferences.nodeIntegration).toBe(false);
    expect(options.webPreferences.sandbox).toBe(true);
  });
});

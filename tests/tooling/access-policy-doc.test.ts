import { readFileSync } from 'node:fs';
import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import { accessPolicyMarkdown } from '../../db/policy/describe.js';

describe('docs/access-policy.md', () => {
  it('is the current policy (regenerate with npm run docs:policy)', async () => {
    const committed = readFileSync(new URL('../../docs/access-policy.md', import.meta.url), 'utf8');
    expect(committed).toBe(
      await format(accessPolicyMarkdown(), {
        parser: 'markdown',
        printWidth: 120,
        singleQuote: true,
        trailingComma: 'all',
      }),
    );
  });
});

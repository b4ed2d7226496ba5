// Writes docs/access-policy.md from the policy.
import { writeFileSync } from 'node:fs';
import { accessPolicyMarkdown } from '../db/policy/describe.js';

writeFileSync(new URL('../docs/access-policy.md', import.meta.url), accessPolicyMarkdown());
console.log('docs/access-policy.md written');

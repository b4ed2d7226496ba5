// The release workflow, read as GitHub Actions will: verify before packaging, every platform,
// packaging on a Node that Electron's tools accept, secrets only where the protected environment
// allows, and the least permissions.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const text = readFileSync(join(root, '.github', 'workflows', 'release.yml'), 'utf8');
const workflow = parse(text);
type Job = {
  needs?: string | string[];
  environment?: string;
  steps: Array<Record<string, unknown>>;
  strategy?: { matrix: { include: Array<{ os: string }> } };
  permissions?: Record<string, string>;
};
const jobs = workflow.jobs as Record<string, Job>;

describe('the release workflow', () => {
  it('is well-formed: a trigger, jobs with steps, and only known top-level keys', () => {
    expect(Object.keys(workflow).sort()).toEqual(['concurrency', 'jobs', 'name', 'on', 'permissions']);
    expect(workflow.on.push.tags).toEqual(['v*']);
    for (const [name, job] of Object.entries(jobs)) {
      expect(job.steps.length, name).toBeGreaterThan(0);
      for (const step of job.steps)
        expect('uses' in step || 'run' in step, `${name}: ${JSON.stringify(step)}`).toBe(true);
    }
  });

  it('verifies with the same CI script before packaging, and packages on Windows, macOS and Linux', () => {
    expect(jobs.verify!.steps.some((s) => s.run === 'bash .ci/run')).toBe(true);
    expect(jobs.package!.needs).toBe('verify');
    expect(jobs.publish!.needs).toBe('package');
    expect(jobs.package!.strategy!.matrix.include.map((m) => m.os).sort()).toEqual([
      'macos-latest',
      'ubuntu-latest',
      'windows-latest',
    ]);
  });

  it('packages on a current Node LTS that Electron 45 accepts, and verifies on the Node CI has', () => {
    const setup = jobs.package!.steps.find((st) => String(st.uses).startsWith('actions/setup-node')) as {
      with: { 'node-version': number | string };
    };
    // A bare major installs its newest release: both are past the 22.12 that Electron asks for.
    expect([22, 24]).toContain(Number(String(setup.with['node-version'])));
    // The verify job runs the same script as CI, in the same Debian image with Node 20.
    expect((jobs.verify as Job & { container?: string }).container).toBe('node:20-bookworm');
    expect(jobs.verify!.steps.map((st) => st.run).filter(Boolean)).toEqual(['bash .ci/run']);
  });

  it('uses secrets only in jobs of the protected release environment', () => {
    for (const [name, job] of Object.entries(jobs)) {
      const usesSecrets = JSON.stringify(job).includes('secrets.');
      if (usesSecrets) expect(job.environment, `${name} uses secrets outside the release environment`).toBe('release');
    }
    expect(jobs.verify!.environment).toBeUndefined();
    expect(JSON.stringify(jobs.verify)).not.toContain('secrets.');
  });

  it('asks for the least permissions: read by default, write only to publish', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(jobs.publish!.permissions).toEqual({ contents: 'write' });
    expect(jobs.package!.permissions).toBeUndefined();
  });

  it('gives each platform’s runner only its own signing secrets', () => {
    const step = jobs.package!.steps.find((st) => st.name === 'Build, sign and notarise') as {
      env: Record<string, string>;
    };
    for (const [name, value] of Object.entries(step.env)) {
      if (value.includes('secrets.')) expect(value, name).toMatch(/runner\.os == '(Windows|macOS)' && secrets\./);
    }
  });

  it('runs its script under the bash of every runner (3.2 on macOS: no bare empty-array expansion)', () => {
    const script = String(jobs.package!.steps.find((st) => st.name === 'Build, sign and notarise')!.run);
    expect(script).not.toMatch(/"\$\{extra\[@\]\}"(?!\})/);
    expect(script).toContain('${extra[@]+"${extra[@]}"}');
  });

  it('names no secret value in the file', () => {
    expect(text).not.toMatch(/-----BEGIN|password:\s*[^$\s]/i);
  });
});

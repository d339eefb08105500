import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CONFIG_VARIABLES } from '@tasking/shared';

const deploy = join(__dirname, '..', '..', 'deploy');
const known = new Set([...Object.keys(CONFIG_VARIABLES), 'NODE_ENV']);

function documents(file: string): any[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => {
    expect(doc.errors).toEqual([]);
    return doc.toJS();
  });
}

describe('deploy files', () => {
  it('compose sets only variables the configuration knows, for api and worker', () => {
    const [compose] = documents(join(deploy, 'docker-compose.yml'));
    for (const name of ['api', 'worker']) {
      const env = compose.services[name].environment as Record<string, string>;
      expect(Object.keys(env).length).toBeGreaterThan(3);
      expect(Object.keys(env).filter((k) => !known.has(k))).toEqual([]);
    }
    expect(compose.services.redis.command.join(' ')).toMatch(/--maxmemory-policy noeviction/);
    expect(compose.services.redis.command.join(' ')).toMatch(/--appendonly yes/);
  });

  it('kubernetes manifests parse and set only known variables', () => {
    const files = readdirSync(join(deploy, 'kubernetes')).filter((f) => f.endsWith('.yaml'));
    const docs = files.flatMap((f) => documents(join(deploy, 'kubernetes', f)));
    const kinds = docs.map((d) => d.kind).sort();
    expect(kinds).toEqual(expect.arrayContaining(['ConfigMap', 'Secret', 'Deployment', 'Service', 'PodDisruptionBudget']));
    const names = docs.flatMap((d) => Object.keys(d.kind === 'ConfigMap' ? d.data : d.kind === 'Secret' ? d.stringData : {}));
    expect(names.filter((k) => !known.has(k))).toEqual([]);
    const probes = docs.filter((d) => d.kind === 'Deployment' && d.metadata.name === 'tasking-api')[0].spec.template.spec.containers[0];
    expect(probes.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(probes.livenessProbe.httpGet.path).toBe('/health/live');
  });

  it('the image runs as a non-root user with production dependencies only', () => {
    const dockerfile = readFileSync(join(deploy, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it('the image runs on Node 24, the current LTS, which CI runs the suite on besides the machine\'s Node', () => {
    const dockerfile = readFileSync(join(deploy, 'Dockerfile'), 'utf8');
    const bases = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(bases.length).toBeGreaterThanOrEqual(2);
    for (const base of bases) expect(base).toMatch(/^node:24-/);
    const ci = readFileSync(join(deploy, '..', '.ci', 'run'), 'utf8');
    expect(ci).toMatch(/npm install [^\n]* node@24\b/);
    expect(ci.match(/^run_suite /gm)).toHaveLength(2);
  });
});

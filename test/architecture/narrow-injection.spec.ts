import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Classes receive the parts of the runtime they use (config, read models, the store, the jobs
 * port, the clock: the tokens in libs/runtime/src/tokens.ts), never the whole runtime: no
 * constructor parameter is a `Runtime`, and no class injects one by a token.
 */
const root = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : sources(path);
    return /\.ts$/.test(name) && !/\.(spec|e2e-spec|d)\.ts$/.test(name) ? [path] : [];
  });
}

/** Each `@Inject(TOKEN) name: Runtime` (with or without `private readonly`) in a source text. */
export function runtimeInjections(source: string): string[] {
  return [...source.matchAll(/@Inject\((\w+)\)\s*(?:(?:private|protected|public|readonly)\s+)*(\w+)\??\s*:\s*Runtime\b/g)].map((m) => `${m[2]} by ${m[1]}`);
}

describe('narrow injection', () => {
  it('finds an injected runtime in a class that takes one', () => {
    expect(runtimeInjections('class A { constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {} }')).toEqual(['runtime by RUNTIME']);
    expect(runtimeInjections('class A {\n  constructor(\n    @Inject(RUNTIME) runtime: Runtime,\n  ) {}\n}')).toEqual(['runtime by RUNTIME']);
    expect(runtimeInjections('class A { constructor(@Inject(CONFIG) private readonly config: Config) {} }')).toEqual([]);
  });

  it('no class in the apps or libraries injects the whole runtime', () => {
    const found = ['apps', 'libs'].flatMap((top) =>
      sources(join(root, top)).flatMap((file) => runtimeInjections(readFileSync(file, 'utf8')).map((hit) => `${relative(root, file)}: ${hit}`)),
    );
    expect(found).toEqual([]);
  });
});

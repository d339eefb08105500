import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_ROLES, SYSTEM_COMMANDS } from '@tasking/domain';

/**
 * One command shape: a slice per command in apps/api/src/commands/<verb-noun>/ (request DTO,
 * command, handler, controller), its body typed against the domain command, its roles in
 * COMMAND_ROLES (libs/domain) and nowhere else.
 */
const root = join(__dirname, '..', '..');
const commandsDir = join(root, 'apps/api/src/commands');
const slices = readdirSync(commandsDir).filter((name) => statSync(join(commandsDir, name)).isDirectory());
const typeOf = (slice: string): string => slice.split('-').map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
const read = (slice: string, suffix: string): string => readFileSync(join(commandsDir, slice, `${slice}${suffix}`), 'utf8');
/** A command that takes no body answers `@Body(NoBody)` and has no request DTO. */
const takesNoBody = (slice: string): boolean => read(slice, '.http.controller.ts').includes('@Body(NoBody)');

/** The `type` of every command the domain decides, from the command types its deciders and workflows declare. */
const domainCommandTypes = (): string[] => {
  const dir = join(root, 'libs/domain/src');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
    (file) => (file.endsWith('.decide.ts') || file.startsWith('workflows/')) && !file.endsWith('.spec.ts'),
  );
  return files.flatMap((file) =>
    [...readFileSync(join(dir, file), 'utf8').matchAll(/export type (\w+) = (?:CommandBase & )?\{\s*type: '(\w+)'/g)].map(([, name, type]) => {
      expect(type).toBe(name);
      return type!;
    }),
  );
};

describe('command slices', () => {
  it('has a slice per command a person sends, and none for a system command', () => {
    expect(slices.map(typeOf).sort()).toEqual(Object.keys(COMMAND_ROLES).sort());
    expect(Object.keys(SYSTEM_COMMANDS).filter((type) => slices.map(typeOf).includes(type))).toEqual([]);
  });

  it('gives every command of the domain a row in COMMAND_ROLES, or lists it as a system command', () => {
    const types = domainCommandTypes();
    expect(types.length).toBeGreaterThanOrEqual(29);
    expect(types.sort()).toEqual([...Object.keys(COMMAND_ROLES), ...Object.keys(SYSTEM_COMMANDS)].sort());
  });

  it.each(slices)('%s has its four files (three for a command without a body), and nothing else', (slice) => {
    const files = ['.command.ts', '.handler.ts', '.http.controller.ts', ...(takesNoBody(slice) ? [] : ['.request.dto.ts'])].map((suffix) => `${slice}${suffix}`);
    expect(readdirSync(join(commandsDir, slice)).sort()).toEqual(files.sort());
  });

  it.each(slices.filter((slice) => !takesNoBody(slice)))('%s: the request DTO implements its command\'s body, and the command carries the DTO', (slice) => {
    const type = typeOf(slice);
    expect(read(slice, '.request.dto.ts')).toMatch(new RegExp(`export class ${type}Request implements CommandBody<${type}\\b`));
    expect(read(slice, '.command.ts')).toMatch(new RegExp(`readonly body: ${type}Request\\b`));
  });

  it.each(slices)('%s: the route takes its roles from COMMAND_ROLES, and the runner records the same command', (slice) => {
    const type = typeOf(slice);
    const controller = read(slice, '.http.controller.ts');
    expect(controller.match(/@CommandRoute\('(\w+)'\)/g)).toEqual([`@CommandRoute('${type}')`]);
    expect(controller).not.toMatch(/@Roles\(/);
    expect(read(slice, '.handler.ts')).toMatch(new RegExp(`this\\.runner\\.run\\(context, \\{ name: '${type}'`));
  });

  it('keeps no input types beside the DTOs', () => {
    const inputs = slices.flatMap((slice) => readdirSync(join(commandsDir, slice)).filter((file) => /interface \w+Input\b/.test(readFileSync(join(commandsDir, slice, file), 'utf8'))));
    expect(inputs).toEqual([]);
  });

  it('registers every slice\'s controller and handler in the commands module', () => {
    const module = readFileSync(join(commandsDir, 'commands.module.ts'), 'utf8');
    const registered = module.slice(module.indexOf('@Module('));
    const missing = slices.flatMap((slice) => [`${typeOf(slice)}Controller`, `${typeOf(slice)}Handler`]).filter((name) => !new RegExp(`\\b${name},`).test(registered));
    expect(missing).toEqual([]);
  });
});

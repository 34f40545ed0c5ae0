/**
 * `npm run admin -- <command>`: the admin API for scripts and terminals. The server is ADMIN_URL
 * (or --url, default http://localhost:8787) and the token ADMIN_TOKEN (or --token; the
 * environment keeps it out of the process list). --json prints the API's answer as it is.
 * Exit status: 0 done, 1 refused or failed (the server's code and words on stderr), 2 misused.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { adminApi, AdminApiError } from '../client.ts';
import { commands, UsageError } from './commands.ts';

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

const common = { url: { type: 'string' }, token: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } } as const;

function help(): string[] {
  return [
    'Usage: npm run admin -- <command> [options] [--json] [--url URL] [--token TOKEN]',
    '',
    ...Object.values(commands).map((c) => `  ${c.usage}`),
    '',
    'ADMIN_URL (default http://localhost:8787) and ADMIN_TOKEN are read from the environment. Money is in minor units (1250 = 12.50).',
  ];
}

export async function run(argv: string[], env: NodeJS.ProcessEnv, io: Io, fetchImpl?: typeof fetch): Promise<number> {
  const name = argv[0];
  const command = name ? commands[name] : undefined;
  if (!command) {
    help().forEach((l) => (name && name !== '--help' ? io.err(l) : io.out(l)));
    return name && name !== '--help' ? 2 : 0;
  }
  let parsed;
  try {
    const options = { ...common, ...Object.fromEntries(Object.entries(command.options).map(([k, type]) => [k, { type }])) };
    parsed = parseArgs({ args: argv.slice(1), options, allowPositionals: true, strict: true });
    if (parsed.positionals.length !== command.positionals) throw new UsageError(`${name} takes ${command.positionals || 'no'} argument${command.positionals === 1 ? '' : 's'}`);
  } catch (err) {
    io.err(`${err instanceof Error ? err.message : String(err)}\nUsage: npm run admin -- ${command.usage}`);
    return 2;
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const token = (typeof values.token === 'string' ? values.token : undefined) ?? env.ADMIN_TOKEN;
  if (!token) {
    io.err('No admin token: set ADMIN_TOKEN (or pass --token).');
    return 2;
  }
  const url = ((typeof values.url === 'string' ? values.url : undefined) ?? env.ADMIN_URL ?? 'http://localhost:8787').replace(/\/+$/, '');
  try {
    // `npm run` runs the script in the project root; a file named on the command line is relative
    // to where it was typed, which npm passes as INIT_CWD.
    const cwd = env.INIT_CWD ?? process.cwd();
    const outcome = await command.run(adminApi(url, token, fetchImpl), { positionals: parsed.positionals, values, cwd });
    if (values.json) io.out(JSON.stringify(outcome.data, null, 2));
    else outcome.lines.forEach((l) => io.out(l));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${err.message}\nUsage: npm run admin -- ${command.usage}`);
      return 2;
    }
    if (err instanceof AdminApiError) {
      io.err(values.json ? JSON.stringify({ error: { code: err.code, message: err.message, details: err.details } }) : `${err.code}: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await run(process.argv.slice(2), process.env, { out: (l) => console.log(l), err: (l) => console.error(l) });
}

// context-budget CLI: one table of commands over src/core.
import { runCount } from './count';
import { runCompress } from './compress';

interface CliCommand {
  summary: string;
  run(args: string[]): Promise<number>;
}

const COMMANDS: Record<string, CliCommand> = {
  count: { summary: 'count FILE... [--model ID] [--json]   tokens per file and in total', run: runCount },
  compress: {
    summary:
      'compress FILE... (--budget N | --rate R) [--query TEXT] [--model DIR] [--json]   compress to fit a budget',
    run: runCompress,
  },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([, c]) => `  context-budget ${c.summary}`);
  return `Usage:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`context-budget: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`context-budget: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);

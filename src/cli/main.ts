// context-budget CLI: subcommands over src/core, parsed with commander (help per subcommand, validated flags).
// Exit codes: 0 success, 1 failure (a file could not be read, nothing to compress, a budget that holds nothing of
// the input, a backend failed), 2 usage (unknown command or flag, a bad value), 130 interrupted.
import { Command, CommanderError, Option } from 'commander';
import { DEFAULT_MODEL_ID, findCatalogModel } from '../core/tokens/catalog';
import { TOKENIZER_IDS } from '../core/tokens/tokenizers';
import { BACKEND_HELP } from './backend';
import { runCompress } from './compress';
import { runCount } from './count';
import { DEFAULT_MAX_BYTES } from './input';
import {
  MODEL_IDS,
  parseBackendFlag,
  parseBudget,
  parseCompressor,
  parseLanguage,
  parseMaxSize,
  parseModel,
  parseRate,
  parseReserve,
  parseTokenizer,
} from './options';
import { endQuietlyOnClosedPipe, writeErr } from './output';
import { CLI_VERSION } from './version';

const EXIT_CODES =
  '\nExit codes: 0 success, 1 failure (a file could not be read, nothing to do, a budget too small), 2 usage error.\n';
const FILES_HELP =
  'FILE may be a folder (read recursively, honouring .gitignore; binary files skipped with a note) or - for stdin.';

const modelOption = () =>
  new Option('--model <ID>', `target model: its tokenizer counts, its window and price apply (${MODEL_IDS()})`)
    .argParser(parseModel)
    .default(findCatalogModel(DEFAULT_MODEL_ID)!, DEFAULT_MODEL_ID);
const maxSizeOption = () =>
  new Option('--max-size <SIZE>', 'largest file read, e.g. 20M or 512k (bytes without a suffix)')
    .argParser(parseMaxSize)
    .default(DEFAULT_MAX_BYTES, '5M');

const compressorOption = () =>
  new Option(
    '--compressor <DIR>',
    'an installed LLMLingua-2 model folder, offered for prose (Markdown, plain text)',
  ).argParser(parseCompressor);
const backendOption = () =>
  new Option('--backend <KIND>', 'what runs the LLMLingua-2 model: cpu, wasm, webgpu or auto (see below)')
    .argParser(parseBackendFlag)
    .default('wasm');

export function buildProgram(exitCode: { value: number }): Command {
  const program = new Command('context-budget')
    .description('Counts tokens and compresses context into a token budget.')
    .version(CLI_VERSION, '-V, --version')
    .exitOverride()
    .showSuggestionAfterError()
    .addHelpText('after', `\nRun 'context-budget <command> --help' for a command's flags.${EXIT_CODES}`);

  program
    .command('count')
    .description('tokens per file and in total, share of the target model’s window, and cost')
    .argument('<FILE...>', FILES_HELP)
    .addOption(modelOption())
    .option('--json', 'the result as JSON', false)
    .addOption(new Option('--reserve <N>', 'tokens kept free for the answer').argParser(parseReserve).default(0))
    .addOption(maxSizeOption())
    .addHelpText('after', EXIT_CODES)
    .action(async (files: string[], opts) => {
      exitCode.value = await runCount(files, opts);
    });

  program
    .command('compress')
    .description('compress files into a token budget; the text goes to stdout, a summary to stderr')
    .argument('<FILE...>', `${FILES_HELP} The first FILE has the highest priority.`)
    .addOption(
      new Option('--budget <N>', 'most tokens the output may take (a positive whole number)').argParser(parseBudget),
    )
    .addOption(
      new Option('--rate <R>', 'keep this share of the original tokens, in (0, 1]')
        .argParser(parseRate)
        .conflicts('budget'),
    )
    .addOption(modelOption())
    .addOption(
      new Option(
        '--tokenizer <ID>',
        `count with this bundled tokenizer instead of the model's (${TOKENIZER_IDS.join(', ')})`,
      ).argParser(parseTokenizer),
    )
    .option(
      '--query <TEXT>',
      'the question the context is for; the functions and sections it names are kept whole first',
    )
    .option(
      '--protect',
      'never drop identifier-like words (paths, URLs, ids, versions, hashes); without --compressor, lines with them are kept first and never cut through one',
      false,
    )
    .addOption(compressorOption())
    .addOption(backendOption())
    .addOption(
      new Option(
        '--language <ID>',
        'language of every input (e.g. typescript, python, markdown, plaintext, diff); default: from the file name, else from the content',
      ).argParser(parseLanguage),
    )
    .option(
      '--json',
      'the result as JSON; every cut is a marker `… lines 12–30 elided — expand("id")` and "elisions" lists each id, marker, original and its file and lines',
      false,
    )
    .addOption(maxSizeOption())
    .addHelpText(
      'after',
      `\n${BACKEND_HELP}` +
        '\nMachine contract for parity tests (see docs/cli.md), its own flags:\n' +
        '  compress --compressor DIR --request FILE|- [--budget-tokenizer ID] [--threads N] [--backend KIND]\n' +
        `  --budget-tokenizer ID  counts the request's target_token (${TOKENIZER_IDS.join(', ')}; default cl100k_base)\n` +
        '  --threads N            ONNX Runtime threads for the model (default 1)\n' +
        EXIT_CODES,
    )
    .action(async (files: string[], opts) => {
      if (opts.budget === undefined && opts.rate === undefined) {
        throw new CommanderError(2, 'context-budget.usage', 'error: give one of --budget N or --rate R');
      }
      const query = typeof opts.query === 'string' ? opts.query.trim() : undefined;
      if (query === '') {
        throw new CommanderError(
          2,
          'context-budget.usage',
          'error: --query needs a question, e.g. --query "why does upload retry?"',
        );
      }
      exitCode.value = await runCompress(files, { ...opts, query });
    });

  program
    .command('mcp')
    .description('an MCP server over stdio: tools count_tokens, compress_context, expand_elision (see docs/mcp.md)')
    .addOption(
      modelOption().default(findCatalogModel(DEFAULT_MODEL_ID)!, `${DEFAULT_MODEL_ID}; a tool call may name another`),
    )
    .addOption(maxSizeOption())
    .addOption(compressorOption())
    .addOption(backendOption())
    .addHelpText('after', `\n${BACKEND_HELP}${EXIT_CODES}`)
    .action(async (opts) => {
      const { runMcpServer } = await import('./mcp/server');
      exitCode.value = await runMcpServer(opts);
    });
  return program;
}

async function main(argv: string[]): Promise<number> {
  const exitCode = { value: 0 };
  const program = buildProgram(exitCode);
  // --help anywhere before `--` wins over everything else (a bad value, the machine contract): the command's help.
  const options = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  if (options.includes('--help') || options.includes('-h')) {
    (program.commands.find((c) => c.name() === argv[0]) ?? program).outputHelp();
    return 0;
  }
  // The LLMLingua-2 machine contract has flags of its own: hand it over before option parsing.
  if (argv[0] === 'compress' && argv.some((a) => a === '--request' || a.startsWith('--request='))) {
    const { runCompressRequest } = await import('./llmlingua2Contract');
    return runCompressRequest(argv.slice(1));
  }
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return 2;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'context-budget.usage') writeErr(`${err.message}\n`);
      // Help and version exit 0; every parsing error (commander printed its one line) is a usage error.
      return err.exitCode === 0 ? 0 : 2;
    }
    throw err;
  }
  return exitCode.value;
}

endQuietlyOnClosedPipe();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    writeErr(`context-budget: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);

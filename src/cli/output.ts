// stdout and stderr for the CLI. A closed pipe (`context-budget … | head -1`) ends the process quietly, as Unix
// tools do: no EPIPE stack trace, exit 0 (the reader has what it wanted).
let installed = false;

export function endQuietlyOnClosedPipe(): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
}

export function writeOut(text: string): void {
  process.stdout.write(text);
}

export function writeErr(text: string): void {
  process.stderr.write(text);
}

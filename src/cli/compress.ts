// Placeholder until the compression issues land; the command table already names it.
export async function runCompress(_args: string[]): Promise<number> {
  process.stderr.write('context-budget compress: not available yet\n');
  return 2;
}

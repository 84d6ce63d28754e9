// Reading the CLI's FILE arguments ("-" is stdin), with one message per file that cannot be used.
import { readFile } from 'node:fs/promises';
import { looksBinary } from '../core/tokens/guard';

export type InputFile = { file: string; text: string } | { file: string; error: string; binary?: true };

export async function readInputFile(file: string): Promise<InputFile> {
  let bytes: Buffer;
  try {
    bytes = file === '-' ? await readStdin() : await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    return { file, error: why };
  }
  const text = bytes.toString('utf8');
  if (bytes.includes(0) || looksBinary(text)) {
    return { file, error: 'binary file', binary: true };
  }
  return { file, text };
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

// The package version, defined by esbuild for dist/cli.js; from source (tsx) it is unknown.
declare const __CLI_VERSION__: string | undefined;

export const CLI_VERSION = typeof __CLI_VERSION__ === 'string' ? __CLI_VERSION__ : '0.0.0-dev';

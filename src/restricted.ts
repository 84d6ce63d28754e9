// The settings an untrusted folder may not set (package.json's capabilities.untrustedWorkspaces
// .restrictedConfigurations): they choose a model loaded into the native runtime, what "Download Compressor Model"
// fetches and from where, and which prompt files are read. VS Code itself ignores a workspace's values for them until
// the folder is trusted, and hides them from inspect() too; this finds which ones a folder's settings file sets, so the
// user can be told why they are not used. No vscode import: a unit test reads it (test/unit/config/restricted.test.ts).

export const RESTRICTED_SETTINGS = [
  'compression.modelPath',
  'models.baseUrl',
  'models.repo',
  'models.revision',
  'models.files',
  'prompts.files',
] as const;

export type RestrictedSetting = (typeof RESTRICTED_SETTINGS)[number];

/**
 * The restricted settings among `keys` that a settings file (.vscode/settings.json, a .code-workspace file; JSON with
 * comments) sets, by their full names as keys. Only to say what is not used: the values are never read from here.
 */
export function restrictedSettingsIn(
  text: string,
  keys: readonly RestrictedSetting[] = RESTRICTED_SETTINGS,
): RestrictedSetting[] {
  const code = withoutComments(text);
  return keys.filter((key) => new RegExp(`"contextBudget\\.${key.replace('.', '\\.')}"\\s*:`).test(code));
}

/** JSON with comments without its comments (strings kept as they are, so a "//" inside a URL stays). */
function withoutComments(text: string): string {
  return text.replace(
    /("(?:[^"\\\n]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g,
    (_m, str: string | undefined) => str ?? ' ',
  );
}

/**
 * Whether a text looks like a CloudFormation template: a top-level `Resources` key, or the template
 * format version. Cheap (no parse, no `yaml`), so the extension asks it of every YAML or JSON file
 * before loading the parser.
 */
export function looksLikeTemplate(text: string): boolean {
  return /(^|\n)\s*"?AWSTemplateFormatVersion"?\s*:/.test(text) || /(^|\n)"?Resources"?\s*:|"Resources"\s*:\s*\{/.test(text);
}

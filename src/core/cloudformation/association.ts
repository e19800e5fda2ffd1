/**
 * Which stack a template file belongs to, from what the project already says:
 *
 * 1. the `trailLens.cloudformation.stacks` setting (template path, relative to the workspace folder
 *    or absolute → stack name),
 * 2. a `samconfig.toml` in the template's folder or one above it (`[<env>.deploy.parameters]
 *    stack_name`, else `[<env>.global.parameters]`; SAM CLI's configuration file:
 *    https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-sam-cli-config.html),
 * 3. a CDK cloud assembly's `manifest.json` (`cdk.out/`) whose stack artifact names the template as
 *    its `templateFile` (the stack name is `properties.stackName`, else the artifact ID),
 * 4. the user's pick, remembered per workspace by the caller (passed in as `remembered`).
 *
 * Plain Node (no vscode): files are read through `readFile`, so tests and the extension use the same code.
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export type AssociationSource = 'setting' | 'samconfig' | 'cdk' | 'picked';

export interface StackAssociation {
  readonly stackName: string;
  readonly source: AssociationSource;
  /** The file that said so (samconfig.toml, manifest.json), for the tooltip. */
  readonly file?: string;
}

export interface AssociationInput {
  /** Absolute path of the template. */
  readonly templatePath: string;
  /** The workspace folder holding it; the setting's relative paths and the upward search stop here. */
  readonly workspaceRoot?: string;
  /** The setting's value: template path → stack name. */
  readonly setting?: Readonly<Record<string, unknown>>;
  /** The user's earlier pick for this template, if any. */
  readonly remembered?: string;
  /** SAM config environment; `default` unless told. */
  readonly samEnvironment?: string;
  readonly readFile?: (path: string) => Promise<string>;
}

const defaultRead = (path: string): Promise<string> => fsReadFile(path, 'utf8');

function posix(p: string): string {
  return p.split(sep).join('/').replace(/^\.\//, '');
}

/** The setting's entry for the template: keys are workspace-relative (either slash) or absolute. */
export function stackFromSetting(
  setting: Readonly<Record<string, unknown>> | undefined,
  templatePath: string,
  root?: string,
): string | undefined {
  if (!setting) return undefined;
  const abs = resolve(templatePath);
  for (const [key, value] of Object.entries(setting)) {
    if (typeof value !== 'string' || value.trim() === '') continue;
    const keyPath = isAbsolute(key) ? resolve(key) : root ? resolve(root, key) : undefined;
    if (keyPath === abs || (root && posix(key) === posix(relative(root, abs)))) return value.trim();
  }
  return undefined;
}

/** `stack_name` of a samconfig.toml for the environment: deploy parameters first, then global ones. */
export async function stackFromSamconfig(toml: string, environment = 'default'): Promise<string | undefined> {
  // smol-toml is an ES module; the bundles (CommonJS) load it with import().
  const { parse } = await import('smol-toml');
  let doc: Record<string, unknown>;
  try {
    doc = parse(toml) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const env = doc[environment];
  if (!env || typeof env !== 'object') return undefined;
  for (const command of ['deploy', 'global']) {
    const params = (env as Record<string, { parameters?: Record<string, unknown> }>)[command]?.parameters;
    const name = params?.stack_name;
    if (typeof name === 'string' && name.trim() !== '') return name.trim();
  }
  return undefined;
}

/** A cloud assembly manifest's stacks: template file name (relative to the manifest) → stack name. */
export function stacksFromCdkManifest(json: string): Map<string, string> {
  const out = new Map<string, string>();
  let manifest: { artifacts?: Record<string, { type?: string; properties?: { templateFile?: unknown; stackName?: unknown } }> };
  try {
    manifest = JSON.parse(json) as typeof manifest;
  } catch {
    return out;
  }
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact?.type !== 'aws:cloudformation:stack') continue;
    const file = artifact.properties?.templateFile;
    if (typeof file !== 'string') continue;
    const name = artifact.properties?.stackName;
    out.set(posix(file), typeof name === 'string' && name !== '' ? name : id);
  }
  return out;
}

/** The folders from the template's up to the workspace root (or the file system's root). */
function foldersUp(templatePath: string, root?: string): string[] {
  const out: string[] = [];
  let dir = dirname(resolve(templatePath));
  const stop = root ? resolve(root) : undefined;
  for (;;) {
    out.push(dir);
    if (dir === stop) break;
    const parent = dirname(dir);
    if (parent === dir || (stop && !parent.startsWith(stop))) break;
    dir = parent;
  }
  return out;
}

async function tryRead(read: (path: string) => Promise<string>, path: string): Promise<string | undefined> {
  try {
    return await read(path);
  } catch {
    return undefined;
  }
}

/** The stack of a template, from the first source that names one; undefined when none does. */
export async function findStackForTemplate(input: AssociationInput): Promise<StackAssociation | undefined> {
  const read = input.readFile ?? defaultRead;
  const fromSetting = stackFromSetting(input.setting, input.templatePath, input.workspaceRoot);
  if (fromSetting) return { stackName: fromSetting, source: 'setting' };

  for (const dir of foldersUp(input.templatePath, input.workspaceRoot)) {
    const file = join(dir, 'samconfig.toml');
    const toml = await tryRead(read, file);
    const name = toml === undefined ? undefined : await stackFromSamconfig(toml, input.samEnvironment);
    if (name) return { stackName: name, source: 'samconfig', file };
  }

  // A CDK template sits in the cloud assembly folder, next to its manifest.
  const manifestFile = join(dirname(resolve(input.templatePath)), 'manifest.json');
  const manifest = await tryRead(read, manifestFile);
  if (manifest !== undefined) {
    const name = stacksFromCdkManifest(manifest).get(basename(input.templatePath));
    if (name) return { stackName: name, source: 'cdk', file: manifestFile };
  }

  if (input.remembered) return { stackName: input.remembered, source: 'picked' };
  return undefined;
}

/** JSON paths as the event panel writes them: `a.b`, `a[0]`, `a["odd key"]`. */

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `parent.key`, `parent[0]` or `parent["odd key"]`; a top-level key stands alone. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (IDENTIFIER.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** The path of a list of keys from the record's root: ['requestParameters', 'encryptionKeyArn'] → requestParameters.encryptionKeyArn. */
export function pathText(parts: readonly (string | number)[]): string {
  return parts.reduce<string>((p, k) => childPath(p, k), '');
}

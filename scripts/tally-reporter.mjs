// A node:test reporter that writes one JSON object for scripts/test.mjs's summary:
//   { "passed": n, "failed": n, "skipped": n, "skips": ["name: reason", …],
//     "files": { "<test file>": { "passed": n, "failed": n, "skipped": n, "failures": ["name", …] } } }
// Used beside the spec reporter (which prints what a person reads); a suite skipped as a whole
// counts once, with its reason, since its tests never run. Suites that fail in a hook count as
// a failure of their own; a suite that fails because a test inside it failed does not count twice.
export default async function* tally(source) {
  const t = { passed: 0, failed: 0, skipped: 0, skips: [], files: {} };
  const perFile = (file) => (t.files[file ?? '?'] ??= { passed: 0, failed: 0, skipped: 0, failures: [] });
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { data } = event;
    const isSuite = data.details?.type === 'suite';
    if (data.skip !== undefined && data.skip !== false) {
      t.skipped++;
      perFile(data.file).skipped++;
      t.skips.push(typeof data.skip === 'string' ? `${data.name}: ${data.skip}` : data.name);
    } else if (event.type === 'test:fail') {
      if (!isSuite || data.details?.error?.failureType !== 'subtestsFailed') {
        t.failed++;
        perFile(data.file).failed++;
        perFile(data.file).failures.push(data.name);
      }
    } else if (!isSuite) {
      t.passed++;
      perFile(data.file).passed++;
    }
  }
  yield `${JSON.stringify(t)}\n`;
}

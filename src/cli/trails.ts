/**
 * `trail-lens trails` (each trail of the connection with its delivery health) and the checks
 * `read` runs before printing records: digest files against the log files present (no call), and
 * with --check-trail the health of the trail that delivers those files (DescribeTrails +
 * GetTrailStatus). Warnings go to stderr, never into the records on stdout.
 */
import { describeError } from '../core/errors';
import { listTrailFiles } from '../core/files';
import { toJson } from '../core/json';
import { printable } from '../core/text';
import { formatUtc } from '../core/time';
import { checkDigests, describeDigestCheck, newestByRegion } from '../core/trails/digest';
import { EVENT_HISTORY_NOTE, ERROR_FIELDS, explanationLines } from '../core/trails/explain';
import { deliveryWarning, describeHealth, loadTrailHealth, type TrailHealth, type TrailsReport } from '../core/trails/health';
import { locationsOf, parseTrailPath, trailsDelivering, type TrailFileKey } from '../core/trails/paths';
import { openSession, type CommonArgs } from './commands';
import { say } from './format';

function kindLabel(h: TrailHealth): string {
  return [h.organization ? 'organization' : '', h.multiRegion ? 'multi-Region' : 'single-Region', h.shadow ? 'shadow' : '']
    .filter(Boolean)
    .join(', ');
}

function trailJson(h: TrailHealth): Record<string, unknown> {
  const iso = (d: Date | undefined) => (d ? formatUtc(d, 'iso') : null);
  return {
    name: h.name,
    arn: h.arn ?? null,
    homeRegion: h.homeRegion ?? null,
    shadow: h.shadow,
    organization: h.organization,
    multiRegion: h.multiRegion,
    bucket: h.target.bucket ?? null,
    prefix: h.target.prefix ?? null,
    logging: h.logging ?? null,
    latestDeliveryTime: iso(h.latestDelivery),
    latestDigestDeliveryTime: iso(h.latestDigestDelivery),
    failing: h.problems.length > 0 || h.logging === false,
    problems: h.problems.map((p) => ({
      kind: p.kind,
      field: ERROR_FIELDS[p.kind],
      code: p.code,
      summary: p.explanation.summary,
      cause: p.explanation.cause,
      checks: p.explanation.checks,
      commands: p.explanation.commands,
    })),
    statusError: h.statusError ? describeError(h.statusError) : null,
  };
}

function table(report: TrailsReport, now: Date): string {
  if (!report.trails.length) return `No trails in ${report.region} (DescribeTrails, shadow trails included).\n${EVENT_HISTORY_NOTE}\n`;
  const rows = report.trails.map((h) => [h.name, h.homeRegion ?? '', kindLabel(h), describeHealth(h, now)].map((c) => printable(c)));
  const head = ['trail', 'homeRegion', 'kind', 'health'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const out = [line(head), ...rows.map(line)];
  for (const h of report.trails) {
    if (!h.problems.length && h.logging !== false) continue;
    out.push('', `${h.name}:`);
    const warning = deliveryWarning(h, now);
    if (warning) out.push(`  ${warning}`);
    for (const p of h.problems) out.push(...explanationLines(p.explanation).map((l) => `  ${l}`));
  }
  if (report.failing.length) out.push('', EVENT_HISTORY_NOTE);
  return out.map(printable).join('\n') + '\n';
}

export async function runTrails(args: CommonArgs): Promise<number> {
  const { connection } = await openSession({ ...args, noCache: true });
  try {
    const report = await loadTrailHealth(connection, { signal: args.signal });
    const now = new Date();
    if (args.format === 'json') {
      const body = {
        region: report.region,
        trails: report.trails.map(trailJson),
        failing: report.failing.map((h) => h.name),
        note: EVENT_HISTORY_NOTE,
      };
      process.stdout.write((toJson(body, 2) ?? '{}') + '\n');
    } else process.stdout.write(table(report, now));
    const n = report.failing.length;
    say(`${report.trails.length} trail${report.trails.length === 1 ? '' : 's'} in ${report.region}${n ? `; ${n} failing` : ''}`);
    return 0;
  } finally {
    connection.dispose();
  }
}

/**
 * Before `read` prints anything: what the digest files say is missing, and (checkTrail) whether
 * the trail that delivers these files is failing. Each finding is one `warning:` line on stderr;
 * a check that cannot run says why and the read goes on.
 */
export async function warnBeforeRead(paths: string[], args: CommonArgs & { checkTrail: boolean }): Promise<void> {
  // A path that cannot be listed is left out here: the read that follows names it.
  const { logs, digests } = await listTrailFiles(paths, { signal: args.signal, stdin: true, onError: () => {} });
  const keys: (TrailFileKey & { bucket?: string })[] = logs.flatMap((p) => parseTrailPath(p) ?? []);
  if (digests.length) {
    const check = await checkDigests(digests, logs);
    for (const line of describeDigestCheck(check, newestByRegion(logs))) say(`warning: ${line}`);
    for (const d of check.digests) {
      const k = parseTrailPath(d.path);
      if (k) keys.push({ ...k, ...(d.bucket ? { bucket: d.bucket } : {}) });
    }
  }
  if (!args.checkTrail) return;
  const locations = locationsOf(keys);
  if (!locations.length) {
    say(
      'warning: --check-trail: no file is in the S3 layout (…/AWSLogs/[o-…/]ACCOUNT/CloudTrail/REGION/…), so no trail can be matched to them.',
    );
    return;
  }
  let report: TrailsReport;
  const { connection } = await openSession({ ...args, noCache: true });
  try {
    report = await loadTrailHealth(connection, { signal: args.signal });
  } catch (err) {
    say(`warning: could not check the trail's delivery: ${describeError(err)}`);
    return;
  } finally {
    connection.dispose();
  }
  const warned = new Set<string>();
  for (const location of locations) {
    const trails = trailsDelivering(location, report.trails);
    const where = `AWSLogs/${location.orgId ? `${location.orgId}/` : ''}${location.account}/CloudTrail/${location.region}`;
    if (!trails.length) {
      say(
        `note: no trail of ${report.region} delivers ${where}${location.bucket ? ` in bucket ${location.bucket}` : ''}; its delivery was not checked.`,
      );
      continue;
    }
    for (const t of trails) {
      const warning = deliveryWarning(t, new Date());
      if (warning && !warned.has(t.name)) {
        warned.add(t.name);
        say(`warning: ${warning}`);
        say(`  ${t.problems[0]?.explanation.summary ?? ''} Run 'trail-lens trails' for what to check.`.replace('   Run', '  Run'));
      }
    }
  }
}

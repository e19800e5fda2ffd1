/**
 * Trail Lens: Create Athena Table for Trail… — from a trail's row in the Trails view or the palette:
 * lists the accounts and Regions its bucket holds (core's planTrailTable), opens AWS's documented
 * CREATE EXTERNAL TABLE with partition projection in an editor for review, and runs the statement
 * as the editor then holds it on Athena only when asked. On success the table becomes the
 * `trailLens.athena.*` settings, so a request-ID jump that finds nothing offers to search it.
 */
import * as vscode from 'vscode';
import { TrailLensError } from '../../core/errors';
import type { S3Location } from '../../core/s3Trail';
import type { TrailHealth } from '../../core/trails/health';
import type { TrailLensContext } from '../context';
import { loadEngine } from '../loadEngine';
import { withCancellableProgress } from '../jump/requestSearch';

export const RUN_DDL = 'Run on Athena';
const COPY_DDL = 'Copy';
const DEFAULT_DATABASE = 'default';

/** A Trails view row carries its trail's health; a string is a trail name. */
function trailOf(target: unknown): { name: string; bucket?: string; prefix?: string } | undefined {
  if (target && typeof target === 'object' && 'health' in target) {
    const h = (target as { health: TrailHealth }).health;
    return { name: h.name, bucket: h.target.bucket, prefix: h.target.prefix };
  }
  return typeof target === 'string' ? { name: target } : undefined;
}

/** The trail's bucket: the row's, else one picked from DescribeTrails (or typed as s3://…). */
async function chooseLocation(ctx: TrailLensContext, target: unknown): Promise<{ loc: S3Location; what: string } | undefined> {
  const engine = await loadEngine();
  const given = trailOf(target);
  if (given?.bucket)
    return {
      loc: engine.trailLocation({ Name: given.name, S3BucketName: given.bucket, S3KeyPrefix: given.prefix }),
      what: `trail ${given.name}`,
    };
  const session = await ctx.connection.session();
  const trails = (await session.connection.describeTrails()).filter((t) => t.S3BucketName && (!given || t.Name === given.name));
  const typed = '$(edit) Enter an s3:// location…';
  const picked = await vscode.window.showQuickPick(
    [
      ...trails.map((t) => ({ label: t.Name ?? '(unnamed)', description: `s3://${t.S3BucketName}/${t.S3KeyPrefix ?? ''}`, trail: t })),
      { label: typed, description: 'a bucket and prefix that hold AWSLogs/', trail: undefined },
    ],
    { title: 'Create Athena Table for Trail', placeHolder: `The trail whose log files the table reads (${session.label})` },
  );
  if (!picked) return undefined;
  if (picked.trail) return { loc: engine.trailLocation(picked.trail), what: `trail ${picked.trail.Name}` };
  const url = await vscode.window.showInputBox({
    title: 'Create Athena Table for Trail',
    prompt: 'The S3 location of the trail log files (the folder that holds AWSLogs/)',
    placeHolder: 's3://my-trail-bucket/my-prefix',
    validateInput: (v) => (engine.parseS3Url(v) ? undefined : 'An s3://bucket/prefix location'),
  });
  const loc = url ? engine.parseS3Url(url) : undefined;
  return loc ? { loc, what: url! } : undefined;
}

/** The statement as the editor holds it, without the review comments at its top. */
export function statementOf(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.startsWith('--'))
    .join('\n')
    .trim()
    .replace(/;\s*$/, '');
}

export async function createAthenaTable(ctx: TrailLensContext, target: unknown): Promise<void> {
  const chosen = await chooseLocation(ctx, target);
  if (!chosen) return;
  const settings = ctx.config.athena;
  const table = await vscode.window.showInputBox({
    title: 'Create Athena Table for Trail',
    prompt: `The new table's name (database ${settings?.database ?? DEFAULT_DATABASE})`,
    value: settings?.table ?? 'cloudtrail_logs',
    validateInput: (v) => (/^[a-z_][a-z0-9_]*$/.test(v) ? undefined : "Lower-case letters, digits and '_'"),
  });
  if (!table) return;
  const database = settings?.database ?? DEFAULT_DATABASE;
  const engine = await loadEngine();
  const session = await ctx.connection.session();
  const plan = await withCancellableProgress(`Listing the accounts and Regions of ${chosen.what}…`, {}, (_p, signal) =>
    engine.planTrailTable(session.connection.s3, chosen.loc, { table, database }, signal),
  );
  const header = [
    `-- Athena table for ${chosen.what}: ${plan.found}, listed from ${plan.listed}.`,
    `-- AWS's documented CloudTrail table with partition projection on the delivery day. Review or edit it,`,
    `-- then choose "${RUN_DDL}" in the notification (workgroup ${settings?.workgroup ?? 'primary'}, ${session.label}).`,
  ];
  const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: `${header.join('\n')}\n${plan.ddl};\n` });
  await vscode.window.showTextDocument(doc, { preview: false });
  const choice = await vscode.window.showInformationMessage(
    `Review the table ${database}.${table} for ${chosen.what} (${plan.found}), then run it on Athena.`,
    RUN_DDL,
    COPY_DDL,
  );
  if (choice === COPY_DDL) {
    await vscode.env.clipboard.writeText(statementOf(doc.getText()));
    vscode.window.setStatusBarMessage('Copied the CREATE TABLE statement', 6000);
    return;
  }
  if (choice !== RUN_DDL) return;
  const sql = statementOf(doc.getText());
  if (!/^CREATE\s+EXTERNAL\s+TABLE\b/i.test(sql)) {
    throw new TrailLensError('InvalidInput', 'The editor no longer holds a CREATE EXTERNAL TABLE statement: nothing was run.');
  }
  const out = await withCancellableProgress(`Creating ${database}.${table} on Athena`, {}, (progress, signal) =>
    engine.runAthenaQuery(
      session.connection.athena,
      sql,
      { database, workgroup: settings?.workgroup, outputLocation: settings?.outputLocation },
      { signal, onProgress: (p) => progress.report({ message: `${p.state} · ${(p.runMs / 1000).toFixed(1)} s` }) },
    ),
  );
  ctx.log.info(`Athena: created ${database}.${table} (query ${out.queryExecutionId}, ${out.state})`);
  await ctx.config.write('athena.table', table);
  await ctx.config.write('athena.database', database);
  void vscode.window.showInformationMessage(
    `Created ${database}.${table} on Athena. A request-ID jump that finds nothing in event history now offers to search it.`,
  );
}

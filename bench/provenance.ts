/**
 * Value provenance over the sample account's week (about 10,500 events): the forms of the story's
 * KMS key ID (ID, key ARN, alias, alias ARN) and every event holding one, classified, as "Find
 * events with this value" and the shape hint compute them on the extension host, as a ratio to one
 * pass that reads every record (JSON.stringify), measured in the same run.
 * Run: npm run bench -- provenance
 */
import { classify, holdersIn } from '../src/core/investigate/provenance';
import { formsAmong } from '../src/core/investigate/valueForms';
import { generateSampleAccount } from '../src/sample/account';

/** Provenance may cost this many times one pass that reads every record. */
const RATIO_LIMIT = 5;
const RUNS = 7;

const { records, story } = generateSampleAccount({ now: new Date('2024-08-08T07:49:00Z') });
const failed = records.find((r) => r.eventID === story.failedEventId);
if (!failed) throw new Error('the sample account has no failed CreateBackupVault');
const at = Date.parse(failed.eventTime);

function median(fn: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

let producer = '';
const ours = median(() => {
  const forms = formsAmong(records, story.keyId);
  producer = classify(holdersIn(records, forms, failed.eventID), at).produced[0]?.record.eventName ?? '';
});

// The peer, in the same run so machine load cancels out: reading every record once (JSON.stringify).
const peer = median(() => {
  let n = 0;
  for (const r of records) n += JSON.stringify(r).length;
  return n;
});
const ratio = ours / peer;

console.log(`${records.length.toLocaleString('en-US')} events; producer found: ${producer}`);
console.log(`provenance of the key ID: ${ours.toFixed(0)} ms (median of ${RUNS}); JSON.stringify of every record: ${peer.toFixed(0)} ms`);
console.log(`ratio ${ratio.toFixed(2)}× the peer (limit ${RATIO_LIMIT}×); per event ${((ours * 1000) / records.length).toFixed(1)} µs`);
if (producer !== 'CreateKey' || ratio > RATIO_LIMIT) {
  console.error(producer !== 'CreateKey' ? 'the producer was not the CreateKey' : `over the limit: ${ratio.toFixed(2)}×`);
  process.exit(1);
}

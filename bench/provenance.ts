/**
 * Value provenance over the sample account's week (about 10,500 events): the forms of the story's
 * KMS key ID (ID, key ARN, alias, alias ARN) and every event holding one, classified, as "Find
 * events with this value" and the shape hint compute them on the extension host, against a budget
 * (a click must answer well inside a second; the host must not stall).
 * Run: npm run bench -- provenance
 */
import { classify, holdersIn } from '../src/core/investigate/provenance';
import { formsAmong } from '../src/core/investigate/valueForms';
import { generateSampleAccount } from '../src/sample/account';

const BUDGET_MS = 300;
const RUNS = 7;

const { records, story } = generateSampleAccount({ now: new Date('2024-08-08T07:49:00Z') });
const failed = records.find((r) => r.eventID === story.failedEventId);
if (!failed) throw new Error('the sample account has no failed CreateBackupVault');
const at = Date.parse(failed.eventTime);

function median(fn: () => void): number {
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

console.log(`${records.length.toLocaleString('en-US')} events; producer found: ${producer}`);
console.log(
  `provenance of the key ID: ${ours.toFixed(0)} ms (median of ${RUNS}), budget ${BUDGET_MS} ms → ${(ours / BUDGET_MS).toFixed(2)}× the budget`,
);
console.log(`per event: ${((ours * 1000) / records.length).toFixed(1)} µs`);
if (producer !== 'CreateKey' || ours > BUDGET_MS) {
  console.error(producer !== 'CreateKey' ? 'the producer was not the CreateKey' : 'over budget');
  process.exit(1);
}

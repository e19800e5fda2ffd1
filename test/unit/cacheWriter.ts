/**
 * A second process writing the event cache, for the concurrent-writer test: opens the cache in
 * DIR and adds COUNT deterministic records (the same in every process) in pages of 50 through a feed.
 * Usage: node --import tsx test/unit/cacheWriter.ts DIR KEY COUNT NOW
 */
import { EventCache } from '../../src/core/cache';
import { cacheTestRecords } from './cacheRecords';

async function main(): Promise<void> {
  const [dir, key, count, now] = process.argv.slice(2);
  const records = cacheTestRecords(Number(count), Number(now));
  const cache = await EventCache.open(key, {
    dir,
    now: () => Number(now),
    logger: {
      trace() {},
      debug() {},
      info() {},
      warn: (m) => process.stderr.write(`${m}\n`),
      error: (m) => process.stderr.write(`${m}\n`),
    },
  });
  const feed = cache.feed({ start: new Date(Number(now) - 48 * 3600_000), end: new Date(Number(now)) });
  for (let i = 0; i < records.length; i += 50) await feed.add(records.slice(i, i + 50));
  await feed.complete();
  await cache.flush();
}

void main();

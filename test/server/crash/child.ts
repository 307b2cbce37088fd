/**
 * A meter in a process of its own, for the crash test: `charge` sends one charge (and hangs in it, as the test
 * arranges, until it is killed with SIGKILL), `replay` replays the outbox and prints how many entries are left.
 * Bundled with esbuild by the test; talks to Redis and to the stand-in over 127.0.0.1.
 */
import { createClient } from 'redis';
import { createCreditMeter } from '../../../src/server/meter.js';
import { redisOutbox } from '../../../src/server/redis-outbox.js';

const { AUTUMN_URL, AUTUMN_KEY, REDIS_URL, ORG, MODE } = process.env;

async function main(): Promise<void> {
  const redis = await createClient({ url: REDIS_URL! }).connect();
  const meter = createCreditMeter({
    secretKey: AUTUMN_KEY!,
    serverURL: AUTUMN_URL!,
    outbox: redisOutbox({ command: (args) => redis.sendCommand([...args]) }),
    // Long enough that the charge is still in flight when the test kills this process.
    timeoutMs: 60_000,
    replayAfterMs: 0,
    retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
  });
  if (MODE === 'charge') {
    console.log('charging');
    await meter.charge({ customerId: ORG!, id: 'msg_crash', usd: '0.002', properties: { thread_id: 't1' } });
    console.log('charged'); // never reached: the test kills the process first
  } else {
    const left = await meter.replayUnbilled();
    console.log(`left=${left}`);
  }
  await redis.quit();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 2;
});

/** A fresh convex-test backend with the app's schema and functions and both components registered. */
import agentTest from '@convex-dev/agent/test';
import autumnTest from '@useautumn/convex/test';
import { convexTest } from 'convex-test';
import { internal } from '../convex/_generated/api';
import schema from '../convex/schema';

const modules = import.meta.glob('../convex/**/*.*s');

export function newBackend() {
  const t = convexTest(schema, modules);
  agentTest.register(t, 'agent');
  autumnTest.register(t, 'autumn');
  return t;
}

export type Backend = ReturnType<typeof newBackend>;

/** Signs up an org with one member; returns the member's client (their identity) and the org's Autumn customer id. */
export async function signUp(t: Backend, name: string) {
  const subject = `user_${Math.random().toString(36).slice(2)}`;
  const tokenIdentifier = `https://auth.example|${subject}`;
  const customerId = await t.mutation(internal.orgs.create, { name, member: { tokenIdentifier, name: `${name} admin` } });
  return { customerId, as: t.withIdentity({ subject, tokenIdentifier, issuer: 'https://auth.example', name: `${name} admin` }) };
}

import { defineApp } from 'convex/server';
import agent from '@convex-dev/agent/convex.config';
import autumn from '@useautumn/convex/convex.config';

const app = defineApp();
app.use(agent);
app.use(autumn);
export default app;

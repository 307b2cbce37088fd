/**
 * Every test file: the Convex functions' environment points `@useautumn/convex` at the stand-in (AUTUMN_URL ends in
 * /v1, as autumn-js 0.x wants it), and the AI SDK resolves the app's model ids to the mocks.
 */
import { inject } from 'vitest';
import { installModels } from './models';

const autumn = inject('autumn');
process.env.AUTUMN_URL = `${autumn.url}/v1`;
process.env.AUTUMN_SECRET_KEY = autumn.secretKey;
delete process.env.EMBEDDING_MODEL;
installModels();

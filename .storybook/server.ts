/**
 * The server half of the kit, running in the story's browser: the real `autumn-js` SDK (with the stand-in's secret
 * key, fail-open off) whose requests to the stand-in's origin MSW answers, and the kit's credit meter on top. Only
 * for stories — a secret key never belongs in a real browser.
 */
import { Autumn } from 'autumn-js';
import { createCreditMeter, type CreditMeter } from '../src/server.js';
import { standIn } from './stand-in.js';

export const storyAutumn = new Autumn({ secretKey: standIn.secretKey, serverURL: standIn.origin, failOpen: false });

export const storyMeter: CreditMeter = createCreditMeter({ autumn: storyAutumn });

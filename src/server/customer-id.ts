import { InvalidCustomerError } from './errors.js';

/** Autumn refuses ids over 256 characters; ids leave room for the meter's suffixes. */
export const MAX_ID_LENGTH = 200;

/**
 * The customer id a call may carry: the org from server-side auth, in Autumn's own id alphabet. Internal: shared by
 * the meter and the billing controls, not exported by the entry.
 */
export function checkCustomerId(customerId: unknown, where: string): string {
  if (typeof customerId !== 'string' || customerId.trim() === '') {
    throw new InvalidCustomerError(`${where} needs the customerId of the org from your server-side auth`);
  }
  if (customerId.length > MAX_ID_LENGTH || !/^[a-zA-Z0-9_:-]+$/.test(customerId)) {
    throw new InvalidCustomerError(`"${customerId.slice(0, 40)}${customerId.length > 40 ? '…' : ''}" is not an Autumn customer id (letters, digits, _ : - and at most ${MAX_ID_LENGTH} characters)`);
  }
  return customerId;
}

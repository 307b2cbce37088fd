/** Display-side guards for numbers that arrive from props, JSON and servers. */

/**
 * A finite number >= 0 from a number or a numeric string (a gateway cost such as "0.0001545"), else null: NaN,
 * Infinity, negatives, empty strings, objects and undefined all become null, which the components show as "—".
 */
export function displayAmount(value: unknown): number | null {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(number) && number >= 0 ? (Object.is(number, -0) ? 0 : number) : null;
}

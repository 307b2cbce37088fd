/**
 * Autumn's `x-api-version` header, parsed as its server does (`parseVersion`): CalVer release dates, SemVer (partial
 * forms padded: "2.1" is 2.1.0), `beta`, and the legacy floats. Anything else is Autumn's 400 `invalid_api_version`.
 *
 * The stand-in's `/v1/<resource>.<op>` routes answer in the 2.1+ shapes (what autumn-js 1.x reads; it sends 2.4.0).
 * A known older version there is refused rather than answered in a shape it did not ask for: a documented
 * difference (docs/testing.md). No header means the latest, as for an org created today.
 */

/** Versions the server knows, newest first. */
const VERSIONS = ['2.4.0', '2.3.0', '2.2.0', '2.1.0', '2.0.0', 'beta', '1.2.0', '1.1.0', '0.2.0', '0.1.0'] as const;
export type ApiVersion = (typeof VERSIONS)[number];

export const LATEST_API_VERSION: ApiVersion = '2.4.0';

/** Release dates of each version (Autumn's registry). */
const CALVER: Readonly<Record<string, ApiVersion>> = {
  '2026-09-04': '2.4.0',
  '2026-05-13': '2.3.0',
  '2026-03-18': '2.2.0',
  '2026-03-17': '2.1.0',
  '2026-03-16': '2.0.0',
  '2025-05-05': '1.2.0',
  '2025-04-17': '1.1.0',
  '2025-04-01': '0.2.0',
  '2025-02-01': '0.1.0',
};

/** Legacy float headers. */
const LEGACY: Readonly<Record<string, ApiVersion>> = { '1': '0.2.0', '0.2': '0.2.0', '0.1': '0.1.0', '1.1': '1.1.0', '1.2': '1.2.0', '1.4': 'beta' };

/** The oldest version whose shapes the 1.x routes serve. */
const OLDEST_V1_ROUTES = ['2.4.0', '2.3.0', '2.2.0', '2.1.0'];

export type ParsedVersion = { ok: true; version: ApiVersion } | { ok: false; message: string };

export function apiVersionOf(header: string | null): ParsedVersion {
  const value = header?.trim() ?? '';
  if (value === '') return { ok: true, version: LATEST_API_VERSION };
  const calver = CALVER[value.replace(/\.clover$/, '')];
  if (calver) return { ok: true, version: calver };
  if (/^\d+(\.\d+){0,2}$/.test(value)) {
    const parts = value.split('.');
    while (parts.length < 3) parts.push('0');
    const semver = parts.join('.');
    if ((VERSIONS as readonly string[]).includes(semver)) return { ok: true, version: semver as ApiVersion };
    const legacy = LEGACY[String(Number.parseFloat(value))];
    if (legacy) return { ok: true, version: legacy };
  }
  if (value === 'beta') return { ok: true, version: 'beta' };
  return { ok: false, message: `"${value}" is not a valid API version` };
}

/** Whether the 0.x REST routes (`/v1/customers`, `/v1/attach` ...) can answer this version: the 1.2 shapes. */
export function servesLegacyRoutes(version: ApiVersion): boolean {
  return version === '1.2.0';
}

/** Whether the 1.x routes (`/v1/balances.check` ...) can answer this version in its own shapes. */
export function servesV1Routes(version: ApiVersion): boolean {
  return OLDEST_V1_ROUTES.includes(version);
}

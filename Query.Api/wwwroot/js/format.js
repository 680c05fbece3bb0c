// How numbers, times, hashes and amounts are shown. Times are UTC block timestamps (unix seconds).

const integer = new Intl.NumberFormat('en-US');
const WEI_PER_UNIT = 10n ** 18n;

export function count(value) {
  return value === null || value === undefined ? '—' : integer.format(value);
}

/** "2026-11-29 12:34:56 UTC" */
export function utc(seconds) {
  if (seconds === null || seconds === undefined) {
    return '—';
  }

  return `${isoUtc(seconds).slice(0, 19).replace('T', ' ')} UTC`;
}

export function isoUtc(seconds) {
  return new Date(seconds * 1000).toISOString();
}

/** An ISO date-time from the API (e.g. a heartbeat) as "2026-11-29 12:34:56 UTC". */
export function utcFromIso(text) {
  if (!text) {
    return '—';
  }

  const millis = Date.parse(text);
  return Number.isNaN(millis) ? String(text) : utc(Math.floor(millis / 1000));
}

/** 0x1234…abcd */
export function shortHex(hex, head = 6, tail = 4) {
  const text = String(hex);
  return text.length > head + tail + 1 ? `${text.slice(0, head)}…${text.slice(-tail)}` : text;
}

/** A wei amount (decimal string) in whole units of the chain's 18-decimal native token: "24.5". */
export function nativeAmount(wei) {
  let value;
  try {
    value = BigInt(wei);
  } catch {
    return String(wei);
  }

  const whole = value / WEI_PER_UNIT;
  const fraction = (value % WEI_PER_UNIT).toString().padStart(18, '0').slice(0, 6).replace(/0+$/, '');
  return fraction ? `${integer.format(whole)}.${fraction}` : integer.format(whole);
}

/** "4 s ago", "3 min ago", "2 h ago" */
export function ago(seconds) {
  if (seconds === null || seconds === undefined) {
    return '—';
  }

  if (seconds < 90) {
    return `${Math.max(0, Math.round(seconds))} s ago`;
  }

  if (seconds < 90 * 60) {
    return `${Math.round(seconds / 60)} min ago`;
  }

  return `${Math.round(seconds / 3600)} h ago`;
}

export function rate(eventsPerSecond) {
  return eventsPerSecond === null || eventsPerSecond === undefined ? '—' : `${integer.format(Math.round(eventsPerSecond))} events/s`;
}

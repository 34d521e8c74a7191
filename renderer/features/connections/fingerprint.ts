/**
 * Splits an AA:BB:… SHA-256 fingerprint into eight groups of four bytes, so two people can read it to each
 * other over the phone group by group. Each group keeps its colons, as openssl prints them.
 */
export function fingerprintGroups(sha256: string): string[] {
  const bytes = sha256.split(':');
  const groups: string[] = [];
  for (let i = 0; i < bytes.length; i += 4) groups.push(bytes.slice(i, i + 4).join(':'));
  return groups;
}

/** The command the operator runs on the SAP server to read the same fingerprint from its side. */
export const OPENSSL_FINGERPRINT_COMMAND = 'openssl x509 -in server.crt -noout -fingerprint -sha256';

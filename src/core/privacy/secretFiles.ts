/**
 * File names that usually hold credentials. Such files are never read, parsed or quoted in notes.
 * Matched against the base name, case-insensitively. `.env.example`-style templates are included on
 * purpose: they are often filled in with real values.
 */
const SECRET_NAME_PATTERNS: readonly RegExp[] = [
  /^\.env(\..*)?$/, // .env, .env.local, .env.production, .env.example
  /\.env$/, // prod.env
  /\.(pem|key|p12|pfx|keystore|jks|gpg|ppk|kdbx)$/, // keys, certificates bundles, keystores
  /^id_(rsa|dsa|ecdsa|ed25519)(\..*)?$/, // SSH keys (private and .pub)
  /^\.(npmrc|pypirc|netrc|pgpass|htpasswd|git-credentials)$/, // tool credential files
  // credentials, credentials.json, secrets.yaml, secret.json; not code such as `secret.ts`
  /^(credentials|secrets?)(\.(json|ya?ml|toml|ini|env|txt|xml|properties|conf|cfg))?$/,
  /^service[-_]?account.*\.json$/, // cloud service-account keys
];

/** True when a path's file name looks like a credentials/secret file (see SECRET_NAME_PATTERNS). */
export function isSecretPath(path: string): boolean {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1).toLowerCase();
  return SECRET_NAME_PATTERNS.some((re) => re.test(base));
}

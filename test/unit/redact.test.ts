import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactSecrets } from '../../src/core/privacy/redact';

// Secrets are assembled from parts so this file itself does not look like a leaked credential.
const j = (...p: string[]): string => p.join('');
const SECRETS: Record<string, { line: string; secret: string }> = {
  awsAccess: { line: `const id = ${j('AKIA', 'IOSFODNN7EXAMPLE')};`, secret: j('AKIA', 'IOSFODNN7EXAMPLE') },
  awsSecret: { line: `aws_secret_access_key = ${j('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCYEXAMPLEKEYAB')}`, secret: j('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCYEXAMPLEKEYAB') },
  ghp: { line: `token: ${j('ghp_', 'a'.repeat(20), 'B'.repeat(16))}`, secret: j('ghp_', 'a'.repeat(20), 'B'.repeat(16)) },
  gho: { line: `x(${j('gho_', 'Z9'.repeat(18))})`, secret: j('gho_', 'Z9'.repeat(18)) },
  githubPat: { line: `PAT ${j('github_pat_', '11ABCDEFG0123456789_abcdefghijklmnopqrstuv')}`, secret: j('github_pat_', '11ABCDEFG0123456789_abcdefghijklmnopqrstuv') },
  gitlab: { line: `gl = "${j('glpat-', 'xY12abCD34efGH56ijKL')}"`, secret: j('glpat-', 'xY12abCD34efGH56ijKL') },
  slack: { line: `hook ${j('xoxb-', '123456789012-abcdefghijkl')}`, secret: j('xoxb-', '123456789012-abcdefghijkl') },
  stripe: { line: `stripe(${j('sk_live_', '4eC39HqLyjWDarjtT1zdp7dc')})`, secret: j('sk_live_', '4eC39HqLyjWDarjtT1zdp7dc') },
  stripeRk: { line: `k=${j('rk_live_', '51H8abcdEFGH1234ijkl')}`, secret: j('rk_live_', '51H8abcdEFGH1234ijkl') },
  openai: { line: `new OpenAI({ apiKey: ${j('sk-proj-', 'Ab3dEf6hIj9lMn2pQr5tUv8x')} })`, secret: j('sk-proj-', 'Ab3dEf6hIj9lMn2pQr5tUv8x') },
  google: { line: `key=${j('AIza', 'SyA1234567890abcdefghijklmnopqrstuv')}`, secret: j('AIza', 'SyA1234567890abcdefghijklmnopqrstuv') },
  jwt: { line: `auth ${j('eyJhbGciOiJIUzI1NiJ9', '.eyJzdWIiOiIxMjM0NTY3ODkwIn0', '.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U')}`, secret: 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U' },
  pem: { line: `${j('-----BEGIN RSA ', 'PRIVATE KEY-----')}\nMIIEowIBAAKCAQEAsecretbody\n${j('-----END RSA ', 'PRIVATE KEY-----')}`, secret: 'MIIEowIBAAKCAQEAsecretbody' },
  password: { line: `const dbPassword = "hunter2-is-bad";`, secret: 'hunter2-is-bad' },
  secretYaml: { line: `  client_secret: s3cr3t-V4lue!x`, secret: 's3cr3t-V4lue!x' },
  jsonSecret: { line: `{"apiKey": "plainwordsecret"}`, secret: 'plainwordsecret' },
  conn: { line: `DATABASE_URL=postgres://admin:Sup3rPass@db.local:5432/app`, secret: 'Sup3rPass' },
  npmrc: { line: `//registry.npmjs.org/:_authToken=${j('abcd1234', '-ef56-7890')}`, secret: j('abcd1234', '-ef56-7890') },
  bearer: { line: `curl -H "Authorization: Bearer ${j('abcDEF123456', 'ghiJKL789xyz')}"`, secret: j('abcDEF123456', 'ghiJKL789xyz') },
};

for (const [name, { line, secret }] of Object.entries(SECRETS)) {
  test(`redacts ${name}`, () => {
    const r = redactSecrets(`before\n${line}\nafter`);
    assert.ok(!r.text.includes(secret), r.text);
    assert.ok(r.count >= 1);
    assert.match(r.text, /\[REDACTED:[a-z-]+\]/);
    assert.ok(r.text.startsWith('before\n') && r.text.endsWith('\nafter'));
  });
}

const NEAR_MISSES = [
  'const tokenizer = "o200k_base";',
  'password: string;',
  '  secret: string,',
  'const password = getPassword(user);',
  'const token = req.headers.authorization;',
  'api_key = os.environ["API_KEY"]',
  'DB_PASSWORD=${DB_PASSWORD}',
  'const task = "sk-learn is not a key";',
  'import { skipLibCheck } from "x"; const AKIAfoo = 1;',
  'url = "https://example.com:8080/path"',
  'postgres://localhost:5432/app',
  'headers.Authorization = `Bearer ${token}`;',
  'function secretPathFor(name: string): string { return name; }',
  'const authorName = "Ada Lovelace";',
  'password = "xxxx"',
  'method `Account.password=`, method `Account.valid_password?`',
  '`token=` sets the `token` and `secret=` the `secret`',
];

test('leaves ordinary code alone', () => {
  for (const line of NEAR_MISSES) {
    const r = redactSecrets(line);
    assert.equal(r.text, line, `changed: ${line}`);
    assert.equal(r.count, 0);
  }
});

test('counts every replacement and is idempotent', () => {
  const all = Object.values(SECRETS).map((s) => s.line).join('\n');
  const once = redactSecrets(all);
  assert.ok(once.count >= Object.keys(SECRETS).length);
  const twice = redactSecrets(once.text);
  assert.equal(twice.count, 0);
  assert.equal(twice.text, once.text);
});

test('keeps line numbers stable across a redacted key block', () => {
  const block = SECRETS.pem.line;
  const text = `a\n${block}\nz`;
  const r = redactSecrets(text);
  assert.equal(r.text.split('\n').length, text.split('\n').length);
  assert.equal(r.text.split('\n').at(-1), 'z');
});

/**
 * The literal prefilter is a necessary condition only: whenever the regex matches a subject, the
 * prefilter must pass it. Checked on translated patterns of every kind we generate, against
 * subjects built to contain (or nearly contain) their literals, in several cases and with
 * non-ASCII text around them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRequirement, lowerOf, passes, requirementOf } from './prefilter.js';
import { translatePcre2 } from './pcre2-translate.js';
import { patternBytes, toByteString } from './byte-string.js';
import type { Matcher } from './matcher.js';
import { compileOsMatch } from './os-match.js';
import { compileOsRegex } from './os-regex.js';
import { compilePcre2 } from './pcre2.js';

const PATTERNS = [
  'Failed password for',
  '^Accepted \\S+ for \\S+ from',
  'session opened|session closed',
  '^(?:Installed|Updated|Erased): ',
  'GET /[a-z]+\\.php\\?id=\\d+',
  'authentication failure;.*user=(\\S+)',
  '^kernel: \\[\\s*\\d+\\.\\d+\\] (?:usb|USB)',
  'reject(ed)?: (?:RCPT|MAIL) from',
  '(?i)denied \\(\\w+\\)',
  '^x$',
  'a{3}bc',
  '(?:foo|bar)baz(?:qux)?',
  'é[0-9]+ü',
];

const SUBJECTS = (lit: string): string[] => [
  lit,
  `prefix ${lit} suffix`,
  lit.toUpperCase(),
  `éü ${lit} ÿ`,
  lit.slice(1),
  lit.slice(0, -1),
  `${lit}${lit}`,
];

test('a subject the regex matches always passes the prefilter', () => {
  let checked = 0;
  let rejected = 0;
  for (const p of PATTERNS) {
    const t = translatePcre2(patternBytes(p));
    const re = new RegExp(t.source, t.flags);
    const pre = compileRequirement(requirementOf(t.source, t.flags));
    const seeds = [p.replace(/\\[sSdDwW][+*]?|[()?:|^$\\.*+[\]{}]/g, ' '), 'Accepted publickey for root from', 'GET /index.php?id=42', 'éé9ü', 'aaabc', 'barbaz', 'x'];
    for (const seed of seeds) {
      for (const subject of SUBJECTS(seed)) {
        const bytes = toByteString(subject);
        const matches = re.test(bytes);
        const ok = pre === undefined || passes(pre, lowerOf(bytes));
        checked++;
        if (!ok) rejected++;
        if (matches) assert.ok(ok, `prefilter of ${JSON.stringify(p)} rejected ${JSON.stringify(subject)}, which matches`);
      }
    }
  }
  // The prefilter must also be useful: it rejects some of the subjects that do not match.
  assert.ok(rejected > 0, `${checked} subjects checked, none rejected`);
});

test("a matcher's prefilter holds on the lower-cased text, for every language (rules check it before calling the matcher)", () => {
  // PCRE2 matchers run on UTF-8 bytes; rules check the prefilter on the text. Subjects with
  // characters whose lower case is ASCII (K KELVIN SIGN, İ) or several units long are the risk.
  const cases: Array<[(p: string) => Matcher, string[]]> = [
    [compilePcre2, ['Failed password for', 'kelvin \\d+', '^sshd: (?:accepted|failed)', 'user=(\\S+) from', 'é\\w+ok', 'istanbul']],
    [compileOsMatch, ['Failed password for', 'kelvin', '^sshd: accepted|^sshd: failed', 'istanbul$', 'éok']],
    [compileOsRegex, ['Failed password for \\S+', 'kelvin \\d+', '^sshd: \\w+', 'user=(\\S+) from']],
  ];
  const subjects = [
    'Failed password for root', 'FAILED PASSWORD FOR root', '\u212Aelvin 42', 'KELVIN 42', 'kelvin 42',
    'sshd: Accepted x', 'SSHD: failed', 'a user=bob from 1.2.3.4', 'éxyzok', 'ÉXYZOK', '\u0130stanbul', 'ISTANBUL', 'istanbul',
    'Failed password fo', 'kelvi 42',
  ];
  let checked = 0;
  for (const [compile, patterns] of cases) {
    for (const p of patterns) {
      const m = compile(p);
      const pre = m.prefilter?.();
      for (const s of subjects) {
        checked++;
        if (m.test(s)) assert.ok(pre === undefined || passes(pre, s.toLowerCase()), `${p} matches ${JSON.stringify(s)} but its prefilter rejects it`);
      }
    }
  }
  assert.ok(checked > 100);
});

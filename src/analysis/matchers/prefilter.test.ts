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

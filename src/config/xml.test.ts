import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyVariables, parseXml } from './xml.js';

test('several roots, comments with --, raw & and \\< kept as text, line numbers', () => {
  const roots = parseXml(
    `<?xml version="1.0"?>\n<!-- a -- comment -->\n<decoder name="a">\n  <regex>user=\\<(\\S+)\\> & more</regex>\n</decoder>\n<decoder name='b'><prematch>x</prematch></decoder>`,
    'd.xml',
  );
  assert.equal(roots.length, 2);
  assert.equal(roots[0].line, 3);
  assert.deepEqual(roots[0].attributes, [['name', 'a']]);
  assert.equal(roots[0].children[0].text, 'user=\\<(\\S+)\\> & more');
  assert.equal(roots[0].children[0].line, 4);
  assert.equal(roots[1].children[0].text, 'x');
});

test('self-closing and empty elements have empty text; entities are not decoded', () => {
  const [r] = parseXml('<rule id="1"><check_diff /><match>&lt;a</match><x></x></rule>', 'r.xml');
  assert.equal(r.children[0].name, 'check_diff');
  assert.equal(r.children[0].text, '');
  assert.equal(r.children[1].text, '&lt;a');
  assert.equal(r.children[2].text, '');
});

test('errors carry file and line', () => {
  assert.throws(() => parseXml('<a>\n<b>\n</a>', 'f.xml'), /f\.xml:3: closing tag <\/a> does not match <b>/);
  assert.throws(() => parseXml('<a>\n<b x=1></b></a>', 'f.xml'), /f\.xml:2: attribute 'x' of <b> must be quoted/);
  assert.throws(() => parseXml('<a>\n<b>', 'f.xml'), /f\.xml:2: element <b> is not closed/);
});

test('variables are substituted, unknown ones rejected', () => {
  const roots = applyVariables(
    parseXml('<var name="BAD_WORDS">core_dumped|failure</var>\n<group name="x"><rule id="1"><match>^$BAD_WORDS$</match><b>a$</b></rule></group>', 'v.xml'),
    'v.xml',
  );
  assert.equal(roots.length, 1);
  assert.equal(roots[0].children[0].children[0].text, '^core_dumped|failure$');
  assert.equal(roots[0].children[0].children[1].text, 'a$');
  assert.throws(
    () => applyVariables(parseXml('<var name="A">x</var><g><m>$NOPE</m></g>', 'v.xml'), 'v.xml'),
    /v\.xml:1: unknown variable \$NOPE/,
  );
});

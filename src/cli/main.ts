import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { checkConfigCommand } from './check-config.js';
import { localCommand } from './local.js';
import { logtestCommand } from './logtest.js';
import { testRulesCommand } from './test-rules.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command();
program
  .name('ospatrol')
  .description('Host-based intrusion detection that reads OSSEC/OSPatrol configurations, rules and decoders.')
  .version(pkg.version);

program
  .command('local')
  .description('run collection and analysis on this host in one process (foreground; Ctrl-C stops, SIGHUP reloads)')
  .option('-c, --config <file>', 'configuration file', 'etc/ospatrol.conf')
  .option('-D, --dir <dir>', 'state directory (alerts, databases, positions, diff state)', 'var')
  .option('--hostname <name>', 'name of this host in alerts (default: the short host name)')
  .action(localCommand);

program
  .command('check-config')
  .description('check a configuration with its rules and decoders, print every error, do not start')
  .option('-c, --config <file>', 'configuration file', 'etc/ospatrol.conf')
  .action(checkConfigCommand);

program
  .command('logtest')
  .description('read log lines on stdin and show pre-decoding, decoding and the rule that matches (as ossec-logtest)')
  .option('-c, --config <file>', 'configuration file', 'etc/ospatrol.conf')
  .option('-D, --dir <dir>', 'state directory for check_diff state (default: in memory)')
  .option('-q, --quiet', 'no start-up banner')
  .option('-a, --alerts', 'print the alerts.log text of each alert on stdout')
  .option('-v, --verbose', 'print every rule tried')
  .option('-U, --unit-test <rule:level:decoder>', 'exit 0 only when the last event ends in this rule, level and decoder')
  .option('--hostname <name>', 'name of this host (default: the short host name)')
  .action(logtestCommand);

program
  .command('test-rules')
  .description('run .ini rule test files (OSSEC ossec-testing format) and print "N passed, N failed"')
  .argument('<paths...>', '.ini files or folders holding them')
  .option('-c, --config <file>', 'configuration file', 'etc/ospatrol.conf')
  .option('--hostname <name>', 'name of this host (default: the short host name)')
  .action(testRulesCommand);

await program.parseAsync(process.argv);

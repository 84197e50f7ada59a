import { Command } from 'commander';
import { readFileSync } from 'node:fs';

/*
 * Each command's module is imported when the command runs: the database drivers, mail and the
 * runtime cost ~0.3 s to load, which logtest (run once per line by some users' scripts) never needs.
 */
const alertsCommand = lazy(() => import('./alerts.js'), 'alertsCommand');
const checkConfigCommand = lazy(() => import('./check-config.js'), 'checkConfigCommand');
const localCommand = lazy(() => import('./local.js'), 'localCommand');
const logtestCommand = lazy(() => import('./logtest.js'), 'logtestCommand');
const statusCommand = lazy(() => import('./status.js'), 'statusCommand');
const testRulesCommand = lazy(() => import('./test-rules.js'), 'testRulesCommand');

function lazy<M, K extends keyof M>(load: () => Promise<M>, name: K): (...args: unknown[]) => Promise<void> {
  return async (...args) => {
    await ((await load())[name] as (...a: unknown[]) => unknown)(...args);
  };
}

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
  .option('-t, --threads <n>', 'most analysis threads, this one included; the others start only under load and decode and run the stateless rule filters (default: the cores but one, at most 4)')
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
  .option('--location <name>', 'location of every event, e.g. a command alias (default: stdin)')
  .option('--record-separator <line>', 'read multi-line events: a line equal to <line> ends each event (e.g. ---)')
  .option('--full-command <alias>', "each event is the output of a full_command with this alias (as <prefix>: output: '<alias>':)")
  .option('-t, --threads <n>', 'with -a: analyse on n threads, this one included: the others decode and run the stateless rule filters (same alerts, in the same order)')
  .action(logtestCommand);

program
  .command('test-rules')
  .description('run .ini rule test files (OSSEC ossec-testing format) and print "N passed, N failed"')
  .argument('<paths...>', '.ini files or folders holding them')
  .option('-c, --config <file>', 'configuration file', 'etc/ospatrol.conf')
  .option('--hostname <name>', 'name of this host (default: the short host name)')
  .action(testRulesCommand);

program
  .command('alerts')
  .description('print stored alerts (the SQLite store under -D, or a <database_output>) as alerts.log shows them, oldest first')
  .option('-D, --dir <dir>', 'state directory', 'var')
  .option('--database <type>', "read the configuration's <database_output> of this type instead: postgresql, mysql or sqlite")
  .option('-c, --config <file>', 'configuration file (with --database)', 'etc/ospatrol.conf')
  .option('--level <n>', 'only alerts of at least this level')
  .option('--rule <id>', 'only alerts of this rule')
  .option('--agent <name>', 'only alerts of this agent (name or id)')
  .option('--since <time>', 'only alerts since: 10m, 2h, 1d, epoch seconds, or a date (2026-11-24 10:00)')
  .option('--limit <n>', 'at most this many (default: the last 100 without --since)')
  .option('-f, --follow', 'keep printing new alerts as they are stored')
  .option('--json', 'one alerts.json line per alert instead')
  .action(alertsCommand);

program
  .command('status')
  .description("show the alert journal and each output's cursor, lag and last error (exit 1 when an output is failing)")
  .option('-D, --dir <dir>', 'state directory', 'var')
  .option('--json', 'as JSON')
  .action(statusCommand);

await program.parseAsync(process.argv);

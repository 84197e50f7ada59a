/**
 * A deterministic, seeded log corpus for the benchmarks: a realistic mix of the sources a Linux
 * host sends (sshd, sudo, su, pam, cron, kernel, apache/nginx access and error, postfix, named,
 * dovecot, iptables, command output), written from our own templates so that OSSEC 4.3.0's
 * decoders and rules recognise them, plus a few hostile lines.
 *
 * The same (seed, events) always gives the same bytes. Lines are one event each, as both logtests
 * read them. Sources whose rules use very short time windows (telnetd 5603: 1 s; syslog 2509: 10 s)
 * are left out, so the alerts of a run do not depend on how fast it went: every other window of the
 * OSSEC ruleset is at least 30 s, longer than a run of the 1e5 corpus by either engine (the 1e6
 * comparison is reported with that caveat).
 *
 *   node bench/corpus.mjs --events 100000 --seed 1 --out /tmp/corpus.log [--no-hostile]
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** mulberry32: small, fast, good enough for test data. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const HOSTS = ['web01', 'web02', 'db01', 'mail', 'gw', 'build-3', 'ns1', 'backup'];
const USERS = ['root', 'admin', 'alice', 'bob', 'carol', 'deploy', 'postgres', 'www-data', 'oracle', 'test', 'guest', 'ubuntu'];
const PATHS = ['/', '/index.html', '/login.php', '/wp-login.php', '/api/v1/items', '/static/app.js', '/images/logo.png', '/favicon.ico', '/admin/', '/search?q=shoes', '/cart', '/robots.txt'];
const AGENTS = ['Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0', 'curl/7.88.1', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36', 'Googlebot/2.1 (+http://www.google.com/bot.html)', 'python-requests/2.31.0'];
const DOMAINS = ['example.com', 'example.org', 'mail.example.net', 'cdn.example.io', 'intranet.local'];

class Gen {
  constructor(seed) {
    this.r = prng(seed);
    // A fixed start time advancing ~20 ms a line: timestamps look real and never depend on the clock.
    this.t = Date.UTC(2025, 2, 3, 8, 0, 0);
  }
  int(n) { return Math.floor(this.r() * n); }
  pick(a) { return a[this.int(a.length)]; }
  chance(p) { return this.r() < p; }
  /** Attackers come from a small pool (so frequency rules see repeats); clients from a large one. */
  attacker() { return `203.0.113.${1 + this.int(12)}`; }
  client() { return `${10 + this.int(180)}.${this.int(256)}.${this.int(256)}.${1 + this.int(254)}`; }
  pid() { return 1000 + this.int(60000); }
  port() { return 1024 + this.int(64000); }
  tick() { this.t += this.int(40); }
  d() { return new Date(this.t); }
  syslogTime() {
    const d = this.d();
    const p = (n) => String(n).padStart(2, '0');
    return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  }
  sys(host, prog, msg) { return `${this.syslogTime()} ${host} ${prog}: ${msg}`; }
  apacheTime() {
    const d = this.d();
    const p = (n) => String(n).padStart(2, '0');
    return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
  }
  errTime() {
    const d = this.d();
    const p = (n) => String(n).padStart(2, '0');
    return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
  }
  nginxTime() {
    const d = this.d();
    const p = (n) => String(n).padStart(2, '0');
    return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  }
}

/** Each source: a weight (share of the mix) and a line maker. */
const SOURCES = [
  ['sshd', 14, (g) => {
    const h = g.pick(HOSTS), p = `sshd[${g.pid()}]`, ip = g.chance(0.6) ? g.attacker() : g.client(), u = g.pick(USERS);
    switch (g.int(10)) {
      case 0: return g.sys(h, p, `Failed password for ${u} from ${ip} port ${g.port()} ssh2`);
      case 1: return g.sys(h, p, `Failed password for invalid user ${u}x from ${ip} port ${g.port()} ssh2`);
      case 2: return g.sys(h, p, `Accepted publickey for ${u} from ${g.client()} port ${g.port()} ssh2: RSA SHA256:${'k'.repeat(8)}${g.int(1e6)}`);
      case 3: return g.sys(h, p, `Invalid user ${u}${g.int(99)} from ${ip} port ${g.port()}`);
      case 4: return g.sys(h, p, `Connection closed by ${ip} port ${g.port()} [preauth]`);
      case 5: return g.sys(h, p, `pam_unix(sshd:session): session opened for user ${u} by (uid=0)`);
      case 6: return g.sys(h, p, `Received disconnect from ${ip} port ${g.port()}:11: Bye Bye [preauth]`);
      case 7: return g.sys(h, p, `Did not receive identification string from ${ip} port ${g.port()}`);
      case 8: return g.sys(h, p, `reverse mapping checking getaddrinfo for host-${g.int(999)}.example.net [${ip}] failed - POSSIBLE BREAK-IN ATTEMPT!`);
      default: return g.sys(h, p, `Accepted password for ${u} from ${g.client()} port ${g.port()} ssh2`);
    }
  }],
  ['sudo', 5, (g) => {
    const h = g.pick(HOSTS), u = g.pick(USERS);
    switch (g.int(4)) {
      case 0: return g.sys(h, 'sudo', `${u} : 3 incorrect password attempts ; TTY=pts/${g.int(9)} ; PWD=/home/${u} ; USER=root ; COMMAND=/usr/bin/apt-get update`);
      case 1: return g.sys(h, 'sudo', `pam_unix(sudo:auth): authentication failure; logname=${u} uid=1000 euid=0 tty=/dev/pts/${g.int(9)} ruser=${u} rhost=  user=${u}`);
      default: return g.sys(h, 'sudo', `   ${u} : TTY=pts/${g.int(9)} ; PWD=/home/${u} ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx`);
    }
  }],
  ['su', 3, (g) => {
    const h = g.pick(HOSTS), u = g.pick(USERS), p = `su[${g.pid()}]`;
    switch (g.int(4)) {
      case 0: return g.sys(h, p, `pam_unix(su:session): session opened for user root by ${u}(uid=1000)`);
      case 1: return g.sys(h, p, `pam_unix(su:auth): authentication failure; logname=${u} uid=1000 euid=0 tty=pts/1 ruser=${u} rhost=  user=root`);
      case 2: return g.sys(h, 'su', `FAILED SU (to root) ${u} on /dev/pts/${g.int(9)}`);
      default: return g.sys(h, p, `pam_unix(su:session): session closed for user root`);
    }
  }],
  ['pam', 4, (g) => {
    const h = g.pick(HOSTS), u = g.pick(USERS);
    switch (g.int(4)) {
      case 0: return g.sys(h, `login[${g.pid()}]`, `pam_unix(login:auth): authentication failure; logname=LOGIN uid=0 euid=0 tty=tty1 ruser= rhost=  user=${u}`);
      case 1: return g.sys(h, `systemd-logind[${g.pid()}]`, `New session ${g.int(9999)} of user ${u}.`);
      case 2: return g.sys(h, `sshd[${g.pid()}]`, `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${g.attacker()}  user=${u}`);
      default: return g.sys(h, `sshd[${g.pid()}]`, `pam_unix(sshd:session): session closed for user ${u}`);
    }
  }],
  ['cron', 7, (g) => {
    const h = g.pick(HOSTS), p = `CRON[${g.pid()}]`;
    switch (g.int(3)) {
      case 0: return g.sys(h, p, `pam_unix(cron:session): session opened for user root by (uid=0)`);
      case 1: return g.sys(h, p, `pam_unix(cron:session): session closed for user root`);
      default: return g.sys(h, p, `(root) CMD (   cd / && run-parts --report /etc/cron.hourly)`);
    }
  }],
  ['kernel', 5, (g) => {
    const h = g.pick(HOSTS), ts = `[${g.int(999999)}.${String(g.int(999999)).padStart(6, '0')}]`;
    switch (g.int(6)) {
      case 0: return g.sys(h, 'kernel', `${ts} usb 1-${g.int(4)}: new high-speed USB device number ${g.int(20)} using xhci_hcd`);
      case 1: return g.sys(h, 'kernel', `${ts} Out of memory: Killed process ${g.pid()} (java) total-vm:8123456kB, anon-rss:4000000kB`);
      case 2: return g.sys(h, 'kernel', `${ts} device eth${g.int(2)} entered promiscuous mode`);
      case 3: return g.sys(h, 'kernel', `${ts} EXT4-fs (sda${1 + g.int(3)}): mounted filesystem with ordered data mode. Opts: (null)`);
      case 4: return g.sys(h, 'kernel', `${ts} TCP: request_sock_TCP: Possible SYN flooding on port ${g.pick([80, 443, 22])}. Sending cookies.`);
      default: return g.sys(h, 'kernel', `${ts} e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx`);
    }
  }],
  ['apache-access', 16, (g) => {
    const ip = g.chance(0.2) ? g.attacker() : g.client();
    let path = g.pick(PATHS), code = g.pick([200, 200, 200, 200, 304, 301, 404, 403, 500]);
    const k = g.int(20);
    if (k === 0) { path = `/index.php?id=1%27%20UNION%20SELECT%20password%20FROM%20users--`; code = 200; }
    else if (k === 1) { path = `/cgi-bin/../../../../etc/passwd`; code = 400; }
    else if (k === 2) { path = `/phpmyadmin/scripts/setup.php`; code = 404; }
    else if (k === 3) { path = `/search?q=%3Cscript%3Ealert(1)%3C/script%3E`; code = 200; }
    return `${ip} - ${g.chance(0.1) ? g.pick(USERS) : '-'} [${g.apacheTime()}] "${g.pick(['GET', 'GET', 'GET', 'POST', 'HEAD'])} ${path} HTTP/1.1" ${code} ${g.int(50000)} "${g.chance(0.5) ? '-' : 'https://' + g.pick(DOMAINS) + '/'}" "${g.pick(AGENTS)}"`;
  }],
  ['nginx-access', 8, (g) => {
    const ip = g.chance(0.2) ? g.attacker() : g.client();
    const code = g.pick([200, 200, 200, 404, 444, 502, 301]);
    return `${ip} - - [${g.apacheTime()}] "GET ${g.pick(PATHS)} HTTP/2.0" ${code} ${g.int(90000)} "-" "${g.pick(AGENTS)}"`;
  }],
  ['apache-error', 4, (g) => {
    const ip = g.chance(0.5) ? g.attacker() : g.client();
    switch (g.int(4)) {
      case 0: return `[${g.errTime()}] [error] [client ${ip}] File does not exist: /var/www/html${g.pick(PATHS).split('?')[0]}`;
      case 1: return `[${g.errTime()}] [error] [client ${ip}] client denied by server configuration: /var/www/html/admin/`;
      case 2: return `[${g.errTime()}] [error] [client ${ip}] user ${g.pick(USERS)}: authentication failure for "/private": Password Mismatch`;
      default: return `[${g.errTime()}] [notice] Apache/2.4.57 (Unix) configured -- resuming normal operations`;
    }
  }],
  ['nginx-error', 3, (g) => {
    const ip = g.chance(0.5) ? g.attacker() : g.client();
    switch (g.int(3)) {
      case 0: return `${g.nginxTime()} [error] ${g.pid()}#0: *${g.int(99999)} open() "/usr/share/nginx/html${g.pick(PATHS).split('?')[0]}" failed (2: No such file or directory), client: ${ip}, server: ${g.pick(DOMAINS)}, request: "GET / HTTP/1.1", host: "${g.pick(DOMAINS)}"`;
      case 1: return `${g.nginxTime()} [error] ${g.pid()}#0: *${g.int(99999)} access forbidden by rule, client: ${ip}, server: ${g.pick(DOMAINS)}, request: "GET /.git/config HTTP/1.1"`;
      default: return `${g.nginxTime()} [warn] ${g.pid()}#0: *${g.int(99999)} an upstream response is buffered to a temporary file, client: ${ip}, server: ${g.pick(DOMAINS)}`;
    }
  }],
  ['postfix', 8, (g) => {
    const h = 'mail', ip = g.chance(0.4) ? g.attacker() : g.client(), id = (g.int(0xfffffff) + 0x10000000).toString(16).toUpperCase();
    switch (g.int(7)) {
      case 0: return g.sys(h, `postfix/smtpd[${g.pid()}]`, `NOQUEUE: reject: RCPT from unknown[${ip}]: 554 5.7.1 Service unavailable; Client host [${ip}] blocked using zen.spamhaus.org; from=<x${g.int(999)}@spam.example> to=<${g.pick(USERS)}@example.com> proto=ESMTP helo=<spam.example>`);
      case 1: return g.sys(h, `postfix/smtpd[${g.pid()}]`, `connect from unknown[${ip}]`);
      case 2: return g.sys(h, `postfix/smtpd[${g.pid()}]`, `warning: unknown[${ip}]: SASL LOGIN authentication failed: authentication failure`);
      case 3: return g.sys(h, `postfix/qmgr[${g.pid()}]`, `${id}: from=<${g.pick(USERS)}@example.com>, size=${g.int(99999)}, nrcpt=1 (queue active)`);
      case 4: return g.sys(h, `postfix/smtp[${g.pid()}]`, `${id}: to=<${g.pick(USERS)}@${g.pick(DOMAINS)}>, relay=mx.${g.pick(DOMAINS)}[${g.client()}]:25, delay=0.5, delays=0.1/0/0.2/0.2, dsn=2.0.0, status=sent (250 2.0.0 OK)`);
      case 5: return g.sys(h, `postfix/smtpd[${g.pid()}]`, `lost connection after AUTH from unknown[${ip}]`);
      default: return g.sys(h, `postfix/smtpd[${g.pid()}]`, `disconnect from unknown[${ip}] ehlo=1 auth=0/1 quit=1 commands=2/3`);
    }
  }],
  ['named', 4, (g) => {
    const h = 'ns1', ip = g.client(), p = `named[${g.pid()}]`;
    switch (g.int(4)) {
      case 0: return g.sys(h, p, `client @0x7f${g.int(1e8).toString(16)} ${ip}#${g.port()} (${g.pick(DOMAINS)}): query (cache) '${g.pick(DOMAINS)}/A/IN' denied`);
      case 1: return g.sys(h, p, `lame server resolving '${g.pick(DOMAINS)}' (in '${g.pick(DOMAINS)}'?): ${ip}#53`);
      case 2: return g.sys(h, p, `client ${ip}#${g.port()}: zone transfer '${g.pick(DOMAINS)}/AXFR/IN' denied`);
      default: return g.sys(h, p, `unexpected RCODE (SERVFAIL) resolving '${g.pick(DOMAINS)}/AAAA/IN': ${ip}#53`);
    }
  }],
  ['dovecot', 4, (g) => {
    const h = 'mail', ip = g.chance(0.5) ? g.attacker() : g.client(), u = g.pick(USERS);
    switch (g.int(4)) {
      case 0: return g.sys(h, 'dovecot', `imap-login: Login: user=<${u}>, method=PLAIN, rip=${ip}, lip=192.0.2.10, mpid=${g.pid()}, TLS`);
      case 1: return g.sys(h, 'dovecot', `auth-worker(${g.pid()}): pam(${u},${ip}): pam_authenticate() failed: Authentication failure (password mismatch?)`);
      case 2: return g.sys(h, 'dovecot', `imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<${u}>, method=PLAIN, rip=${ip}, lip=192.0.2.10, TLS`);
      default: return g.sys(h, 'dovecot', `imap(${u}): Disconnected: Logged out in=${g.int(999)} out=${g.int(9999)}`);
    }
  }],
  ['iptables', 6, (g) => {
    const h = 'gw', src = g.chance(0.5) ? g.attacker() : g.client(), proto = g.pick(['TCP', 'UDP']);
    return g.sys(h, 'kernel', `[${g.int(999999)}.${g.int(999999)}] ${g.pick(['[UFW BLOCK]', 'DROP', 'REJECT'])} IN=eth0 OUT= MAC=00:16:3e:aa:bb:cc:00:16:3e:dd:ee:ff:08:00 SRC=${src} DST=192.0.2.1 LEN=60 TOS=0x00 PREC=0x00 TTL=${32 + g.int(200)} ID=${g.int(65535)} DF PROTO=${proto} SPT=${g.port()} DPT=${g.pick([22, 23, 25, 80, 443, 3389, 8080])} ${proto === 'TCP' ? 'WINDOW=29200 RES=0x00 SYN URGP=0' : 'LEN=40'}`);
  }],
  ['command', 4, (g) => {
    switch (g.int(5)) {
      case 0: return `ossec: output: 'df -P': /dev/sda${1 + g.int(3)}        ${g.int(99999999)}  ${g.int(9999999)}  ${g.int(9999999)}      ${g.pick([12, 45, 77, 99, 100])}% /${g.pick(['', 'var', 'home', 'srv'])}`;
      case 1: return `ossec: output: 'netstat -tan |grep LISTEN |egrep -v '(127.0.0.1| ::1)' | sort': tcp 0.0.0.0:22 0.0.0.0:* LISTEN tcp 0.0.0.0:${g.pick([80, 443, 8080, 31337])} 0.0.0.0:* LISTEN`;
      case 2: return `ossec: output: 'last -n 5': ${g.pick(USERS)} pts/${g.int(4)} ${g.client()} Mon Mar  3 08:${String(g.int(60)).padStart(2, '0')}   still logged in`;
      case 3: return `ossec: output: 'w': ${g.pick(USERS)} pts/${g.int(4)} ${g.client()} 08:${String(g.int(60)).padStart(2, '0')} 0.00s 0.01s 0.00s -bash`;
      default: return `ossec: output: 'uptime': 08:${String(g.int(60)).padStart(2, '0')}:01 up ${g.int(300)} days, load average: 0.${g.int(99)}, 0.20, 0.10`;
    }
  }],
  ['systemd', 5, (g) => {
    const h = g.pick(HOSTS);
    switch (g.int(3)) {
      case 0: return g.sys(h, 'systemd[1]', `Started Session ${g.int(9999)} of user ${g.pick(USERS)}.`);
      case 1: return g.sys(h, 'systemd[1]', `Starting Daily apt download activities...`);
      default: return g.sys(h, `ntpd[${g.pid()}]`, `synchronized to ${g.client()}, stratum 2`);
    }
  }],
];

const TOTAL_WEIGHT = SOURCES.reduce((n, s) => n + s[1], 0);

/**
 * Hostile lines (Buffers): what an attacker who can write a log line can send. `mb` sets the size
 * of the long ones (1 MiB by default).
 */
export function hostileLines(seed = 7, mb = 1) {
  const g = new Gen(seed);
  const size = Math.round(mb * 1024 * 1024);
  const words = [];
  let n = 0;
  while (n < size) {
    const w = g.pick(['lorem', 'ipsum', 'from', 'port', 'user', 'for', 'invalid', 'dolor', 'sit', '10.0.0.1', 'amet']);
    words.push(w);
    n += w.length + 1;
  }
  const long = words.join(' ').slice(0, size);
  const bin = Buffer.alloc(4096);
  for (let i = 0; i < bin.length; i++) {
    let b = g.int(256);
    if (b === 0x0a) b = 0x0b;
    bin[i] = b;
  }
  const out = [
    { name: '1 MB of words', line: Buffer.from(long) },
    { name: '1 MB sshd line', line: Buffer.from(`${g.syslogTime()} web01 sshd[123]: Failed password for ${'a'.repeat(size)} from 203.0.113.1 port 22 ssh2`) },
    { name: '1 MB of spaces after an sshd header', line: Buffer.from(`${g.syslogTime()} web01 sshd[123]: Invalid user ${' '.repeat(size)}x`) },
    { name: '1 MB apache request', line: Buffer.from(`203.0.113.5 - - [${g.apacheTime()}] "GET /${'%41'.repeat(Math.floor(size / 3))} HTTP/1.1" 404 0 "-" "-"`) },
    { name: '4 KB binary', line: bin },
    { name: 'NUL bytes in an sshd line', line: Buffer.from(`${g.syslogTime()} web01 sshd[123]: Failed password\0 for root\0\0 from 203.0.113.9 port 22 ssh2`) },
    { name: 'invalid UTF-8 in an sshd line', line: Buffer.concat([Buffer.from(`${g.syslogTime()} web01 sshd[123]: Invalid user `), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]), Buffer.from(' from 203.0.113.9 port 22')]) },
    { name: 'control characters', line: Buffer.from(`${g.syslogTime()} web01 su: FAILED SU (to root) \x01\x02\x1b[31mbob\x1b[0m\r on /dev/pts/1\x7f`) },
    // ReDoS bait: long runs that keep lazy/greedy loops of the shipped patterns busy.
    { name: 'ReDoS bait: 64 KB of "from from ..." after sshd', line: Buffer.from(`${g.syslogTime()} web01 sshd[123]: Failed password for invalid user ${'from '.repeat(13000)}port`) },
    { name: 'ReDoS bait: 64 KB of dots in a URL', line: Buffer.from(`203.0.113.5 - - [${g.apacheTime()}] "GET /${'../'.repeat(22000)}x HTTP/1.1" 400 0 "-" "${'a'.repeat(1000)}"`) },
    { name: 'ReDoS bait: 100 KB of "a=" pairs after postfix', line: Buffer.from(`${g.syslogTime()} mail postfix/smtpd[1]: NOQUEUE: reject: RCPT from unknown[${'a['.repeat(50000)}]: 554`) },
  ];
  return out;
}

/**
 * Writes `events` lines to `out`. Hostile lines, when asked for, are spread evenly through the
 * corpus (they count as events). Returns per-source counts.
 */
export async function writeCorpus({ events, seed = 1, out, hostile = true, hostileMb = 1 }) {
  const g = new Gen(seed);
  const ws = createWriteStream(out);
  const counts = {};
  const bad = hostile ? hostileLines(seed + 1, hostileMb) : [];
  const every = bad.length > 0 ? Math.floor(events / (bad.length + 1)) : Infinity;
  let chunk = '';
  let next = 0;
  for (let i = 0; i < events; i++) {
    if (bad.length > 0 && next < bad.length && i === (next + 1) * every) {
      if (chunk) { if (!ws.write(chunk)) await once(ws, 'drain'); chunk = ''; }
      if (!ws.write(Buffer.concat([bad[next].line, Buffer.from('\n')]))) await once(ws, 'drain');
      counts.hostile = (counts.hostile ?? 0) + 1;
      next++;
      continue;
    }
    g.tick();
    let w = g.r() * TOTAL_WEIGHT;
    let s = SOURCES[0];
    for (const src of SOURCES) {
      w -= src[1];
      if (w < 0) { s = src; break; }
    }
    counts[s[0]] = (counts[s[0]] ?? 0) + 1;
    chunk += s[2](g) + '\n';
    if (chunk.length > 1 << 16) {
      if (!ws.write(chunk)) await once(ws, 'drain');
      chunk = '';
    }
  }
  ws.end(chunk);
  await once(ws, 'finish');
  return counts;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name, def) => {
    const i = process.argv.indexOf(`--${name}`);
    return i < 0 ? def : process.argv[i + 1];
  };
  const counts = await writeCorpus({
    events: Number(arg('events', 100000)),
    seed: Number(arg('seed', 1)),
    out: arg('out', 'corpus.log'),
    hostile: !process.argv.includes('--no-hostile'),
  });
  console.log(JSON.stringify(counts));
}

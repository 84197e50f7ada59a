import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server on 127.0.0.1 (smtp-server 3.21.6, deps.md section 5) that parses what it
 * receives with mailparser. With `user`/`password` it requires AUTH with exactly those (over the
 * plain connection: a test server has no certificate). `down()` / `up()` stop and restart it on
 * the same port, for outage tests.
 */
export interface ReceivedMail {
  envelopeTo: string[];
  parsed: ParsedMail;
}

export interface SmtpReceiver {
  port: number;
  mails: ReceivedMail[];
  authFailures: number;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function smtpReceiver(opts: { user?: string; password?: string } = {}): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  let server: SMTPServer | undefined;
  const rx: SmtpReceiver = {
    port: 0,
    mails,
    authFailures: 0,
    async up() {
      const s = new SMTPServer({
        disabledCommands: opts.user ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
        authOptional: !opts.user,
        allowInsecureAuth: true,
        logger: false,
        onAuth(auth, _session, cb) {
          if (auth.username === opts.user && auth.password === opts.password) cb(null, { user: auth.username });
          else {
            rx.authFailures++;
            cb(new Error('Invalid username or password'));
          }
        },
        onData(stream, session, cb) {
          simpleParser(stream).then(
            (parsed) => {
              mails.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), parsed });
              cb();
            },
            (err: Error) => cb(err),
          );
        },
      });
      await new Promise<void>((resolve) => s.listen(rx.port, '127.0.0.1', () => resolve()));
      rx.port = (s.server.address() as AddressInfo).port;
      server = s;
    },
    async down() {
      const s = server;
      server = undefined;
      if (s) await new Promise<void>((r) => s.close(() => r()));
    },
    close() {
      return rx.down();
    },
  };
  await rx.up();
  return rx;
}

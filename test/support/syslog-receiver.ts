import { createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';

/**
 * Syslog receivers on 127.0.0.1 for tests: UDP (a message per datagram), TCP and TLS (RFC 6587
 * octet-counted frames, parsed strictly: a bad frame fails the test). `messages` collects every
 * message in arrival order.
 */
export interface SyslogReceiver {
  port: number;
  messages: string[];
  close(): Promise<void>;
}

export async function udpReceiver(): Promise<SyslogReceiver> {
  const sock = createSocket('udp4');
  const messages: string[] = [];
  sock.on('message', (m) => messages.push(m.toString('utf8')));
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  return {
    port: (sock.address() as AddressInfo).port,
    messages,
    close: () => new Promise((r) => sock.close(() => r())),
  };
}

export async function streamReceiver(kind: 'tcp' | 'tls', opts: { port?: number; cert?: TestCert } = {}): Promise<SyslogReceiver & { errors: string[] }> {
  const messages: string[] = [];
  const errors: string[] = [];
  const sockets = new Set<Socket>();
  const onConnection = (s: Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const sp = buf.indexOf(32);
        if (sp < 0) break;
        const lenText = buf.toString('ascii', 0, sp);
        if (!/^[1-9]\d*$/.test(lenText)) {
          errors.push(`bad frame length ${JSON.stringify(lenText)}`);
          s.destroy();
          return;
        }
        const len = Number(lenText);
        if (buf.length < sp + 1 + len) break;
        messages.push(buf.toString('utf8', sp + 1, sp + 1 + len));
        buf = buf.subarray(sp + 1 + len);
      }
    });
  };
  const server: Server = kind === 'tls' ? createTlsServer({ key: opts.cert!.key, cert: opts.cert!.cert }, onConnection) : createNetServer(onConnection);
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as AddressInfo).port,
    messages,
    errors,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

export interface TestCert {
  key: Buffer;
  cert: Buffer;
  /** The certificate's file, to pass as `tls_ca`. */
  certFile: string;
}

/**
 * A self-signed certificate for 127.0.0.1 / localhost (EC P-256, valid 2000-2100), fixed here so
 * the TLS test needs no tool and no clock assumptions; it protects nothing but this test.
 */
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgFmWI+U+6fjUFxUqT
1qliPLpRXLRLXT3Nennhls21lqehRANCAASQRwK/nWkkpEOW30nXt7VjYrFbq+Za
iR6fd8SQ63k2X3ITHvys0udp7+0ej4R7rbGJpoIzLOTGGHb5tdEH+jLo
-----END PRIVATE KEY-----
`;
const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBZzCCAQ2gAwIBAgIBATAKBggqhkjOPQQDAjAUMRIwEAYDVQQDDAlsb2NhbGhv
c3QwIBcNMDAwMTAxMDAwMDAwWhgPMjEwMDAxMDEwMDAwMDBaMBQxEjAQBgNVBAMM
CWxvY2FsaG9zdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABJBHAr+daSSkQ5bf
Sde3tWNisVur5lqJHp93xJDreTZfchMe/KzS52nv7R6PhHutsYmmgjMs5MYYdvm1
0Qf6MuijTjBMMBoGA1UdEQQTMBGHBH8AAAGCCWxvY2FsaG9zdDAPBgNVHRMBAf8E
BTADAQH/MB0GA1UdDgQWBBSZSZ9BcO5Cl+N987WgIjfzVedx7zAKBggqhkjOPQQD
AgNIADBFAiEA9YGQffJEtICwIrt6QWYE8jPvnR5ysgieLgs8xPjmR9sCIEni3sk4
udIbCDmsACmAEcb5HVOXiB3f//UjkFxrPiGP
-----END CERTIFICATE-----
`;

export function selfSignedCert(): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'osp-cert-'));
  const certFile = join(dir, 'cert.pem');
  writeFileSync(certFile, TEST_CERT);
  return { key: Buffer.from(TEST_KEY), cert: Buffer.from(TEST_CERT), certFile };
}

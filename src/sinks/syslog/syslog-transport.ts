import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import { octetFrame } from './rfc5424.js';

/**
 * Sends syslog messages (deps.md section 6: our own sender on node:dgram/net/tls).
 *
 * - udp: one datagram per message, as OSSEC's csyslogd. Best effort by nature: a datagram the
 *   network or receiver drops is lost without anyone knowing.
 * - tcp / tls: one connection kept open, messages framed by octet counting (RFC 6587 / 5425), so
 *   a message may hold line breaks. `send` resolves once the kernel took the bytes; a connection
 *   that fails fails the send, and the caller (the delivery loop) sends the batch again on a new
 *   connection, so messages are delivered at least once, up to what a dying receiver had already
 *   acknowledged at TCP level (syslog has no application acknowledgement).
 */
export interface SyslogTransportOptions {
  protocol: 'udp' | 'tcp' | 'tls';
  host: string;
  port: number;
  tlsVerify?: boolean;
  /** CA file for tls. */
  tlsCa?: string;
  connectTimeoutMs?: number;
}

export interface SyslogTransport {
  send(messages: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export function createSyslogTransport(opts: SyslogTransportOptions): SyslogTransport {
  return opts.protocol === 'udp' ? new UdpTransport(opts) : new StreamTransport(opts);
}

class UdpTransport implements SyslogTransport {
  private socket: UdpSocket | undefined;

  constructor(private readonly opts: SyslogTransportOptions) {}

  async send(messages: readonly string[]): Promise<void> {
    const socket = (this.socket ??= this.open());
    await Promise.all(
      messages.map(
        (m) =>
          new Promise<void>((resolve, reject) => {
            socket.send(Buffer.from(m, 'utf8'), this.opts.port, this.opts.host, (err) => (err ? reject(err) : resolve()));
          }),
      ),
    );
  }

  async close(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  private open(): UdpSocket {
    const s = createSocket(isIP(this.opts.host) === 6 ? 'udp6' : 'udp4');
    // An ICMP "port unreachable" shows up as an error event on some systems; the next send retries.
    s.on('error', () => {
      if (this.socket === s) this.socket = undefined;
      s.close();
    });
    s.unref();
    return s;
  }
}

class StreamTransport implements SyslogTransport {
  private socket: Socket | undefined;
  private failure: Error | undefined;

  constructor(private readonly opts: SyslogTransportOptions) {}

  async send(messages: readonly string[]): Promise<void> {
    const socket = await this.connected();
    const frames = Buffer.concat(messages.map(octetFrame));
    await new Promise<void>((resolve, reject) => {
      socket.write(frames, (err) => {
        const e = err ?? this.failure;
        if (e) {
          this.drop();
          reject(e);
        } else resolve();
      });
    });
  }

  async close(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    if (!s) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        s.destroy();
        resolve();
      }, 2000);
      s.end(() => {
        clearTimeout(t);
        s.destroy();
        resolve();
      });
    });
  }

  private drop(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private connected(): Promise<Socket> {
    if (this.socket && !this.failure && !this.socket.destroyed) return Promise.resolve(this.socket);
    this.drop();
    this.failure = undefined;
    const { host, port } = this.opts;
    return new Promise<Socket>((resolve, reject) => {
      const s: Socket =
        this.opts.protocol === 'tls'
          ? tlsConnect({
              host,
              port,
              servername: isIP(host) ? undefined : host,
              ca: this.opts.tlsCa ? readFileSync(this.opts.tlsCa) : undefined,
              rejectUnauthorized: this.opts.tlsVerify !== false,
            })
          : netConnect({ host, port });
      const timer = setTimeout(() => s.destroy(new Error(`connecting to ${host}:${port} timed out`)), this.opts.connectTimeoutMs ?? 10_000);
      const ready = this.opts.protocol === 'tls' ? 'secureConnect' : 'connect';
      s.once(ready, () => {
        clearTimeout(timer);
        s.setKeepAlive(true, 30_000);
        this.socket = s;
        resolve(s);
      });
      s.on('error', (err) => {
        clearTimeout(timer);
        this.failure = err;
        reject(err);
      });
      // The receiver closed (or went away): the next send reconnects.
      s.on('close', () => {
        this.failure ??= new Error('connection closed by the syslog server');
        if (this.socket === s) this.socket = undefined;
      });
      s.on('end', () => s.end());
    });
  }
}

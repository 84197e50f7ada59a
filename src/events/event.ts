/**
 * What a source emits and the engine consumes: the only thing that crosses the seam between
 * collection and analysis. It is plain data (serialisable), so the in-process queue of local mode
 * can later become a transport or a durable stream without the engine noticing.
 */
export interface Event {
  /** Where the text came from: a file path, a command alias, or a syslog sender's address. */
  location: string;
  /** The raw text, exactly as read (a full_command output keeps its newlines). */
  message: string;
  /** Receive time, epoch milliseconds. OSSEC uses receive time for everything (ossec-analysis.md 1.2.7). */
  receivedAt: number;
  /** Set for events relayed by an agent; absent for the local host. */
  agent?: AgentRef;
  /** What kind of producer made it: OSSEC's queue id, kept for syslog/localfile distinctions. */
  kind: EventKind;
}

export type EventKind = 'localfile' | 'command' | 'syslog' | 'internal';

export interface AgentRef {
  id: string;
  name: string;
  ip: string;
}

/** A sink of events: the engine in local mode, a transport or a stream later. */
export type EventHandler = (event: Event) => void;

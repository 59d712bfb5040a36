/**
 * What the simulated PBX remembers about the calls it played: call detail rows for `/v1/statistics/` and
 * `/v1/statistics/pbx/`, recordings, SMS sent through the API.
 */

/** A `/v1/statistics/pbx/` row (version 2 names, values as strings as seen in real answers, §4.4). */
export interface PbxStatRow {
  readonly call_id: string;
  readonly sip: string;
  readonly callstart: string;
  readonly clid: string;
  readonly destination: string;
  readonly disposition: string;
  readonly seconds: number;
  readonly is_recorded: boolean;
  readonly pbx_call_id: string;
  /** Instant of `callstart`, for date filters. */
  readonly at: number;
  /** Order in which calls were placed: breaks ties between calls started in the same millisecond. */
  readonly seq: number;
  readonly direction: 'in' | 'out';
}

/** A `/v1/statistics/` row (account-level CDR of the external leg, §4.4). */
export interface AccountStatRow {
  readonly id: string;
  readonly sip: string;
  readonly callstart: string;
  readonly from: string;
  readonly to: string;
  readonly description: string;
  readonly disposition: string;
  readonly billseconds: number;
  readonly cost: number;
  readonly billcost: number;
  readonly currency: string;
  readonly at: number;
  readonly seq: number;
}

export interface Recording {
  /** The recording id (`call_id_with_rec`, statistics `call_id`). */
  readonly callId: string;
  readonly pbxCallId: string;
  readonly seconds: number;
  readonly createdAt: number;
  /** Virtual instant the file is complete (NOTIFY_RECORD); before it the API does not offer it (§4.5). */
  readonly readyAt: number;
  /** Its extension had automatic speech recognition: SPEECH_RECOGNITION follows NOTIFY_RECORD. */
  readonly autoRecognition: boolean;
  deleted: boolean;
}

export interface SmsRecord {
  readonly id: number;
  readonly at: string;
  readonly numbers: string[];
  readonly message: string;
  readonly sender: string | null;
  readonly language: string | null;
  readonly parts: number;
  readonly cost: number;
}

export interface SimData {
  readonly pbxStats: PbxStatRow[];
  readonly accountStats: AccountStatRow[];
  readonly recordings: Map<string, Recording>;
  readonly sms: SmsRecord[];
  /** WebRTC keys handed out: key → extension/SIP and expiry instant. */
  readonly webrtcKeys: Map<string, { sip: string; expiresAt: number }>;
  /** Call ids for which a manual speech recognition was requested (PUT). */
  readonly recognitionRequested: Set<string>;
}

/** An empty call history. Why: each simulator starts with no calls, statistics or recordings. */
export function createData(): SimData {
  return {
    pbxStats: [],
    accountStats: [],
    recordings: new Map(),
    sms: [],
    webrtcKeys: new Map(),
    recognitionRequested: new Set(),
  };
}

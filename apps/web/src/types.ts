/** The shapes of the API answers the dashboard reads (see API.md). */
export type ReadinessStatus = 'ready' | 'on-track' | 'at-risk' | 'blocked';
export type TaskStatus = 'open' | 'blocked' | 'completed' | 'waived' | 'stale';

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Array<{ field: string; message: string }>;
}

export interface Principal {
  id: string;
  name: string;
  role: 'admin' | 'launch-manager' | 'department' | 'auditor';
  department?: string;
}

export interface Department {
  key: string;
  name: string;
}

export interface DepartmentReadiness {
  department: string;
  total: number;
  completed: number;
  waived: number;
  blocked: number;
  open: number;
  overdue: number;
  percent: number;
  status: ReadinessStatus;
}

export interface Readiness {
  launchId: string;
  asOf?: string;
  revision?: number;
  overall: { percent: number; status: ReadinessStatus };
  departments: DepartmentReadiness[];
}

export interface LaunchSummary {
  launchId: string;
  name: string;
  product: string;
  tier: number;
  targetDate: string;
  status: string;
  readiness: { percent: number; status: ReadinessStatus };
}

export interface Task {
  taskId: string;
  key?: string;
  title: string;
  department: string;
  kind: string;
  required: boolean;
  dueDate: string;
  status: TaskStatus;
  completedAt?: string;
  completedBy?: string;
  completedByName?: string;
  note?: string;
  evidenceUrl?: string;
  details?: Record<string, unknown>;
  blockedReason?: string;
  waivedReason?: string;
  invalidatedReason?: string;
}

export interface Launch {
  launchId: string;
  name: string;
  product: string;
  description?: string;
  tier: number;
  targetDate: string;
  status: string;
  revision: number;
  readiness: { percent: number; status: ReadinessStatus; departments: DepartmentReadiness[] };
  tasks: Task[];
}

export interface InboxItem {
  launchId: string;
  launchName: string;
  targetDate: string;
  taskId: string;
  title: string;
  kind: string;
  dueDate: string;
  status: TaskStatus;
}

export interface HistoryEvent {
  revision: number;
  position: number;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: { actor: { id: string; name: string; role: string; department?: string }; occurredAt: string; correlationId: string; causationId?: string };
  hash: string;
  prevHash: string;
  /** The event's leaf in the ledger's Merkle tree; null until a signed head covers it. */
  leafIndex?: number | null;
}

export interface Verification {
  launchId: string;
  valid: boolean;
  events: number;
  firstInvalidRevision?: number;
  firstUnauthenticatedRevision?: number;
}

export interface TierTemplate {
  tier: number;
  tasks: Array<{ kind: string; detailFields: string[] }>;
}

/** An alert a rule wants raised; AlertService gives it an id, a time and its audit row. */
export interface AlertDraft {
  agentId: string;
  severity: number;
  score: number;
  title: string;
  reasons: string[];
  eventIds: string[];
}

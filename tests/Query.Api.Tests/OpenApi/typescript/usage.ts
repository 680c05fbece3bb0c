// A small typed client over the types openapi-typescript generates from /openapi/v1.json (written beside
// this file as api.d.ts by TypeScriptClientTests). It must type-check with tsc --strict: a change of the
// document that breaks a frontend breaks this file first.
import type { components, paths } from "./api";

type Schemas = components["schemas"];
type WorkflowSummary = Schemas["WorkflowSummary"];
type WorkflowDetail = Schemas["WorkflowDetail"];
type ListQuery = NonNullable<paths["/workflows"]["get"]["parameters"]["query"]>;
type ListAnswer = paths["/workflows"]["get"]["responses"][200]["content"]["application/json"];
type DetailAnswer = paths["/workflows/{id}"]["get"]["responses"][200]["content"]["application/json"];
type StatsAnswer = paths["/stats"]["get"]["responses"][200]["content"]["application/json"];
type StatusAnswer = paths["/status"]["get"]["responses"][200]["content"]["application/json"];
type BadRequest = paths["/workflows"]["get"]["responses"][400]["content"]["application/problem+json"];
type NotFound = paths["/workflows/{id}"]["get"]["responses"][404]["content"]["application/problem+json"];

export class ObserverClient {
  constructor(private readonly baseUrl: string) {}

  async listWorkflows(query: ListQuery = {}): Promise<ListAnswer> {
    const search = new URLSearchParams();
    if (query.limit !== undefined) search.set("limit", String(query.limit));
    if (query.offset !== undefined) search.set("offset", String(query.offset));
    return this.get<ListAnswer>(`/workflows?${search}`);
  }

  async workflow(id: string): Promise<DetailAnswer | NotFound> {
    return this.get<DetailAnswer | NotFound>(`/workflows/${id}`);
  }

  stats(): Promise<StatsAnswer> {
    return this.get<StatsAnswer>("/stats");
  }

  status(): Promise<StatusAnswer> {
    return this.get<StatusAnswer>("/status");
  }

  private async get<T>(path: string): Promise<T> {
    const response = await fetch(this.baseUrl + path);
    return (await response.json()) as T;
  }
}

export function describeSummary(summary: WorkflowSummary): string {
  const status: "running" | "completed" | "failed" | "rejected" = summary.status;
  const started: number | null = summary.startedAt;
  const finished = summary.completedAt === null ? "still running" : `done at ${summary.completedAt}`;
  return `${summary.workflowId} (${status}) by ${summary.initiator ?? "unknown"} since ${started ?? "?"}: ${finished}`;
}

export function settledWei(detail: WorkflowDetail): bigint {
  const total = BigInt(detail.workflow.settledTotal);
  const phases: string[] = [detail.workflow.phase];
  const fromSettlements = detail.settlements.reduce((sum, settlement) => sum + BigInt(settlement.amount ?? "0"), 0n);
  const payments = detail.events.filter((event) => event.eventType === "PAYMENT_EXECUTED").length;
  const anomalies = detail.anomalies.map((anomaly) => `${anomaly.kind} at ${anomaly.blockNumber} after ${anomaly.phaseBefore ?? "nothing"}`);
  return phases.length + payments + anomalies.length >= 0 && total === fromSettlements ? total : fromSettlements;
}

export function payloadText(detail: WorkflowDetail): string[] {
  return detail.events.map((event) => {
    const payload = event.payload;
    if ("initiator" in payload) return `started by ${payload.initiator}`;
    if ("approved" in payload) return payload.approved ? `approved: ${payload.reason}` : `rejected: ${payload.reason}`;
    if ("amount" in payload) return `${payload.from} paid ${payload.to} ${BigInt(payload.amount)} wei`;
    if ("reason" in payload) return `failed: ${payload.reason}`;
    return "completed";
  });
}

export function isNotFound(answer: DetailAnswer | NotFound): answer is NotFound {
  return "status" in answer && answer.status === 404;
}

export function firstError(problem: BadRequest): string | undefined {
  return Object.values(problem.errors)[0]?.[0];
}

export function lagOf(status: StatusAnswer): string {
  const lag: number | null = status.lagBlocks;
  const proof = status.proofs === null ? "no proof yet" : `proof at ${status.proofs.coveredBlock}: ${status.proofs.eventLogHash}`;
  return `${lag ?? "?"} blocks behind, replay ${status.replay.state} ${status.replay.eventsDone}/${status.replay.eventsTotal}, circuit ${status.worker.rpcCircuit}, ${proof}`;
}

export function completedShare(stats: StatsAnswer): number {
  const terminal: number = stats.completed + stats.failed + stats.rejected;
  return stats.total === 0 ? 0 : terminal / stats.total;
}

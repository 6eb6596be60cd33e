/** The four servers measured side by side, and the four workloads each of them answers. */
export const VARIANTS = ['floor', 'hand-written', 'naive-graphql', 'gateway'] as const;
export type VariantName = (typeof VARIANTS)[number];

export const WORKLOADS = ['viewer-header', 'study-browser', 'metadata-detail', 'write-mix'] as const;
export type WorkloadName = (typeof WORKLOADS)[number];
export type ReadWorkloadName = Exclude<WorkloadName, 'write-mix'>;

export const WORKLOAD_LABELS: Record<WorkloadName, string> = {
  'viewer-header': '(a) viewer header',
  'study-browser': '(b) study browser',
  'metadata-detail': '(c) metadata detail',
  'write-mix': '(d) write mix',
};

/** How a variant is called: GraphQL over POST /graphql, or the REST routes of the hand-written server (and the floor). */
export type ApiStyle = 'graphql' | 'rest';

export function styleOf(variant: VariantName): ApiStyle {
  return variant === 'gateway' || variant === 'naive-graphql' ? 'graphql' : 'rest';
}

/** A request as the load generator sends it. */
export interface RequestTemplate {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

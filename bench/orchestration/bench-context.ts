import type { MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import type { BenchConfig } from '../config/bench-config';
import type { BenchFixture } from '../fixture/bench-fixture';
import type { BenchTenant } from '../fixture/bench-tenant';
import type { HilProcess } from '../hil/hil-process';
import type { LoadGenerator } from '../loadgen/loadgen-client';
import type { ReadTargets } from '../workloads/read-requests';
import type { ReadWorkloadName } from '../workloads/variants';

/** Everything a round needs, set up once per bench run. */
export interface BenchContext {
  config: BenchConfig;
  hil: HilProcess;
  setupClient: MedicalImagingClient;
  fixture: BenchFixture;
  tenant: BenchTenant;
  loadgen: LoadGenerator;
  readTargets: ReadTargets;
  floorBodiesFile: string;
  /** The hand-written server's answers, parsed: what every variant must answer (byte order aside). */
  references: Record<ReadWorkloadName, unknown>;
  /** Fixed bodies the floor answers, per REST route. */
  floorBodies: Record<string, string>;
  /** The run's temporary folder (the gateway's audit trail lives here, one file per round). */
  workDir: string;
  log: (line: string) => void;
}

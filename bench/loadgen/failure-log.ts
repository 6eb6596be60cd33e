/** Counts failed responses of one run and keeps the first few reasons for the report. */
export class FailureLog {
  count = 0;
  readonly samples: string[] = [];

  add(reason: string, times = 1): void {
    this.count += times;
    if (this.samples.length < 3) this.samples.push(reason.slice(0, 400));
  }
}

export function describeMismatch(status: number, body: string, expected: string): string {
  if (status !== 200) return `HTTP ${status}: ${body.slice(0, 200)}`;
  let index = 0;
  while (index < body.length && body[index] === expected[index]) index += 1;
  return `body differs at character ${index} (${body.length} vs ${expected.length} characters): ...${body.slice(Math.max(0, index - 40), index + 80)}`;
}

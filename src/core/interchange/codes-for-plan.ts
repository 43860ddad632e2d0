import type { IncomingCode } from '../../shared/refi-qda';

/** REFI-QDA codes as an import plans them: parents by name, descriptions kept. */
export function codesForPlan(
  codes: IncomingCode[],
): { name: string; color?: string; description?: string; parent?: string }[] {
  const names = new Map(codes.map((c) => [c.guid, c.name]));
  return codes.map((c) => ({
    name: c.name,
    ...(c.color ? { color: c.color } : {}),
    ...(c.description ? { description: c.description } : {}),
    ...(c.parent && names.has(c.parent) ? { parent: names.get(c.parent) } : {}),
  }));
}

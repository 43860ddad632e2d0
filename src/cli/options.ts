/** Commander's reducer for an option that may be given more than once. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Own-value check: `in` would also accept prototype names such as `toString`. */
export function isMember<TEnum extends Record<string, string>>(
  enumObject: TEnum,
  raw: string,
): raw is TEnum[keyof TEnum] {
  return Object.values<string>(enumObject).includes(raw);
}

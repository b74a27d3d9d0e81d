/** `--approved-by a,b` as a list of logins. */
export function splitLogins(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

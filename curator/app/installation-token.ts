/** The installation token of the client handling an event, for the one git command that needs it. */

interface Authenticating {
  auth: (options?: unknown) => Promise<unknown>;
}

/** Ask the event's Octokit for its installation access token (cached by Probot, so no extra request when fresh). */
export async function installationToken(octokit: unknown): Promise<string> {
  const auth = (await (octokit as Authenticating).auth({ type: 'installation' })) as { token?: unknown };
  if (typeof auth?.token !== 'string' || auth.token === '')
    throw new Error('the GitHub client has no installation token: is the app installed on this repository?');
  return auth.token;
}

/** Members of the trustee team (registry.yaml `trusteeTeam: org/team-slug`). */
import { InputError } from '../../core/errors.js';
import { githubError } from './api-error.js';
import type { GitHub } from './octokit.js';

/** Logins of the members of `org/team`; needs the app's `members: read` permission. */
export async function listTeamMembers(github: GitHub, team: string): Promise<string[]> {
  const slash = team.indexOf('/');
  if (slash <= 0 || slash === team.length - 1) {
    throw new InputError(`trusteeTeam must look like org/team-slug, got ${JSON.stringify(team)}`, {
      where: 'registry.yaml',
      hint: 'e.g. trusteeTeam: my-org/registry-trustees',
    });
  }
  const org = team.slice(0, slash);
  const team_slug = team.slice(slash + 1);
  try {
    const members = await github.paginate(github.rest.teams.listMembersInOrg, { org, team_slug, per_page: 100 });
    return members.map((m) => m.login).sort();
  } catch (error) {
    throw githubError(error, `listing the members of team ${team}`, {
      hint: 'give the app the "members: read" organization permission, or list trustees in registry.yaml instead of trusteeTeam',
    });
  }
}

/** Who is acting in a pull request: the author, approvers, and what registry.yaml makes them. GitHub logins compare case-insensitively. */
import { UsageError } from '../../core/errors.js';
import { isGitHubLogin } from '../../core/names.js';
import type { RegistryConfig } from '../../core/registry-config.js';
import type { PullRequestContext } from './types.js';

export interface Roles {
  /** Whether a pull request record says who acted; without one, role rules pass and ownership continuity applies. */
  known: boolean;
  /** The author's login as given, for messages. */
  authorLogin: string;
  author: string;
  approvers: Set<string>;
  trustees: Set<string>;
  /** The author is a trustee, or a trustee approved. */
  trusteeInvolved: boolean;
  /** The author may change files outside packages/ and overrides/. */
  authorIsMaintainer: boolean;
  /** The author or an approver is one of `owners`. */
  ownerInvolved(owners: readonly string[]): boolean;
}

const lower = (s: string) => s.toLowerCase();

/** Roles from the base registry.yaml (never the PR's own version of it) and the PR's context. */
export function rolesFor(config: RegistryConfig, pr: PullRequestContext | undefined): Roles {
  if (pr === undefined) {
    return {
      known: false,
      authorLogin: 'the author',
      author: '',
      approvers: new Set(),
      trustees: new Set(config.trustees.map(lower)),
      trusteeInvolved: true,
      authorIsMaintainer: true,
      ownerInvolved: () => true,
    };
  }
  const author = lower(pr.author);
  const approvers = new Set(pr.approvers.map(lower));
  const trustees = new Set([...config.trustees, ...(pr.extraTrustees ?? [])].map(lower));
  const maintainers = new Set(config.maintainers.map(lower));
  const trusteeInvolved = trustees.has(author) || pr.trusteeApproved || [...approvers].some((a) => trustees.has(a));
  return {
    known: true,
    authorLogin: pr.author,
    author,
    approvers,
    trustees,
    trusteeInvolved,
    authorIsMaintainer: maintainers.has(author) || trustees.has(author),
    ownerInvolved: (owners) => owners.some((o) => lower(o) === author || approvers.has(lower(o))),
  };
}

/** Refuse a flag value that is not a GitHub login (`--author`, `--approved-by`). */
export function checkLogins(logins: readonly string[]): void {
  for (const login of logins) {
    if (!isGitHubLogin(login))
      throw new UsageError(`${JSON.stringify(login.slice(0, 80))} is not a GitHub login`, {
        hint: 'logins are letters, digits and single hyphens',
      });
  }
}

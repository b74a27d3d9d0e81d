/** The GitHub workflows, CODEOWNERS and app manifest a new registry starts with (path → content). */

/** Actions pinned to full commit SHAs (a tag can be moved; a commit cannot). */
export const PINNED_ACTIONS = {
  checkout: { uses: 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1', tag: 'v7.0.1' },
  setupNode: { uses: 'actions/setup-node@820762786026740c76f36085b0efc47a31fe5020', tag: 'v7.0.0' },
} as const;

/**
 * What the workflows install the `granary` CLI from when `granary init` is not told (`--cli-source`):
 * a placeholder that makes the workflows fail with instructions, never a guess. An unpinned package
 * name would run whatever code that name points to next week, with the registry's write token.
 */
export const CLI_SOURCE_PLACEHOLDER = 'SET-ME: github:<owner>/granary#<full commit sha>';

/** A CLI source the workflows accept: a git source (GitHub, https, or a copy on the runner's disk) pinned to a full commit SHA. */
export const PINNED_CLI_SOURCE =
  /^(github:[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+|git\+https:\/\/[A-Za-z0-9._~%/:@+-]+|git\+file:\/\/\/[A-Za-z0-9._~%/:@+-]+)#[0-9a-f]{40}$/;

/** Node.js the workflows use. */
export const WORKFLOW_NODE_VERSION = '22';

export interface GitHubFilesOptions {
  name: string;
  /** owner/repo of the registry on GitHub. */
  github?: string;
  /** Where the workflows install the CLI from: a git source pinned to a commit (see PINNED_CLI_SOURCE). */
  cliSource?: string;
}

/** The files, keyed by repository path. */
export function githubFiles(options: GitHubFilesOptions): Record<string, string> {
  return {
    '.github/workflows/validate.yml': validateWorkflow(options.cliSource),
    '.github/workflows/curate.yml': curateWorkflow(options.cliSource),
    '.github/workflows/automerge.yml': automergeWorkflow(options.cliSource),
    '.github/CODEOWNERS': codeOwners(options),
    'app.yml': appManifest({
      name: `${options.name}-curator`,
      description: `Checks pull requests to the ${options.name} registry and publishes what merges.`,
    }),
  };
}

const checkoutStep = (extra: string[]) =>
  [
    `      - uses: ${PINNED_ACTIONS.checkout.uses} # ${PINNED_ACTIONS.checkout.tag}`,
    '        with:',
    ...extra,
    '          fetch-depth: 0',
    '          persist-credentials: false',
  ].join('\n');

/** Installs the pinned CLI outside the checkout and puts it on PATH; refuses anything not pinned to a commit. */
const installCliStep = () =>
  [
    '      - name: Install the pinned granary CLI',
    '        run: |',
    `          if ! printf '%s' "$GRANARY_CLI" | grep -Eq '${PINNED_CLI_SOURCE.source.replace(/\\\//g, '/')}'; then`,
    '            echo "::error::GRANARY_CLI must be a git source of the granary CLI pinned to a full commit SHA, e.g. github:your-org/granary#<40-hex sha>. Set it in env: at the top of this workflow."',
    '            exit 1',
    '          fi',
    '          npm install --prefix "$RUNNER_TEMP/granary" --no-save --no-audit --no-fund "$GRANARY_CLI"',
    '          echo "$RUNNER_TEMP/granary/node_modules/.bin" >> "$GITHUB_PATH"',
  ].join('\n');

const setupNodeStep = () =>
  [
    `      - uses: ${PINNED_ACTIONS.setupNode.uses} # ${PINNED_ACTIONS.setupNode.tag}`,
    '        with:',
    `          node-version: '${WORKFLOW_NODE_VERSION}'`,
  ].join('\n');

/**
 * Pull requests and merge queues: no secrets, read-only token, never `pull_request_target` (which would run
 * with write access and secrets). A merge queue group is judged as its pull request on top of the queue's base.
 */
export function validateWorkflow(cliSource = CLI_SOURCE_PLACEHOLDER): string {
  return `# Checks every pull request with the same rules as the curator app, with no secrets and a read-only token.
# Trustee-only operations pass once a trustee approves: the review re-runs this workflow.
# In a merge queue, each group is checked again: the pull request's change on top of the queue's base.
name: validate

on:
  pull_request:
  pull_request_review:
    types: [submitted, dismissed]
  merge_group:

permissions:
  contents: read
  pull-requests: read

env:
  # The granary CLI, pinned to a commit: upgrading is a reviewed change to this line.
  GRANARY_CLI: '${cliSource}'
  # Keep in step with indexBranch in registry.yaml.
  INDEX_BRANCH: index

jobs:
  validate:
    # The check's name: the one branch protection requires, granary doctor looks for and automerge waits on.
    name: granary/validate
    runs-on: ubuntu-latest
    timeout-minutes: 20
    steps:
${checkoutStep(['          ref: ${{ github.event.pull_request.head.sha || github.event.merge_group.head_sha }}'])}
${setupNodeStep()}
${installCliStep()}
      - name: Local index branch
        run: |
          # What the index published: a definition the curator refused may be edited and merged again.
          if git rev-parse -q --verify "refs/remotes/origin/$INDEX_BRANCH" > /dev/null; then
            git branch -f "$INDEX_BRANCH" "origin/$INDEX_BRANCH"
          fi
      - name: The pull request
        id: pr
        env:
          GH_TOKEN: \${{ github.token }}
          REPO: \${{ github.repository }}
          PR_NUMBER: \${{ github.event.pull_request.number }}
          PR_AUTHOR: \${{ github.event.pull_request.user.login }}
          PR_HEAD: \${{ github.event.pull_request.head.sha }}
          BASE_REF: \${{ github.event.pull_request.base.ref }}
          QUEUE_REF: \${{ github.event.merge_group.head_ref }}
          QUEUE_BASE: \${{ github.event.merge_group.base_sha }}
        run: |
          if [ -n "$QUEUE_REF" ]; then
            # gh-readonly-queue/<base>/pr-<number>-<sha>: the queue names the pull request it tests.
            number=$(printf '%s' "$QUEUE_REF" | sed -nE 's#^refs/heads/gh-readonly-queue/.+/pr-([0-9]+)-[0-9a-f]{40}$#\\1#p')
            if [ -z "$number" ]; then echo "::error::merge group $QUEUE_REF names no pull request"; exit 1; fi
            pr=$(gh api "repos/$REPO/pulls/$number" --jq '[.user.login, .head.sha] | @tsv')
            author=$(printf '%s' "$pr" | cut -f1)
            head=$(printf '%s' "$pr" | cut -f2)
            base="$QUEUE_BASE"
          else
            number="$PR_NUMBER"; author="$PR_AUTHOR"; head="$PR_HEAD"; base="origin/$BASE_REF"
          fi
          { echo "number=$number"; echo "author=$author"; echo "head=$head"; echo "base=$base"; } >> "$GITHUB_OUTPUT"
      - name: Approving reviews of this commit
        id: reviews
        env:
          GH_TOKEN: \${{ github.token }}
          REPO: \${{ github.repository }}
          PR_NUMBER: \${{ steps.pr.outputs.number }}
          HEAD_SHA: \${{ steps.pr.outputs.head }}
        run: |
          # The latest deciding review per reviewer counts, and only when it approves the pull request's head.
          approvers=$(gh api --paginate "repos/$REPO/pulls/$PR_NUMBER/reviews" \\
            --jq '.[] | select(.state == "APPROVED" or .state == "CHANGES_REQUESTED" or .state == "DISMISSED") | [.user.login, .state, .commit_id] | @tsv' \\
            | awk -F '\\t' -v head="$HEAD_SHA" '{ state[$1] = $2; commit[$1] = $3 } END { for (u in state) if (state[u] == "APPROVED" && commit[u] == head) printf "%s%s", (n++ ? "," : ""), u }')
          echo "approvers=$approvers" >> "$GITHUB_OUTPUT"
      - name: granary validate
        env:
          BASE: \${{ steps.pr.outputs.base }}
          PR_AUTHOR: \${{ steps.pr.outputs.author }}
          APPROVERS: \${{ steps.reviews.outputs.approvers }}
        run: |
          granary validate --base "$BASE" --head HEAD --author "$PR_AUTHOR" \${APPROVERS:+--approved-by "$APPROVERS"}
      - name: The registry's own tests, when code changed
        env:
          BASE: \${{ steps.pr.outputs.base }}
        run: |
          if git diff --name-only "$BASE...HEAD" | grep -qvE '^(packages|overrides)/'; then
            if [ -f package.json ]; then npm ci && npm test; else echo "no package.json: nothing to test"; fi
          else
            echo "only packages/ and overrides/ changed"
          fi
`;
}

/**
 * Pushes to main: publish, then move the index branch forward; then count downloads and rebuild the website
 * beside the index, and push again. One run at a time, never cancelled halfway.
 */
export function curateWorkflow(cliSource = CLI_SOURCE_PLACEHOLDER): string {
  return `# Publishes what merged on main: builds tarballs, uploads them to releases, commits and pushes the signed index;
# then the daily download counts and the website, beside the index on its branch (GitHub Pages serves both).
name: curate

on:
  push:
    branches: [main]
  workflow_dispatch:
  # Curates whatever main is ahead of the index, should a run have been missed or failed, and keeps the
  # index's timestamp signed (clients refuse one more than a day old).
  schedule:
    - cron: '23 * * * *'

permissions:
  contents: write
  # The merge-time gate reads who opened and approved each merged pull request.
  pull-requests: read

concurrency:
  group: granary-curate
  cancel-in-progress: false

env:
  # The granary CLI, pinned to a commit: upgrading is a reviewed change to this line.
  GRANARY_CLI: '${cliSource}'
  # Keep in step with indexBranch in registry.yaml.
  INDEX_BRANCH: index

jobs:
  curate:
    runs-on: ubuntu-latest
    timeout-minutes: 60
    steps:
${checkoutStep([])}
${setupNodeStep()}
${installCliStep()}
      - name: Local index branch
        run: |
          if git rev-parse -q --verify "refs/remotes/origin/$INDEX_BRANCH" > /dev/null; then
            git branch -f "$INDEX_BRANCH" "origin/$INDEX_BRANCH"
          fi
      - name: granary curate
        env:
          MAIN_BRANCH: \${{ github.event.repository.default_branch }}
          GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}
          GRANARY_SIGNING_KEY: \${{ secrets.GRANARY_SIGNING_KEY }}
        run: |
          # A scheduled run's event names no repository: the registry's main branch is then main.
          MAIN_BRANCH="\${MAIN_BRANCH:-main}"
          git rev-parse -q --verify "refs/heads/$MAIN_BRANCH" > /dev/null || git branch "$MAIN_BRANCH" "origin/$MAIN_BRANCH"
          granary curate --main-branch "$MAIN_BRANCH" --store "github:$GITHUB_REPOSITORY" --github "$GITHUB_REPOSITORY" --index-branch "$INDEX_BRANCH"
      - name: granary index refresh
        env:
          GRANARY_SIGNING_KEY: \${{ secrets.GRANARY_SIGNING_KEY }}
        run: |
          # The timestamp is valid for a day: re-sign it once half of that is gone (this workflow runs hourly).
          if git rev-parse -q --verify "refs/heads/$INDEX_BRANCH" > /dev/null; then
            granary index refresh --index-branch "$INDEX_BRANCH"
          fi
${pushIndexStep('Push the index branch (fast-forward only)')}
      # The download counts and the website go beside the index, after it is pushed: a failure here fails the
      # job without holding back what was published.
      - name: granary stats collect
        env:
          GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}
        run: |
          # Once a UTC day (the command skips a day already counted): each tarball's download count in the releases.
          if git rev-parse -q --verify "refs/heads/$INDEX_BRANCH" > /dev/null; then
            granary stats collect --store "github:$GITHUB_REPOSITORY" --index-branch "$INDEX_BRANCH"
          fi
      - name: granary site publish
        run: |
          # The website under site/ of the index branch, which GitHub Pages serves: https://OWNER.github.io/REPO/site/.
          # Rebuilt only when the index or the download counts changed.
          if git rev-parse -q --verify "refs/heads/$INDEX_BRANCH" > /dev/null; then
            granary site publish --index-branch "$INDEX_BRANCH" --base-path "/\${GITHUB_REPOSITORY#*/}/site/" --cache "$RUNNER_TEMP/granary-cache"
          fi
${pushIndexStep('Push the download counts and the website (fast-forward only)')}
`;
}

/** Push the local index branch to origin with the workflow token, never forced: a branch that moved meanwhile is refused. */
const pushIndexStep = (name: string) =>
  [
    `      - name: ${name}`,
    '        env:',
    '          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}',
    '        run: |',
    '          if ! git rev-parse -q --verify "refs/heads/$INDEX_BRANCH" > /dev/null; then echo "no index yet"; exit 0; fi',
    `          header="AUTHORIZATION: basic $(printf 'x-access-token:%s' "$GITHUB_TOKEN" | base64 -w0)"`,
    '          echo "::add-mask::$header"',
    '          git -c "http.$GITHUB_SERVER_URL/.extraheader=$header" push origin "refs/heads/$INDEX_BRANCH:refs/heads/$INDEX_BRANCH"',
  ].join('\n');

/**
 * Every 15 minutes: `granary automerge`, when registry.yaml turns it on, then curate.yml for what merged.
 * A merge made with GITHUB_TOKEN starts no `push` workflow (only `workflow_dispatch` and
 * `repository_dispatch` are exempt), so curate.yml is started by name. No checkout: it all goes through the API.
 */
export function automergeWorkflow(cliSource = CLI_SOURCE_PLACEHOLDER): string {
  return `# Merges the pull requests whose objection window is over (registry.yaml automerge), then starts curate.yml.
# Does nothing unless registry.yaml says automerge: { enabled: true }.
name: automerge

on:
  schedule:
    - cron: '7,22,37,52 * * * *'
  workflow_dispatch:

permissions:
  # Merge pull requests.
  contents: write
  pull-requests: write
  # Read the granary/validate check runs and the comments that may hold a merge.
  checks: read
  issues: read
  # Start curate.yml after a merge.
  actions: write

concurrency:
  group: granary-automerge
  cancel-in-progress: false

env:
  # The granary CLI, pinned to a commit: upgrading is a reviewed change to this line.
  GRANARY_CLI: '${cliSource}'

jobs:
  automerge:
    runs-on: ubuntu-latest
    timeout-minutes: 15
    # No checkout: registry.yaml and the pull requests are read through the API.
    steps:
${setupNodeStep()}
${installCliStep()}
      - name: granary automerge
        id: automerge
        env:
          GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}
        run: |
          granary automerge --github "$GITHUB_REPOSITORY" --if-enabled --json | tee "$RUNNER_TEMP/automerge.json"
          merged=$(jq '[.decisions[] | select(.outcome == "merged")] | length' "$RUNNER_TEMP/automerge.json")
          echo "merged=$merged" >> "$GITHUB_OUTPUT"
      - name: Start curate.yml for what merged
        env:
          GH_TOKEN: \${{ secrets.GITHUB_TOKEN }}
          MERGED: \${{ steps.automerge.outputs.merged }}
          MAIN_BRANCH: \${{ github.event.repository.default_branch }}
        run: |
          # A merge made with GITHUB_TOKEN starts no push workflow; a workflow_dispatch made with it does.
          # A scheduled run's event names no repository: the registry's main branch is then main.
          if [ "$MERGED" -gt 0 ]; then
            gh workflow run curate.yml --repo "$GITHUB_REPOSITORY" --ref "\${MAIN_BRANCH:-main}"
          else
            echo "nothing merged"
          fi
`;
}

function codeOwners(options: GitHubFilesOptions): string {
  const owner = options.github?.split('/')[0];
  const who = owner ? `@${owner}` : '@OWNER';
  const lines = [
    '# Who must review changes to the registry itself (enable "Require review from Code Owners" on main).',
    '# Package definitions need no code owner: the granary/validate check enforces package ownership.',
    '# Replace the owner with your trustee team, e.g. @my-org/registry-trustees.',
  ];
  const rules = [
    `/registry.yaml ${who}`,
    `/overrides/ ${who}`,
    `/trust/ ${who}`,
    `/.github/ ${who}`,
    `/app.yml ${who}`,
  ];
  return `${[...lines, ...(owner ? rules : rules.map((r) => `# ${r}`))].join('\n')}\n`;
}

/** A GitHub App manifest (Probot's app.yml): exactly the events and permissions the curator uses. */
export function appManifest(options: { name: string; description: string; url?: string }): string {
  return `# GitHub App manifest for the curator. Each permission is explained in the operator guide ("Permissions").
name: ${options.name}
description: ${options.description}
url: ${options.url ?? 'https://github.com'}
public: false

# Where GitHub delivers the events above: the server's public HTTPS URL and WEBHOOK_PATH (default
# /api/github/webhooks). GitHub's manifest flow registers the webhook from this; put your host here first.
hook_attributes:
  url: https://curator.example.com/api/github/webhooks
  active: true

default_events:
  - check_run
  - check_suite
  - merge_group
  - pull_request
  - pull_request_review
  - push

default_permissions:
  # Report the granary/validate and granary/curate check runs.
  checks: write
  # Read registry files, upload release assets, push the index branch.
  contents: write
  # Comment on pull requests (first-time authors, curation results).
  pull_requests: write
  # Always granted to apps; listed for clarity.
  metadata: read
  # Only if registry.yaml names a trusteeTeam: read its members.
  # members: read
`;
}

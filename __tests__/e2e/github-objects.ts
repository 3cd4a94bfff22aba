/**
 * Builders of the objects GitHub's REST API returns, typed from `@octokit/openapi-types` so that every
 * required field is present (the fake's tests also validate them against the OpenAPI response schemas).
 */
import { createHash } from 'node:crypto';
import type { components } from '@octokit/openapi-types';

type Schemas = components['schemas'];
export type SimpleUser = Schemas['simple-user'];
export type Repository = Schemas['repository'];
export type FullRepository = Schemas['full-repository'];
export type Commit = Schemas['commit'];

export const SERVER_URL = 'https://github.com';

/** The user behind a workflow's GITHUB_TOKEN. */
export const ACTIONS_BOT = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' } as const;

export interface UserRef {
  login: string;
  id?: number;
  type?: 'User' | 'Bot' | 'Organization';
}

/** A stable id for a login, so the same user always has the same id. */
function idOf(login: string): number {
  return 1_000_000 + (createHash('sha1').update(login).digest().readUInt32BE(0) % 9_000_000);
}

export function nodeId(kind: string, id: number): string {
  return Buffer.from(`0:${kind}${id}`).toString('base64').replace(/=+$/, '');
}

/** `2024-05-01T12:00:00Z`: GitHub's timestamps have no milliseconds. */
export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function userObject(api: string, user: UserRef): SimpleUser {
  const id = user.id ?? (user.login === ACTIONS_BOT.login ? ACTIONS_BOT.id : idOf(user.login));
  const type = user.type ?? (user.login.endsWith('[bot]') ? 'Bot' : 'User');
  const url = `${api}/users/${encodeURIComponent(user.login)}`;
  const html =
    type === 'Bot'
      ? `${SERVER_URL}/apps/${user.login.replace(/\[bot\]$/, '')}`
      : `${SERVER_URL}/${user.login}`;
  return {
    login: user.login,
    id,
    node_id: nodeId(type, id),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url,
    html_url: html,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type,
    user_view_type: 'public',
    site_admin: false,
  };
}

export interface RepositoryInfo {
  fullName: string;
  id: number;
  fork: boolean;
  defaultBranch: string;
}

export function repositoryObject(api: string, info: RepositoryInfo): Repository {
  const [owner = '', name = ''] = info.fullName.split('/');
  const url = `${api}/repos/${info.fullName}`;
  const created = '2020-01-01T00:00:00Z';
  return {
    id: info.id,
    node_id: nodeId('Repository', info.id),
    name,
    full_name: info.fullName,
    owner: userObject(api, { login: owner, type: 'Organization' }),
    private: false,
    html_url: `${SERVER_URL}/${info.fullName}`,
    description: null,
    fork: info.fork,
    url,
    archive_url: `${url}/{archive_format}{/ref}`,
    assignees_url: `${url}/assignees{/user}`,
    blobs_url: `${url}/git/blobs{/sha}`,
    branches_url: `${url}/branches{/branch}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    comments_url: `${url}/comments{/number}`,
    commits_url: `${url}/commits{/sha}`,
    compare_url: `${url}/compare/{base}...{head}`,
    contents_url: `${url}/contents/{+path}`,
    contributors_url: `${url}/contributors`,
    deployments_url: `${url}/deployments`,
    downloads_url: `${url}/downloads`,
    events_url: `${url}/events`,
    forks_url: `${url}/forks`,
    git_commits_url: `${url}/git/commits{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    git_url: `git://github.com/${info.fullName}.git`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    issue_events_url: `${url}/issues/events{/number}`,
    issues_url: `${url}/issues{/number}`,
    keys_url: `${url}/keys{/key_id}`,
    labels_url: `${url}/labels{/name}`,
    languages_url: `${url}/languages`,
    merges_url: `${url}/merges`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    pulls_url: `${url}/pulls{/number}`,
    releases_url: `${url}/releases{/id}`,
    ssh_url: `git@github.com:${info.fullName}.git`,
    stargazers_url: `${url}/stargazers`,
    statuses_url: `${url}/statuses/{sha}`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    tags_url: `${url}/tags`,
    teams_url: `${url}/teams`,
    trees_url: `${url}/git/trees{/sha}`,
    clone_url: `${SERVER_URL}/${info.fullName}.git`,
    mirror_url: null,
    hooks_url: `${url}/hooks`,
    svn_url: `${SERVER_URL}/${info.fullName}`,
    homepage: null,
    language: null,
    license: null,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 100,
    default_branch: info.defaultBranch,
    open_issues: 1,
    open_issues_count: 1,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: 'public',
    pushed_at: created,
    created_at: created,
    updated_at: created,
  };
}

export function fullRepositoryObject(api: string, info: RepositoryInfo): FullRepository {
  const repository = repositoryObject(api, info);
  return {
    ...repository,
    has_discussions: false,
    pushed_at: repository.pushed_at ?? '2020-01-01T00:00:00Z',
    created_at: repository.created_at ?? '2020-01-01T00:00:00Z',
    updated_at: repository.updated_at ?? '2020-01-01T00:00:00Z',
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
    network_count: 0,
    subscribers_count: 0,
  };
}

export function commitObject(api: string, fullName: string, sha: string, parents: string[]): Commit {
  const url = `${api}/repos/${fullName}/commits/${sha}`;
  const person = { name: 'Test Author', email: 'author@example.com', date: '2024-01-01T00:00:00Z' };
  return {
    url,
    sha,
    node_id: nodeId('Commit', parseInt(sha.slice(0, 7), 16) || 0),
    html_url: `${SERVER_URL}/${fullName}/commit/${sha}`,
    comments_url: `${url}/comments`,
    commit: {
      url: `${api}/repos/${fullName}/git/commits/${sha}`,
      author: person,
      committer: person,
      message: `Commit ${sha.slice(0, 7)}`,
      comment_count: 0,
      tree: { sha: sha.split('').reverse().join(''), url: `${api}/repos/${fullName}/git/trees/${sha}` },
    },
    author: null,
    committer: null,
    parents: parents.map((parent) => ({
      sha: parent,
      url: `${api}/repos/${fullName}/commits/${parent}`,
      html_url: `${SERVER_URL}/${fullName}/commit/${parent}`,
    })),
  };
}

/** The blob id git gives a file's content, as GitHub reports it in `sha` fields. */
export function gitBlobSha(content: string | Buffer): string {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

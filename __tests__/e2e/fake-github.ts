/**
 * A fake GitHub REST API for end-to-end tests of the Action: one repository with one pull request, served on
 * 127.0.0.1. Every request is matched to an operation of GitHub's OpenAPI description and validated against
 * it, and the rules GitHub enforces beyond the schemas (review comments on diff lines only, one pending review,
 * 50 annotations per request, ...) are enforced too. Whatever a correct client would never do is recorded in
 * `violations`; tests assert it is empty.
 */
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { components, operations } from '@octokit/openapi-types';
import {
  ACTIONS_BOT,
  SERVER_URL,
  type UserRef,
  commitObject,
  fullRepositoryObject,
  gitBlobSha,
  nodeId,
  repositoryObject,
  timestamp,
  userObject,
} from './github-objects.js';
import { type FlatTree, type GitPerson, GitStore, splitMessage } from './git-store.js';
import { GitHubGraphqlError, runGraphql } from './graphql.js';
import {
  type Operation,
  type ValidationProblem,
  matchOperation,
  validateBody,
  validateParameters,
  validateResponse,
} from './openapi.js';
import {
  type ParsedPatch,
  type PatchRow,
  type Side,
  commentableRanges,
  diffHunk,
  findRow,
  parsePatch,
  rowAtPosition,
} from './patch-lines.js';

type Schemas = components['schemas'];
type BodyOf<K extends keyof operations> = operations[K] extends { requestBody?: infer R }
  ? NonNullable<R> extends { content: { 'application/json': infer B } }
    ? B
    : never
  : never;

/** One entry of `GET /repos/{owner}/{repo}/pulls/{pull_number}/files`. */
export type PullFile = Schemas['diff-entry'];
export type { Side } from './patch-lines.js';
export type { UserRef } from './github-objects.js';

export interface FakePullRequest {
  number: number;
  headSha: string;
  baseSha: string;
  mergeBaseSha: string;
  /** Default `feature`. */
  headRef?: string;
  /** Default the repository's default branch. */
  baseRef?: string;
  /** `owner/repo` of the head when the pull request comes from a fork. */
  headRepoFullName?: string;
  /** The test merge commit GitHub creates (`GITHUB_SHA` of a `pull_request` run); default derived from head and base. */
  mergeCommitSha?: string;
  title?: string;
  body?: string;
  files: PullFile[];
}

export interface ExistingReviewComment {
  id?: number;
  path: string;
  body: string;
  /** `null` for an outdated comment. */
  line?: number | null;
  /** The line it was made on, kept when it is outdated (as GitHub keeps `original_line`); default `line`. */
  original_line?: number;
  start_line?: number | null;
  side?: Side;
  start_side?: Side | null;
  commit_id?: string;
  /** Default the token's user (`identity`); another user's comment may carry a copy of the Action's markers. */
  user?: UserRef;
  in_reply_to_id?: number;
}

export interface ExistingIssueComment {
  id?: number;
  body: string;
  user?: UserRef;
}

export interface FakeGitHubOptions {
  owner: string;
  repo: string;
  pull: FakePullRequest;
  /** The workflow token's permissions; default all `write`. Missing ones get GitHub's 403. */
  permissions?: {
    checks?: 'write' | 'none';
    pullRequests?: 'write' | 'read';
    contents?: 'write' | 'read';
  };
  /** File contents by ref (a sha or a branch name; the PR's head and base refs and shas are aliases). */
  contents?: Record<string, Record<string, string>>;
  existingReviewComments?: ExistingReviewComment[];
  existingIssueComments?: ExistingIssueComment[];
  /** A pending review of the token's user left by an earlier run. */
  existingPendingReview?: boolean;
  /**
   * The user the token acts as: GraphQL's `viewer`, and the author of the reviews and comments it writes. Default
   * `github-actions[bot]`, a workflow token's; a personal access token's user, say, otherwise.
   */
  identity?: UserRef;
  /** When set, other tokens get 401 Bad credentials. */
  token?: string;
  /** Default `main`. */
  defaultBranch?: string;
  /** Check the fake's own responses against the OpenAPI response schemas, into `responseProblems`. */
  validateResponses?: boolean;
  /** `disabled`: `POST /graphql` answers 404, as an old GitHub Enterprise Server does. Default `enabled`. */
  graphql?: 'enabled' | 'disabled';
  /**
   * The pull request's branch points to this commit instead of `pull.headSha`: someone pushed after the event
   * (and the scan). Its files are `contents[headMoved]`, else those of `pull.headSha`.
   */
  headMoved?: string;
  /** The message of the commit `pull.headSha`; default `Update manifests`. */
  headCommitMessage?: string;
  /** Faults to inject, first matching rule first; more can be added with `addFault`. */
  faults?: FaultRule[];
  /**
   * Branches a protection rule (or ruleset) keeps to changes through a pull request: `createCommitOnBranch` answers a
   * `BRANCH_PROTECTION_RULE_VIOLATION` error and `PATCH /git/refs` 422, as GitHub does.
   */
  protectedBranches?: string[];
}

/** What a fault answers: an HTTP error of GitHub's shape, or `reset` (the connection is destroyed, no answer). */
export type FaultResponse =
  | { status: number; json?: unknown; text?: string; contentType?: string; headers?: Record<string, string> }
  | 'reset';

/**
 * A fault the fake answers instead of handling a request: rate limits, server errors, refusals, dropped
 * connections. A request matches when it meets every condition given; it is still validated first, so a faulted
 * request that GitHub would reject is a violation all the same.
 */
export interface FaultRule {
  /** `GET`, `POST`, ...; default any. */
  method?: string;
  /** The operation, as in `RecordedRequest.operationId` (`pulls/create-review`, `graphql`). */
  operationId?: string;
  /** The path without the query string: exactly, or matching a pattern. */
  path?: string | RegExp;
  /** Any other condition on the request (its parsed `body`, say). */
  when?: (request: RecordedRequest) => boolean;
  /** How many matching requests get the fault; default every one. */
  times?: number;
  /**
   * The fake handles the request first (a review is created, a commit pushed), then answers the fault instead of
   * its result: GitHub did the work, and the answer was lost (a 502 from a proxy, a connection reset).
   */
  afterHandling?: boolean;
  /** The answer, or a function computing it when the request comes (a rate limit's reset time, say). */
  respond: FaultResponse | ((request: RecordedRequest) => FaultResponse);
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string, as sent (percent-encoded). */
  path: string;
  /** `graphql` for `POST /graphql`; `null` when no documented operation matches. */
  operationId: string | null;
  /** For `POST /graphql`: the root fields of the executed operation (`createCommitOnBranch`, `repository`). */
  graphqlFields?: string[];
  query: Record<string, string>;
  /** The parsed JSON body, `undefined` when there is none. */
  body: unknown;
  /** `0` when the connection was reset. */
  status: number;
  /** The index of the fault rule that answered, when one did. */
  fault?: number;
  /** When the request came (`Date.now()`), to check a client's waits. */
  time: number;
}

export type ReviewState = 'PENDING' | 'COMMENTED' | 'APPROVED' | 'CHANGES_REQUESTED';

export interface FakeReview {
  id: number;
  state: ReviewState;
  body: string;
  /** The `event` the review was created or submitted with; `null` while pending. */
  event: string | null;
  commit_id: string;
  user: UserRef;
  submitted_at: string | null;
}

export interface FakeReviewComment {
  id: number;
  review_id: number | null;
  body: string;
  /** Every body the comment had, oldest first (the last one is `body`). */
  history: string[];
  path: string;
  /** `null` for outdated and file-level comments. */
  line: number | null;
  /** The line it was made on: `line`, or for an outdated comment the line it had before it became outdated. */
  original_line: number | null;
  start_line: number | null;
  side: Side;
  start_side: Side | null;
  position: number | null;
  diff_hunk: string;
  commit_id: string;
  subject_type: 'line' | 'file';
  in_reply_to_id: number | null;
  user: UserRef;
  created_at: string;
  updated_at: string;
}

export type CheckAnnotation = NonNullable<
  NonNullable<BodyOf<'checks/create'>['output']>['annotations']
>[number];

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  details_url: string | null;
  external_id: string | null;
  started_at: string | null;
  completed_at: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  /** Annotations of the create request and every update, in order (GitHub appends them). */
  annotations: CheckAnnotation[];
  /** Number of update (PATCH) requests. */
  updates: number;
}

export interface FakeIssueComment {
  id: number;
  body: string;
  history: string[];
  user: UserRef;
  created_at: string;
  updated_at: string;
}

/** A commit made through `PUT /repos/{owner}/{repo}/contents/{path}`. */
export interface FakeFileCommit {
  sha: string;
  branch: string;
  path: string;
  message: string;
  content: string;
}

/**
 * A commit pushed to a branch with `createCommitOnBranch` (`via: 'graphql'`) or with the Git Data API (`git-data`:
 * recorded when `PATCH /git/refs/{ref}` moves the branch to it, one entry per new commit, oldest first).
 */
export interface FakeBranchCommit {
  oid: string;
  via: 'graphql' | 'git-data';
  branch: string;
  /** The first parent: the branch head before the commit. */
  parent: string;
  parents: string[];
  /** The whole message: `headline`, a blank line and `body` (when there is a body). */
  message: string;
  headline: string;
  body: string;
  /** The files the commit changed, with their contents after it (decoded as UTF-8); `null` for a deleted file. */
  files: Record<string, string | null>;
}

interface Reply {
  status: number;
  /** Errors GitHub answers for any operation, which the description does not document per operation. */
  generic?: boolean;
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Destroy the connection instead of answering (an injected network fault). */
  reset?: boolean;
}

/** An error response; `violation` says what rule the client broke, when it is the client's fault. */
class HttpError extends Error {
  generic = false;

  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly violation?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.message));
  }
}

interface Context {
  operation: Operation;
  record: RecordedRequest;
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
  accept: string;
}

type Handler = (context: Context) => Reply;

const MAX_FILES = 3000;
const MAX_COMPARE_FILES = 300;
const MAX_COMMENT_BODY = 65536;
/** Bytes of a check run's `output.summary` and `output.text`. */
const MAX_OUTPUT_BYTES = 65535;
const MAX_ANNOTATIONS_PER_REQUEST = 50;
const MAX_CONTENT_BYTES = 1024 * 1024;
const DOCS = 'https://docs.github.com/rest';

/** GitHub Actions' app, the `app` of check runs created with a workflow token. */
const ACTIONS_APP_ID = 15368;

/** The author and committer of the commits a test names. */
const SEEDED_AUTHOR: GitPerson = {
  name: 'Test Author',
  email: 'author@example.com',
  date: '2024-01-01T00:00:00Z',
};
const ACTIONS_BOT_PERSON = {
  name: 'github-actions[bot]',
  email: '41898282+github-actions[bot]@users.noreply.github.com',
};
/** The committer of `createCommitOnBranch` commits, which GitHub signs. */
const GITHUB_COMMITTER = { name: 'GitHub', email: 'noreply@github.com' };

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly reviews: FakeReview[] = [];
  readonly reviewComments: FakeReviewComment[] = [];
  readonly deletedReviewComments: FakeReviewComment[] = [];
  readonly checkRuns: FakeCheckRun[] = [];
  readonly issueComments: FakeIssueComment[] = [];
  readonly deletedIssueComments: FakeIssueComment[] = [];
  readonly commits: FakeFileCommit[] = [];
  /** Commits pushed with `createCommitOnBranch` or the Git Data API, in the order the branch got them. */
  readonly branchCommits: FakeBranchCommit[] = [];
  /** Every request that did not validate or broke one of GitHub's rules. */
  readonly violations: string[] = [];
  /** Responses of the fake that do not match the OpenAPI description (with `validateResponses`). */
  readonly responseProblems: string[] = [];

  readonly #options: FakeGitHubOptions;
  readonly #server: Server;
  readonly #contents: Map<string, Map<string, string>>;
  readonly #patches = new Map<string, ParsedPatch | null>();
  readonly #handlers: Record<string, Handler>;
  #url = '';
  #nextId = { review: 80_000_001, comment: 10_000_001, checkRun: 40_000_001, issueComment: 20_000_001 };
  /** The repository's git objects and branches. */
  readonly #git = new GitStore();
  /** The head of a fork's branch, which is not a branch of the repository. */
  #forkHead = '';
  /** Commits the client made (contents API, GraphQL, Git Data API). */
  readonly #madeCommits = new Set<string>();
  #commitClock = 0;
  /** Ids of the pending reviews the client deleted. */
  readonly #deletedReviews = new Set<number>();
  /** Injected faults and how many requests each has answered. */
  readonly #faults: { rule: FaultRule; hits: number }[] = [];

  private constructor(options: FakeGitHubOptions) {
    this.#options = options;
    this.#contents = new Map(
      Object.entries(options.contents ?? {}).map(([ref, files]) => [ref, new Map(Object.entries(files))]),
    );
    this.#server = createServer((request, response) => void this.#handle(request, response));
    this.#handlers = this.#routes();
    for (const rule of options.faults ?? []) this.addFault(rule);
  }

  static async start(options: FakeGitHubOptions): Promise<FakeGitHub> {
    const fake = new FakeGitHub(options);
    fake.#seed();
    await new Promise<void>((resolve, reject) => {
      fake.#server.once('error', reject);
      fake.#server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = fake.#server.address() as AddressInfo;
    fake.#url = `http://127.0.0.1:${port}`;
    return fake;
  }

  /** The user the token acts as (`FakeGitHubOptions.identity`). */
  get #identity(): UserRef {
    return this.#options.identity ?? ACTIONS_BOT;
  }

  /** Adds a fault rule, after those already there; returns its index (`RecordedRequest.fault`). */
  addFault(rule: FaultRule): number {
    return this.#faults.push({ rule, hits: 0 }) - 1;
  }

  /** How many requests each fault rule has answered, by index. */
  get faultHits(): number[] {
    return this.#faults.map((fault) => fault.hits);
  }

  /** Base URL of the API: the `GITHUB_API_URL` of the Action under test. */
  get url(): string {
    return this.#url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  /** The commits of {@link branchCommits} made with `createCommitOnBranch`. */
  get graphqlCommits(): FakeBranchCommit[] {
    return this.branchCommits.filter((commit) => commit.via === 'graphql');
  }

  /** The commit a branch of the repository points to now (`undefined` for no such branch). */
  branchHead(branch: string): string | undefined {
    return this.#git.branches.get(branch);
  }

  /** The files of a commit the fake knows (decoded as UTF-8): to check what a pushed commit contains. */
  filesAt(oid: string): Map<string, string> | undefined {
    return this.#git.commits.has(oid) ? this.#git.filesOf(oid) : undefined;
  }

  /** Review comments as `GET /pulls/{n}/comments` lists them: those of submitted reviews, oldest first. */
  get visibleReviewComments(): FakeReviewComment[] {
    return this.reviewComments.filter((comment) => this.#reviewOf(comment)?.state !== 'PENDING');
  }

  // ---------------------------------------------------------------------------------------------- setup

  get #pull(): Required<Omit<FakePullRequest, 'headRepoFullName' | 'title' | 'body'>> & FakePullRequest {
    const pull = this.#options.pull;
    return {
      ...pull,
      headRef: pull.headRef ?? 'feature',
      baseRef: pull.baseRef ?? this.#defaultBranch,
      mergeCommitSha: pull.mergeCommitSha ?? defaultMergeCommitSha(pull.headSha, pull.baseSha),
    };
  }

  get #defaultBranch(): string {
    return this.#options.defaultBranch ?? 'main';
  }

  get #fullName(): string {
    return `${this.#options.owner}/${this.#options.repo}`;
  }

  get #isFork(): boolean {
    const head = this.#options.pull.headRepoFullName;
    return head !== undefined && head.toLowerCase() !== this.#fullName.toLowerCase();
  }

  /** The pull request's head now: `headMoved`, or the last commit pushed to its branch, else `pull.headSha`. */
  get #headOid(): string {
    return this.#isFork ? this.#forkHead : (this.#git.branches.get(this.#pull.headRef) ?? this.#pull.headSha);
  }

  /** The commits of the pull request and its refs, with the files `contents` gives them. */
  #seedGit(): void {
    const pull = this.#pull;
    const git = this.#git;
    const branchNames = (branch: string) => [branch, `refs/heads/${branch}`, `heads/${branch}`];
    const filesOf = (aliases: string[]) => {
      const key = aliases.find((alias) => this.#contents.has(alias));
      return key === undefined ? undefined : this.#contents.get(key);
    };
    const seed = (oid: string, aliases: string[], parents: string[], message?: string) => {
      if (git.commits.has(oid)) return;
      const files = filesOf([oid, ...aliases]);
      const tree = git.putFiles(files ?? new Map());
      if (!files) git.incompleteTrees.add(tree);
      git.putCommit(
        {
          tree,
          parents: parents.filter((parent) => parent !== oid),
          message: message ?? `Commit ${oid.slice(0, 7)}`,
          author: SEEDED_AUTHOR,
          committer: SEEDED_AUTHOR,
        },
        oid,
      );
    };
    seed(
      pull.headSha,
      [...branchNames(pull.headRef), `refs/pull/${pull.number}/head`],
      [pull.mergeBaseSha],
      this.#options.headCommitMessage ?? 'Update manifests',
    );
    const baseAliases = branchNames(pull.baseRef);
    if (pull.baseRef === this.#defaultBranch) baseAliases.push('HEAD');
    seed(pull.baseSha, baseAliases, [pull.mergeBaseSha]);
    seed(pull.mergeBaseSha, [], []);
    seed(
      pull.mergeCommitSha,
      [`refs/pull/${pull.number}/merge`],
      [pull.baseSha, pull.headSha],
      `Merge ${pull.headSha} into ${pull.baseSha}`,
    );
    const moved = this.#options.headMoved;
    if (moved !== undefined && !git.commits.has(moved)) {
      const files = this.#contents.get(moved);
      const head = git.commits.get(pull.headSha)!;
      git.putCommit(
        {
          tree: files ? git.putFiles(files) : head.tree,
          parents: [pull.headSha],
          message: 'Update manifests again',
          author: SEEDED_AUTHOR,
          committer: SEEDED_AUTHOR,
        },
        moved,
      );
    }
    for (const key of this.#contents.keys()) if (/^[0-9a-f]{40}$/.test(key)) seed(key, [], []);
    git.branches.set(pull.baseRef, pull.baseSha);
    if (pull.baseRef !== this.#defaultBranch) {
      const files = filesOf([...branchNames(this.#defaultBranch), 'HEAD']);
      if (files) {
        const oid = git.putCommit({
          tree: git.putFiles(files),
          parents: [],
          message: `Commit on ${this.#defaultBranch}`,
          author: SEEDED_AUTHOR,
          committer: SEEDED_AUTHOR,
        });
        git.branches.set(this.#defaultBranch, oid);
      }
    }
    if (this.#isFork) this.#forkHead = moved ?? pull.headSha;
    else git.branches.set(pull.headRef, moved ?? pull.headSha);
  }

  #seed(): void {
    this.#seedGit();
    if (this.#options.existingPendingReview) {
      this.reviews.push({
        id: this.#nextId.review++,
        state: 'PENDING',
        body: '',
        event: null,
        commit_id: this.#options.pull.headSha,
        user: this.#identity,
        submitted_at: null,
      });
    }
    for (const existing of this.#options.existingReviewComments ?? []) {
      const id = existing.id ?? this.#nextId.comment++;
      // A comment made later never takes the id of a seeded one (a test often seeds the ids an earlier run got).
      this.#nextId.comment = Math.max(this.#nextId.comment, id + 1);
      const side = existing.side ?? 'RIGHT';
      const line = existing.line ?? null;
      const patch = this.#patchOf(existing.path);
      const row = patch && line !== null ? findRow(patch, side, line) : undefined;
      const created = timestamp(new Date(Date.now() - 3_600_000));
      this.reviewComments.push({
        id,
        review_id: null,
        body: existing.body,
        history: [existing.body],
        path: existing.path,
        line,
        original_line: existing.original_line ?? line,
        start_line: existing.start_line ?? null,
        side,
        start_side: existing.start_line ? (existing.start_side ?? side) : null,
        position: row?.position ?? null,
        diff_hunk: patch && row ? diffHunk(patch, row) : '@@ -1 +1 @@',
        commit_id: existing.commit_id ?? this.#options.pull.headSha,
        subject_type: 'line',
        in_reply_to_id: existing.in_reply_to_id ?? null,
        user: existing.user ?? this.#identity,
        created_at: created,
        updated_at: created,
      });
    }
    for (const existing of this.#options.existingIssueComments ?? []) {
      const created = timestamp(new Date(Date.now() - 3_600_000));
      this.issueComments.push({
        id: existing.id ?? this.#nextId.issueComment++,
        body: existing.body,
        history: [existing.body],
        user: existing.user ?? this.#identity,
        created_at: created,
        updated_at: created,
      });
    }
  }

  // ---------------------------------------------------------------------------------------------- HTTP

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const record: RecordedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      operationId: null,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      status: 0,
      time: Date.now(),
    };
    this.requests.push(record);
    const matched: { operation?: Operation } = {};
    let reply: Reply;
    try {
      const raw = await readBody(request);
      reply = this.#dispatch(request, url, raw, record, matched);
    } catch (error) {
      if (error instanceof HttpError) {
        if (error.violation) this.#violate(record, error.violation);
        reply = { status: error.status, json: error.body, headers: error.headers, generic: error.generic };
      } else {
        // A bug of the fake itself: fail the test loudly rather than hide it.
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        this.#violate(record, `the fake GitHub failed: ${message}`);
        reply = { status: 500, json: { message: 'Server Error', documentation_url: DOCS } };
      }
    }
    record.status = reply.status;
    if (this.#options.validateResponses && matched.operation && record.fault === undefined) {
      this.#checkResponse(matched.operation, reply);
    }
    this.#send(response, reply);
  }

  /**
   * The answer of the first fault rule the request matches and that has hits left, else `handle`'s. A rule
   * `afterHandling` lets `handle` run first (when it fails, so does the request, and the rule is not spent).
   */
  #withFaults(record: RecordedRequest, handle: () => Reply): Reply {
    const index = this.#matchFault(record);
    if (index < 0) return handle();
    const fault = this.#faults[index]!;
    if (fault.rule.afterHandling) {
      const handled = handle();
      // GitHub answers a failed request itself; only a done one can have its answer lost.
      const graphqlErrors = (handled.json as { errors?: unknown[] } | undefined)?.errors;
      if (handled.status >= 300 || (graphqlErrors?.length ?? 0) > 0) return handled;
    }
    fault.hits += 1;
    record.fault = index;
    const response =
      typeof fault.rule.respond === 'function' ? fault.rule.respond(record) : fault.rule.respond;
    if (response === 'reset') return { status: 0, reset: true };
    return { ...response, generic: true };
  }

  /** The index of the first fault rule the request matches and that has hits left, or -1. */
  #matchFault(record: RecordedRequest): number {
    return this.#faults.findIndex(({ rule, hits }) => {
      if (rule.times !== undefined && hits >= rule.times) return false;
      if (rule.method !== undefined && rule.method.toUpperCase() !== record.method) return false;
      if (rule.operationId !== undefined && rule.operationId !== record.operationId) return false;
      if (typeof rule.path === 'string' && rule.path !== record.path) return false;
      if (rule.path instanceof RegExp && !rule.path.test(record.path)) return false;
      return rule.when === undefined || rule.when(record);
    });
  }

  #checkResponse(operation: Operation, reply: Reply): void {
    if (reply.json === undefined || reply.generic) return;
    const problems = validateResponse(operation, reply.status, reply.json);
    if (problems === undefined && reply.status < 300) {
      this.responseProblems.push(`${operation.operationId} ${reply.status}: no documented JSON response`);
    }
    for (const problem of problems ?? []) {
      this.responseProblems.push(`${operation.operationId} ${reply.status}: ${problem.message}`);
    }
  }

  #send(response: ServerResponse, reply: Reply): void {
    if (reply.reset) {
      // The request was read; the client sees the connection close without an answer.
      response.socket?.destroy();
      return;
    }
    const headers: Record<string, string> = {
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': randomUUID().toUpperCase(),
      'x-ratelimit-limit': '1000',
      'x-ratelimit-remaining': String(Math.max(1000 - this.requests.length, 500)),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-used': String(Math.min(this.requests.length, 500)),
      'x-ratelimit-resource': 'core',
      ...reply.headers,
    };
    if (reply.status === 204) {
      response.writeHead(204, headers).end();
      return;
    }
    const text = reply.text ?? JSON.stringify(reply.json ?? {});
    headers['content-type'] = reply.contentType ?? 'application/json; charset=utf-8';
    headers['content-length'] = String(Buffer.byteLength(text));
    response.writeHead(reply.status, headers).end(text);
  }

  #violate(record: RecordedRequest, message: string): void {
    const where = `${record.method} ${record.path}${record.operationId ? ` (${record.operationId})` : ''}`;
    this.violations.push(`${where}: ${message}`);
  }

  #dispatch(
    request: IncomingMessage,
    url: URL,
    raw: string,
    record: RecordedRequest,
    matched: { operation?: Operation },
  ): Reply {
    const authorization = request.headers.authorization;
    if (!authorization) {
      throw new HttpError(
        401,
        { message: 'Requires authentication', documentation_url: DOCS, status: '401' },
        'no authorization header (the workflow token was not used)',
      );
    }
    const token = /^(?:token|bearer)\s+(\S+)$/i.exec(authorization)?.[1];
    if (!token || (this.#options.token !== undefined && token !== this.#options.token)) {
      throw new HttpError(
        401,
        { message: 'Bad credentials', documentation_url: DOCS, status: '401' },
        `authorization header is not the workflow token: ${JSON.stringify(authorization.slice(0, 12))}...`,
      );
    }

    if (raw.trim() !== '') {
      try {
        record.body = JSON.parse(raw);
      } catch {
        throw new HttpError(
          400,
          { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' },
          `body is not JSON: ${JSON.stringify(raw.slice(0, 80))}`,
        );
      }
    }

    if (record.method === 'POST' && url.pathname === '/graphql') {
      if (this.#options.graphql === 'disabled') {
        // An old GitHub Enterprise Server: no GraphQL API. A client must fall back, which is no violation.
        throw new HttpError(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
      }
      record.operationId = 'graphql';
      return this.#withFaults(record, () => this.#graphql(record));
    }

    const match = matchOperation(record.method, url.pathname);
    if (!match) {
      throw new HttpError(
        404,
        { message: 'Not Found', documentation_url: DOCS, status: '404' },
        `no operation of GitHub's REST API is ${record.method} ${url.pathname}`,
      );
    }
    const { operation } = match;
    record.operationId = operation.operationId;
    matched.operation = operation;

    const params: Record<string, unknown> = { ...match.pathParams };
    const query: Record<string, unknown> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const values = url.searchParams.getAll(key);
      query[key] = values.length === 1 ? values[0] : values;
    }
    const problems = [
      ...validateParameters(operation, 'path', params),
      ...validateParameters(operation, 'query', query),
    ];
    let body: Record<string, unknown> = {};
    if (operation.hasRequestBody) {
      if (record.body !== undefined || operation.requestBodyRequired) {
        const value = record.body ?? {};
        problems.push(...validateBody(operation, value));
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
          body = value as Record<string, unknown>;
        }
      }
    } else if (record.body !== undefined) {
      problems.push({
        resource: 'body',
        field: '',
        code: 'unexpected',
        message: `${operation.operationId} takes no request body`,
      });
    }
    if (problems.length > 0) {
      throw generic(
        422,
        {
          message: 'Invalid request.',
          errors: problems,
          documentation_url: operation.documentationUrl,
          status: '422',
        },
        `invalid request: ${problems.map((problem) => problem.message).join('; ')}`,
      );
    }

    const context: Context = {
      operation,
      record,
      params,
      query,
      body,
      accept: request.headers.accept ?? '',
    };
    this.#checkScope(context);
    return this.#withFaults(record, () => {
      const handler = this.#handlers[operation.operationId];
      if (!handler) {
        throw new HttpError(
          404,
          { message: 'Not Found', documentation_url: operation.documentationUrl, status: '404' },
          `the fake GitHub does not implement ${operation.operationId} (${operation.method} ${operation.template}); ` +
            'add it to __tests__/e2e/fake-github.ts if the Action needs it',
        );
      }
      return handler(context);
    });
  }

  /** Requests for another repository or another pull request: the client read the wrong context. */
  #checkScope({ params, operation }: Context): void {
    const notFound = (what: string) =>
      new HttpError(
        404,
        { message: 'Not Found', documentation_url: operation.documentationUrl, status: '404' },
        what,
      );
    if (typeof params.owner === 'string' && typeof params.repo === 'string') {
      const fullName = `${params.owner}/${params.repo}`;
      if (fullName.toLowerCase() !== this.#fullName.toLowerCase()) {
        throw notFound(`repository ${fullName} is not the pull request's repository ${this.#fullName}`);
      }
    }
    for (const key of ['pull_number', 'issue_number']) {
      if (params[key] !== undefined && params[key] !== this.#options.pull.number) {
        throw notFound(`${key} ${String(params[key])} is not the pull request #${this.#options.pull.number}`);
      }
    }
  }

  #requirePermission(permission: 'checks' | 'pullRequests' | 'contents', context: Context): void {
    const granted = this.#options.permissions?.[permission] ?? 'write';
    if (granted === 'write') return;
    const name = { checks: 'checks', pullRequests: 'pull_requests', contents: 'contents' }[permission];
    throw new HttpError(
      403,
      {
        message: 'Resource not accessible by integration',
        documentation_url: context.operation.documentationUrl,
        status: '403',
      },
      undefined,
      { 'x-accepted-github-permissions': `${name}=write` },
    );
  }

  /** A 422 for a rule GitHub enforces beyond the schema; always a violation. */
  #unprocessable(context: Context, errors: unknown[], violation: string, message = 'Unprocessable Entity') {
    return new HttpError(
      422,
      { message, errors, documentation_url: context.operation.documentationUrl, status: '422' },
      violation,
    );
  }

  #notFound(context: Context, violation?: string, message = 'Not Found'): HttpError {
    return new HttpError(
      404,
      { message, documentation_url: context.operation.documentationUrl, status: '404' },
      violation,
    );
  }

  /** One page of a list, with GitHub's `link` header (`first`, `prev`, `next`, `last`). */
  #page<T>(context: Context, items: readonly T[], toJson: (item: T) => unknown): Reply {
    const perPage = Math.min(Math.max(Number(context.query.per_page ?? 30) || 30, 1), 100);
    const page = Math.max(Number(context.query.page ?? 1) || 1, 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (target: number, rel: string) => {
      const query = new URLSearchParams({ ...context.record.query, page: String(target) });
      return `<${this.#url}${context.record.path}?${query.toString()}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'));
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'));
    return {
      status: 200,
      json: items.slice((page - 1) * perPage, page * perPage).map(toJson),
      headers: links.length > 0 ? { link: links.join(', ') } : {},
    };
  }

  // ---------------------------------------------------------------------------------------------- routes

  #routes(): Record<string, Handler> {
    return {
      'repos/get': () => ({ status: 200, json: fullRepositoryObject(this.#url, this.#repositoryInfo()) }),
      'pulls/get': (context) => this.#getPull(context),
      'pulls/list-files': (context) =>
        this.#page(context, this.#options.pull.files.slice(0, MAX_FILES), (file) => file),
      'pulls/list-review-comments': (context) => {
        const comments = [...this.visibleReviewComments];
        if (context.query.direction === 'desc') comments.reverse();
        return this.#page(context, comments, (comment) => this.#reviewCommentJson(comment));
      },
      'pulls/get-review-comment': (context) => ({
        status: 200,
        json: this.#reviewCommentJson(this.#findReviewComment(context)),
      }),
      'pulls/update-review-comment': (context) => this.#updateReviewComment(context),
      'pulls/delete-review-comment': (context) => this.#deleteReviewComment(context),
      'pulls/create-review-comment': (context) => this.#createReviewComment(context),
      'pulls/create-reply-for-review-comment': (context) => this.#createReply(context),
      'pulls/list-reviews': (context) =>
        this.#page(context, this.reviews, (review) => this.#reviewJson(review)),
      'pulls/get-review': (context) => ({ status: 200, json: this.#reviewJson(this.#findReview(context)) }),
      'pulls/create-review': (context) => this.#createReview(context),
      'pulls/update-review': (context) => this.#updateReview(context),
      'pulls/delete-pending-review': (context) => this.#deletePendingReview(context),
      'pulls/submit-review': (context) => this.#submitReview(context),
      'pulls/list-comments-for-review': (context) => {
        const review = this.#findReview(context);
        const comments = this.reviewComments.filter((comment) => comment.review_id === review.id);
        return this.#page(context, comments, (comment) => this.#reviewCommentJson(comment));
      },
      'checks/create': (context) => this.#createCheckRun(context),
      'checks/update': (context) => this.#updateCheckRun(context),
      'checks/get': (context) => ({ status: 200, json: this.#checkRunJson(this.#findCheckRun(context)) }),
      'checks/list-annotations': (context) =>
        this.#page(context, this.#findCheckRun(context).annotations, (annotation) =>
          this.#annotationJson(annotation),
        ),
      'checks/list-for-ref': (context) => this.#listCheckRunsForRef(context),
      'repos/get-content': (context) => this.#getContent(context),
      'repos/create-or-update-file-contents': (context) => this.#putContent(context),
      'repos/compare-commits-with-basehead': (context) => this.#compare(context),
      'repos/get-commit': (context) => this.#getCommit(context),
      'git/get-ref': (context) => ({ status: 200, json: this.#refJson(this.#branchOfRef(context, false)) }),
      'git/get-commit': (context) => this.#getGitCommit(context),
      'git/create-blob': (context) => this.#createBlob(context),
      'git/create-tree': (context) => this.#createTree(context),
      'git/create-commit': (context) => this.#createGitCommit(context),
      'git/update-ref': (context) => this.#updateRef(context),
      'issues/list-comments': (context) =>
        this.#page(context, this.issueComments, (comment) => this.#issueCommentJson(comment)),
      'issues/get-comment': (context) => ({
        status: 200,
        json: this.#issueCommentJson(this.#findIssueComment(context)),
      }),
      'issues/create-comment': (context) => this.#createIssueComment(context),
      'issues/update-comment': (context) => this.#updateIssueComment(context),
      'issues/delete-comment': (context) => this.#deleteIssueComment(context),
    };
  }

  // ---------------------------------------------------------------------------------------------- pull request

  #repositoryInfo() {
    return { fullName: this.#fullName, id: 500_000_001, fork: false, defaultBranch: this.#defaultBranch };
  }

  #getPull(context: Context): Reply {
    if (/\.(?:v3\.)?(?:diff|patch)\b/.test(context.accept)) {
      return {
        status: 200,
        text: this.#options.pull.files
          .filter((file) => file.patch !== undefined)
          .map((file) => {
            const from =
              file.status === 'added' ? '/dev/null' : `a/${file.previous_filename ?? file.filename}`;
            const to = file.status === 'removed' ? '/dev/null' : `b/${file.filename}`;
            return `diff --git a/${file.previous_filename ?? file.filename} b/${file.filename}\n--- ${from}\n+++ ${to}\n${file.patch}\n`;
          })
          .join(''),
        contentType: 'application/vnd.github.diff; charset=utf-8',
      };
    }
    return { status: 200, json: this.#pullJson() };
  }

  #pullJson(): Schemas['pull-request'] {
    const pull = this.#pull;
    const api = `${this.#url}/repos/${this.#fullName}`;
    const html = `${SERVER_URL}/${this.#fullName}/pull/${pull.number}`;
    const headFullName = pull.headRepoFullName ?? this.#fullName;
    const headOwner = headFullName.split('/')[0] ?? this.#options.owner;
    const author = userObject(this.#url, { login: this.#isFork ? headOwner : 'octocat' });
    const files = pull.files;
    const link = (href: string) => ({ href });
    return {
      url: `${api}/pulls/${pull.number}`,
      id: 900_000_000 + pull.number,
      node_id: nodeId('PullRequest', 900_000_000 + pull.number),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: `${api}/issues/${pull.number}`,
      commits_url: `${api}/pulls/${pull.number}/commits`,
      review_comments_url: `${api}/pulls/${pull.number}/comments`,
      review_comment_url: `${api}/pulls/comments{/number}`,
      comments_url: `${api}/issues/${pull.number}/comments`,
      statuses_url: `${api}/statuses/${this.#headOid}`,
      number: pull.number,
      state: 'open',
      locked: false,
      title: pull.title ?? 'Update manifests',
      user: author,
      body: pull.body ?? null,
      labels: [],
      milestone: null,
      active_lock_reason: null,
      created_at: '2024-01-02T00:00:00Z',
      updated_at: '2024-01-02T00:00:00Z',
      closed_at: null,
      merged_at: null,
      merge_commit_sha: pull.mergeCommitSha,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      head: {
        label: `${headOwner}:${pull.headRef}`,
        ref: pull.headRef,
        sha: this.#headOid,
        user: userObject(this.#url, { login: headOwner, type: this.#isFork ? 'User' : 'Organization' }),
        repo: repositoryObject(this.#url, {
          fullName: headFullName,
          id: this.#isFork ? 500_000_002 : 500_000_001,
          fork: this.#isFork,
          defaultBranch: this.#defaultBranch,
        }),
      },
      base: {
        label: `${this.#options.owner}:${pull.baseRef}`,
        ref: pull.baseRef,
        sha: pull.baseSha,
        user: userObject(this.#url, { login: this.#options.owner, type: 'Organization' }),
        repo: repositoryObject(this.#url, this.#repositoryInfo()),
      },
      _links: {
        self: link(`${api}/pulls/${pull.number}`),
        html: link(html),
        issue: link(`${api}/issues/${pull.number}`),
        comments: link(`${api}/issues/${pull.number}/comments`),
        review_comments: link(`${api}/pulls/${pull.number}/comments`),
        review_comment: link(`${api}/pulls/comments{/number}`),
        commits: link(`${api}/pulls/${pull.number}/commits`),
        statuses: link(`${api}/statuses/${this.#headOid}`),
      },
      author_association: this.#isFork ? 'CONTRIBUTOR' : 'MEMBER',
      auto_merge: null,
      draft: false,
      merged: false,
      mergeable: true,
      rebaseable: true,
      mergeable_state: 'clean',
      merged_by: null,
      comments: this.issueComments.length,
      review_comments: this.visibleReviewComments.length,
      maintainer_can_modify: false,
      commits: 1,
      additions: files.reduce((sum, file) => sum + file.additions, 0),
      deletions: files.reduce((sum, file) => sum + file.deletions, 0),
      changed_files: files.length,
    };
  }

  #pullMinimal(): Schemas['pull-request-minimal'] {
    const pull = this.#pull;
    const repo = { id: 500_000_001, url: `${this.#url}/repos/${this.#fullName}`, name: this.#options.repo };
    return {
      id: 900_000_000 + pull.number,
      number: pull.number,
      url: `${this.#url}/repos/${this.#fullName}/pulls/${pull.number}`,
      head: { ref: pull.headRef, sha: this.#headOid, repo },
      base: { ref: pull.baseRef, sha: pull.baseSha, repo },
    };
  }

  #patchOf(path: string): ParsedPatch | null {
    if (!this.#patches.has(path)) {
      const file = this.#options.pull.files.find((candidate) => candidate.filename === path);
      this.#patches.set(path, file?.patch !== undefined ? parsePatch(file.patch) : null);
    }
    return this.#patches.get(path) ?? null;
  }

  // ---------------------------------------------------------------------------------------------- reviews

  #pendingReview(): FakeReview | undefined {
    return this.reviews.find(
      (review) => review.state === 'PENDING' && review.user.login === this.#identity.login,
    );
  }

  #reviewOf(comment: FakeReviewComment): FakeReview | undefined {
    return comment.review_id === null
      ? undefined
      : this.reviews.find((review) => review.id === comment.review_id);
  }

  #findReview(context: Context): FakeReview {
    const review = this.reviews.find((candidate) => candidate.id === context.params.review_id);
    if (!review) throw this.#notFound(context, `review ${String(context.params.review_id)} does not exist`);
    return review;
  }

  #reviewJson(review: FakeReview): Schemas['pull-request-review'] {
    const pull = `${this.#url}/repos/${this.#fullName}/pulls/${this.#options.pull.number}`;
    const html = `${SERVER_URL}/${this.#fullName}/pull/${this.#options.pull.number}#pullrequestreview-${review.id}`;
    return {
      id: review.id,
      node_id: nodeId('PullRequestReview', review.id),
      user: userObject(this.#url, review.user),
      body: review.body,
      state: review.state,
      html_url: html,
      pull_request_url: pull,
      _links: { html: { href: html }, pull_request: { href: pull } },
      ...(review.submitted_at ? { submitted_at: review.submitted_at } : {}),
      commit_id: review.commit_id,
      author_association: 'CONTRIBUTOR',
    };
  }

  /** GitHub refuses a second pending review of the same user, even one created and submitted at once. */
  #rejectIfPending(context: Context, standalone: boolean): void {
    const pending = this.#pendingReview();
    if (!pending) return;
    const violation =
      `github-actions[bot] already has pending review ${pending.id} on this pull request: ` +
      'submit or delete it (GET .../reviews lists it with state PENDING) before creating another';
    if (standalone) {
      throw this.#unprocessable(
        context,
        [
          {
            resource: 'PullRequestReview',
            code: 'custom',
            field: 'user_id',
            message: 'user_id can only have one pending review per pull request',
          },
        ],
        violation,
        'Validation Failed',
      );
    }
    throw this.#unprocessable(context, ['User can only have one pending review per pull request'], violation);
  }

  #checkCommitId(context: Context, commitId: string | undefined): void {
    if (commitId === undefined || commitId === this.#options.pull.headSha) return;
    throw this.#unprocessable(
      context,
      ['commit_id is not part of the pull request'],
      `commit_id ${commitId} is not the pull request's head ${this.#options.pull.headSha}`,
    );
  }

  #checkBodyLength(context: Context, body: string | undefined, what: string): void {
    if (body === undefined || body.length <= MAX_COMMENT_BODY) return;
    throw this.#unprocessable(
      context,
      [
        {
          resource: what,
          code: 'custom',
          field: 'body',
          message: 'body is too long (maximum is 65536 characters)',
        },
      ],
      `${what} body has ${body.length} characters, more than GitHub's ${MAX_COMMENT_BODY}`,
      'Validation Failed',
    );
  }

  /** The state a review gets from its `event`, after GitHub's rules on events. */
  #reviewState(
    context: Context,
    event: string | undefined,
    body: string | undefined,
    comments: number,
  ): ReviewState {
    if (event === undefined) return 'PENDING';
    if (event === 'APPROVE') {
      throw this.#unprocessable(
        context,
        ['GitHub Actions is not permitted to approve pull requests.'],
        'a workflow token cannot approve pull requests (repository default)',
      );
    }
    if (!body && comments === 0) {
      throw this.#unprocessable(
        context,
        [`Review body is required when the event is ${event} and the review has no comments`],
        `event ${event} without a body or comments`,
      );
    }
    return event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : 'COMMENTED';
  }

  #createReview(context: Context): Reply {
    this.#requirePermission('pullRequests', context);
    const body = context.body as BodyOf<'pulls/create-review'>;
    this.#rejectIfPending(context, false);
    this.#checkCommitId(context, body.commit_id);
    this.#checkBodyLength(context, body.body, 'PullRequestReview');
    const comments = body.comments ?? [];
    const state = this.#reviewState(context, body.event, body.body, comments.length);
    const errors: string[] = [];
    const placed = comments.map((comment, index) => {
      if (comment.body.length > MAX_COMMENT_BODY) {
        errors.push(`comments[${index}]: body is too long (maximum is 65536 characters)`);
      }
      if (comment.body.trim() === '') errors.push(`comments[${index}]: body is empty`);
      const placement = this.#place(comment);
      if (typeof placement === 'string') errors.push(`comments[${index}] on ${comment.path}: ${placement}`);
      return placement;
    });
    if (errors.length > 0) {
      throw this.#unprocessable(
        context,
        errors.map((error) =>
          /line|position/i.test(error) ? `Line could not be resolved: ${error}` : error,
        ),
        errors.join('; '),
      );
    }
    const review: FakeReview = {
      id: this.#nextId.review++,
      state,
      body: body.body ?? '',
      event: body.event ?? null,
      commit_id: this.#options.pull.headSha,
      user: this.#identity,
      submitted_at: state === 'PENDING' ? null : timestamp(),
    };
    this.reviews.push(review);
    comments.forEach((comment, index) => {
      this.#addReviewComment(review.id, comment.body, placed[index] as Placement, null);
    });
    return { status: 200, json: this.#reviewJson(review) };
  }

  #updateReview(context: Context): Reply {
    this.#requirePermission('pullRequests', context);
    const review = this.#findReview(context);
    const body = context.body as BodyOf<'pulls/update-review'>;
    this.#checkBodyLength(context, body.body, 'PullRequestReview');
    review.body = body.body;
    return { status: 200, json: this.#reviewJson(review) };
  }

  #deletePendingReview(context: Context): Reply {
    this.#requirePermission('pullRequests', context);
    if (this.#deletedReviews.has(Number(context.params.review_id))) {
      // Deleted already: a client repeating a deletion whose answer it lost gets GitHub's 404, and broke no rule.
      throw this.#notFound(context);
    }
    const review = this.#findReview(context);
    if (review.state !== 'PENDING') {
      throw this.#unprocessable(
        context,
        ['Can not delete a non-pending pull request review'],
        `review ${review.id} is ${review.state}, only pending reviews can be deleted`,
      );
    }
    this.reviews.splice(this.reviews.indexOf(review), 1);
    this.#deletedReviews.add(review.id);
    for (const comment of this.reviewComments.filter((candidate) => candidate.review_id === review.id)) {
      this.#removeReviewComment(comment);
    }
    return { status: 200, json: this.#reviewJson(review) };
  }

  #submitReview(context: Context): Reply {
    this.#requirePermission('pullRequests', context);
    const review = this.#findReview(context);
    const body = context.body as BodyOf<'pulls/submit-review'>;
    if (review.state !== 'PENDING') {
      throw this.#unprocessable(
        context,
        ['Can not submit a non-pending pull request review'],
        `review ${review.id} is already ${review.state}`,
      );
    }
    this.#checkBodyLength(context, body.body, 'PullRequestReview');
    const comments = this.reviewComments.filter((comment) => comment.review_id === review.id).length;
    const reviewBody = body.body ?? review.body;
    review.state = this.#reviewState(context, body.event, reviewBody, comments);
    review.event = body.event;
    review.body = reviewBody;
    review.submitted_at = timestamp();
    return { status: 200, json: this.#reviewJson(review) };
  }

  // ---------------------------------------------------------------------------------------------- review comments

  /**
   * Where a review comment goes, following GitHub's rules: `path` is a file of the pull request; `line` (and
   * `start_line`) are lines of that file's diff on `side` (and `start_side`): RIGHT lines are added or context
   * lines, LEFT lines deleted or context lines; `start_line` precedes `line` in the same hunk. The deprecated
   * `position` still works alone, but not together with `line`. Returns the reason when it cannot be placed.
   */
  #place(comment: {
    path: string;
    line?: number;
    side?: string;
    start_line?: number;
    start_side?: string;
    position?: number;
    subject_type?: string;
  }): Placement | string {
    const file = this.#options.pull.files.find((candidate) => candidate.filename === comment.path);
    if (!file) {
      const renamed = this.#options.pull.files.find(
        (candidate) => candidate.previous_filename === comment.path,
      );
      return (
        `Path could not be resolved: ${comment.path} is not a file of the pull request` +
        (renamed ? ` (it was renamed to ${renamed.filename})` : '')
      );
    }
    if (comment.subject_type === 'file') {
      return { path: comment.path, line: null, side: 'RIGHT', start_line: null, start_side: null, row: null };
    }
    const patch = this.#patchOf(comment.path);
    if (comment.position !== undefined && comment.line !== undefined) {
      return 'position and line cannot be used together (position is deprecated: use line and side)';
    }
    if (!patch)
      return `${comment.path} has no patch (binary, empty or too large), so no line can be commented`;
    if (comment.position !== undefined) {
      const row = rowAtPosition(patch, comment.position);
      if (!row || row.kind === 'no-newline') return `position ${comment.position} is not in the diff`;
      const side: Side = row.right !== undefined ? 'RIGHT' : 'LEFT';
      return {
        path: comment.path,
        line: (row.right ?? row.left)!,
        side,
        start_line: null,
        start_side: null,
        row,
      };
    }
    if (comment.line === undefined) return 'line is required (or subject_type: file)';
    const side = comment.side ?? 'RIGHT';
    if (side !== 'LEFT' && side !== 'RIGHT') return `side must be LEFT or RIGHT, not ${JSON.stringify(side)}`;
    const row = findRow(patch, side, comment.line);
    if (!row) {
      return (
        `line ${comment.line} (${side}) is not a line of the diff; ` +
        `the ${side} lines of its hunks are ${commentableRanges(patch, side)}`
      );
    }
    if (comment.start_line === undefined) {
      return { path: comment.path, line: comment.line, side, start_line: null, start_side: null, row };
    }
    const startSide = comment.start_side ?? side;
    if (startSide !== 'LEFT' && startSide !== 'RIGHT') {
      return `start_side must be LEFT or RIGHT, not ${JSON.stringify(startSide)}`;
    }
    const start = findRow(patch, startSide, comment.start_line);
    if (!start) {
      return (
        `start_line ${comment.start_line} (${startSide}) is not a line of the diff; ` +
        `the ${startSide} lines of its hunks are ${commentableRanges(patch, startSide)}`
      );
    }
    if (start.hunk !== row.hunk) {
      return `start_line ${comment.start_line} and line ${comment.line} are in different hunks of the diff`;
    }
    if (start.index >= row.index) return `start_line ${comment.start_line} must precede line ${comment.line}`;
    return {
      path: comment.path,
      line: comment.line,
      side,
      start_line: comment.start_line,
      start_side: startSide,
      row,
    };
  }

  #addReviewComment(
    reviewId: number,
    body: string,
    placement: Placement,
    inReplyTo: number | null,
  ): FakeReviewComment {
    const patch = this.#patchOf(placement.path);
    const now = timestamp();
    const comment: FakeReviewComment = {
      id: this.#nextId.comment++,
      review_id: reviewId,
      body,
      history: [body],
      path: placement.path,
      line: placement.line,
      original_line: placement.line,
      start_line: placement.start_line,
      side: placement.side,
      start_side: placement.start_side,
      position: placement.row?.position ?? null,
      diff_hunk: patch && placement.row ? diffHunk(patch, placement.row) : '',
      commit_id: this.#options.pull.headSha,
      subject_type: placement.row ? 'line' : 'file',
      in_reply_to_id: inReplyTo,
      user: this.#identity,
      created_at: now,
      updated_at: now,
    };
    this.reviewComments.push(comment);
    return comment;
  }

  #removeReviewComment(comment: FakeReviewComment): void {
    this.reviewComments.splice(this.reviewComments.indexOf(comment), 1);
    this.deletedReviewComments.push(comment);
  }

  #findReviewComment(context: Context): FakeReviewComment {
    const comment = this.reviewComments.find((candidate) => candidate.id === context.params.comment_id);
    if (!comment) {
      const deleted = this.deletedReviewComments.some(
        (candidate) => candidate.id === context.params.comment_id,
      );
      throw this.#notFound(
        context,
        `review comment ${String(context.params.comment_id)} ${deleted ? 'was deleted' : 'does not exist'}`,
      );
    }
    return comment;
  }

  #checkAuthor(context: Context, user: UserRef, what: string): void {
    if (user.login === this.#identity.login) return;
    throw new HttpError(
      403,
      {
        message: 'Resource not accessible by integration',
        documentation_url: context.operation.documentationUrl,
        status: '403',
      },
      `changes ${what} written by ${user.login}, not by the token's user ${this.#identity.login}`,
    );
  }

  #reviewCommentJson(comment: FakeReviewComment): Schemas['pull-request-review-comment'] {
    const api = `${this.#url}/repos/${this.#fullName}`;
    const number = this.#options.pull.number;
    const html = `${SERVER_URL}/${this.#fullName}/pull/${number}#discussion_r${comment.id}`;
    // An outdated comment (GitHub's answer, wider than the description's non-nullable `line` and `position`): both
    // null, the original line kept. A file-level comment has no line at all.
    const lines =
      comment.line !== null
        ? {
            line: comment.line,
            original_line: comment.original_line ?? comment.line,
            position: comment.position ?? undefined,
            original_position: comment.position ?? undefined,
          }
        : comment.original_line !== null && comment.subject_type === 'line'
          ? {
              line: null as unknown as number,
              position: null as unknown as number,
              original_line: comment.original_line,
            }
          : {};
    return {
      url: `${api}/pulls/comments/${comment.id}`,
      pull_request_review_id: comment.review_id,
      id: comment.id,
      node_id: nodeId('PullRequestReviewComment', comment.id),
      diff_hunk: comment.diff_hunk,
      path: comment.path,
      commit_id: comment.commit_id,
      original_commit_id: comment.commit_id,
      ...(comment.in_reply_to_id !== null ? { in_reply_to_id: comment.in_reply_to_id } : {}),
      user: userObject(this.#url, comment.user),
      body: comment.body,
      created_at: comment.created_at,
      updated_at: comment.updated_at,
      html_url: html,
      pull_request_url: `${api}/pulls/${number}`,
      author_association: 'CONTRIBUTOR',
      _links: {
        self: { href: `${api}/pulls/comments/${comment.id}` },
        html: { href: html },
        pull_request: { href: `${api}/pulls/${number}` },
      },
      start_line: comment.start_line,
      original_start_line: comment.start_line,
      start_side: comment.start_side,
      ...lines,
      side: comment.side,
      subject_type: comment.subject_type,
    };
  }

  #updateReviewComment(context: Context): Reply {
    this.#requirePermission('pullRequests', context);
    const comment = this.#findReviewComment(context);
    this.#checkAuthor(context, comment.user, `review comment ${comment.id}`);
    const { body } = context.body as BodyOf<'pulls/update-review-comment'>;
    this.#checkBodyLength(context, body, 'PullRequestReviewComment');
    comment.body = body;
    comment.history.push(body);
    comment.updated_at = timestamp();
    return { status: 200, json: this.#reviewCommentJson(comment) };
  }

  #deleteReviewComment(context: Context): Reply {
    this.#requirePermission('pullRequests', context);
    const comment = this.#findReviewComment(context);
    this.#checkAuthor(context, comment.user, `review comment ${comment.id}`);
    this.#removeReviewComment(comment);
    return { status: 204 };
  }

  #createReviewComment(context: Context): Reply {
    this.#requirePermission('pullRequests', context);
    const body = context.body as BodyOf<'pulls/create-review-comment'>;
    this.#rejectIfPending(context, true);
    this.#checkCommitId(context, body.commit_id);
    this.#checkBodyLength(context, body.body, 'PullRequestReviewComment');
    if (body.in_reply_to !== undefined) {
      return this.#reply(context, body.in_reply_to, body.body);
    }
    const placement = this.#place(body);
    if (typeof placement === 'string') {
      throw this.#unprocessable(
        context,
        [
          {
            resource: 'PullRequestReviewComment',
            code: 'custom',
            field: 'pull_request_review_thread.line',
            message: placement,
          },
        ],
        `comment on ${body.path}: ${placement}`,
        'Validation Failed',
      );
    }
    const review = this.#submittedReviewFor();
    const comment = this.#addReviewComment(review.id, body.body, placement, null);
    return { status: 201, json: this.#reviewCommentJson(comment) };
  }

  #createReply(context: Context): Reply {
    this.#requirePermission('pullRequests', context);
    const { body } = context.body as BodyOf<'pulls/create-reply-for-review-comment'>;
    this.#checkBodyLength(context, body, 'PullRequestReviewComment');
    return this.#reply(context, Number(context.params.comment_id), body);
  }

  #reply(context: Context, parentId: number, body: string): Reply {
    const parent = this.reviewComments.find((candidate) => candidate.id === parentId);
    if (!parent)
      throw this.#notFound(context, `cannot reply to review comment ${parentId}: it does not exist`);
    if (parent.in_reply_to_id !== null) {
      throw this.#unprocessable(
        context,
        ['Replies to replies are not supported'],
        `review comment ${parentId} is itself a reply; reply to ${parent.in_reply_to_id} instead`,
      );
    }
    const review = this.#submittedReviewFor();
    const patch = this.#patchOf(parent.path);
    const row = patch && parent.line !== null ? (findRow(patch, parent.side, parent.line) ?? null) : null;
    const comment = this.#addReviewComment(
      review.id,
      body,
      {
        path: parent.path,
        line: parent.line,
        side: parent.side,
        start_line: parent.start_line,
        start_side: parent.start_side,
        row,
      },
      parent.id,
    );
    return { status: 201, json: this.#reviewCommentJson(comment) };
  }

  /** A single review comment comes with its own submitted review, as on GitHub. */
  #submittedReviewFor(): FakeReview {
    const review: FakeReview = {
      id: this.#nextId.review++,
      state: 'COMMENTED',
      body: '',
      event: 'COMMENT',
      commit_id: this.#options.pull.headSha,
      user: this.#identity,
      submitted_at: timestamp(),
    };
    this.reviews.push(review);
    return review;
  }

  // ---------------------------------------------------------------------------------------------- check runs

  /** What a commit of the repository is, for messages; `undefined` for a sha that is no commit. */
  #describeCommit(sha: string): string | undefined {
    const pull = this.#pull;
    const known = new Map([
      [pull.headSha, 'the pull request head'],
      [pull.baseSha, 'the base branch head'],
      [pull.mergeBaseSha, 'the merge base'],
      [pull.mergeCommitSha, 'the test merge commit (GITHUB_SHA of a pull_request run)'],
    ]);
    if (this.#options.headMoved !== undefined) {
      known.set(this.#options.headMoved, 'the head pushed after the event, which the scan did not see');
    }
    const description = known.get(sha);
    if (description) return description;
    if (this.#madeCommits.has(sha)) return 'a commit the client made';
    return this.#git.commits.has(sha) ? 'a commit of the repository' : undefined;
  }

  #createCheckRun(context: Context): Reply {
    this.#requirePermission('checks', context);
    const body = context.body as BodyOf<'checks/create'>;
    const pull = this.#pull;
    const known = this.#describeCommit(body.head_sha);
    if (!known) {
      throw this.#unprocessable(
        context,
        [
          {
            resource: 'CheckRun',
            code: 'invalid',
            field: 'head_sha',
            message: `No commit found for SHA: ${body.head_sha}`,
          },
        ],
        `head_sha ${body.head_sha} is not a commit of the repository`,
        'Validation Failed',
      );
    }
    this.#checkRunRules(context, body, true);
    // The scanned head, or a commit the client pushed to the pull request's branch (an autofix commit).
    if (body.head_sha !== pull.headSha && !this.#madeCommits.has(body.head_sha)) {
      this.#violate(
        context.record,
        `check run on ${body.head_sha} (${known}), not on the pull request head ${pull.headSha}: ` +
          'it will not show on the pull request nor gate its merge',
      );
    }
    const conclusion = body.conclusion ?? null;
    const now = timestamp();
    const run: FakeCheckRun = {
      id: this.#nextId.checkRun++,
      name: body.name,
      head_sha: body.head_sha,
      status: conclusion ? 'completed' : (body.status ?? 'queued'),
      conclusion,
      details_url: body.details_url ?? null,
      external_id: body.external_id ?? null,
      started_at: body.started_at ?? now,
      completed_at: conclusion ? (body.completed_at ?? now) : null,
      output: {
        title: body.output?.title ?? null,
        summary: body.output?.summary ?? null,
        text: body.output?.text ?? null,
      },
      annotations: [...(body.output?.annotations ?? [])],
      updates: 0,
    };
    this.checkRuns.push(run);
    return { status: 201, json: this.#checkRunJson(run) };
  }

  #updateCheckRun(context: Context): Reply {
    this.#requirePermission('checks', context);
    const run = this.#findCheckRun(context);
    const body = context.body as BodyOf<'checks/update'>;
    this.#checkRunRules(context, body, false);
    run.updates += 1;
    if (body.name !== undefined) run.name = body.name;
    if (body.details_url !== undefined) run.details_url = body.details_url;
    if (body.external_id !== undefined) run.external_id = body.external_id;
    if (body.started_at !== undefined) run.started_at = body.started_at;
    if (body.status !== undefined) run.status = body.status;
    if (body.conclusion !== undefined) {
      run.conclusion = body.conclusion;
      run.status = 'completed';
      run.completed_at = body.completed_at ?? timestamp();
    }
    if (body.output) {
      run.output = {
        title: body.output.title ?? run.output.title,
        summary: body.output.summary,
        text: body.output.text ?? run.output.text,
      };
      run.annotations.push(...(body.output.annotations ?? []));
    }
    return { status: 200, json: this.#checkRunJson(run) };
  }

  /** The rules of the Checks API beyond the schema (which has `maxItems: 50` and `maxLength: 65535` already). */
  #checkRunRules(
    context: Context,
    body: BodyOf<'checks/create'> | BodyOf<'checks/update'>,
    creating: boolean,
  ): void {
    const errors: string[] = [];
    if (creating && body.name?.trim() === '') errors.push('name is empty');
    if (body.status === 'completed' && body.conclusion === undefined) {
      errors.push('conclusion is required when status is completed');
    }
    if (body.completed_at !== undefined && body.conclusion === undefined) {
      errors.push('conclusion is required when completed_at is given');
    }
    const output = body.output;
    if (output) {
      if (!output.title) errors.push('output.title is required');
      if (!output.summary) errors.push('output.summary is required');
      // GitHub counts UTF-8 bytes here, not characters ("summary exceeds a maximum bytesize of 65535").
      for (const key of ['summary', 'text'] as const) {
        const value = output[key];
        if (value !== undefined && value !== null && Buffer.byteLength(value, 'utf8') > MAX_OUTPUT_BYTES) {
          errors.push(`${key} exceeds a maximum bytesize of ${MAX_OUTPUT_BYTES}`);
        }
        // A lone surrogate (a cut through a pair) is no UTF-8 at all.
        if (typeof value === 'string' && /\p{Cs}/u.test(value))
          errors.push(`output.${key} is not valid UTF-8`);
      }
      const annotations = output.annotations ?? [];
      if (annotations.length > MAX_ANNOTATIONS_PER_REQUEST) {
        errors.push(`${annotations.length} annotations in one request (maximum 50)`);
      }
      annotations.forEach((annotation, index) => {
        const where = `output.annotations[${index}]`;
        if (annotation.start_line < 1) errors.push(`${where}.start_line must be at least 1`);
        if (annotation.end_line < annotation.start_line) errors.push(`${where}.end_line precedes start_line`);
        if (
          (annotation.start_column !== undefined || annotation.end_column !== undefined) &&
          annotation.start_line !== annotation.end_line
        ) {
          errors.push(`${where}: start_column and end_column are only allowed on a single line`);
        }
        if ((annotation.title?.length ?? 0) > 255)
          errors.push(`${where}.title is longer than 255 characters`);
        for (const key of ['message', 'raw_details'] as const) {
          const value = annotation[key];
          if (value !== undefined && Buffer.byteLength(value) > 65536)
            errors.push(`${where}.${key} exceeds 64 KB`);
        }
        if (/^(?:\/|\.\/|[A-Za-z]:)|\\/.test(annotation.path)) {
          errors.push(
            `${where}.path ${JSON.stringify(annotation.path)} is not relative to the repository root`,
          );
        }
      });
    }
    if (errors.length > 0) {
      throw this.#unprocessable(
        context,
        errors.map((message) => ({ resource: 'CheckRun', code: 'custom', message })),
        errors.join('; '),
        'Invalid request.',
      );
    }
  }

  #findCheckRun(context: Context): FakeCheckRun {
    const run = this.checkRuns.find((candidate) => candidate.id === context.params.check_run_id);
    if (!run)
      throw this.#notFound(context, `check run ${String(context.params.check_run_id)} does not exist`);
    return run;
  }

  #checkRunJson(run: FakeCheckRun): Schemas['check-run'] {
    const url = `${this.#url}/repos/${this.#fullName}/check-runs/${run.id}`;
    const onPull = run.head_sha === this.#headOid && !this.#isFork;
    return {
      id: run.id,
      head_sha: run.head_sha,
      node_id: nodeId('CheckRun', run.id),
      external_id: run.external_id ?? '',
      url,
      html_url: `${SERVER_URL}/${this.#fullName}/runs/${run.id}`,
      details_url: run.details_url ?? `${SERVER_URL}/${this.#fullName}/runs/${run.id}`,
      status: run.status as Schemas['check-run']['status'],
      conclusion: run.conclusion as Schemas['check-run']['conclusion'],
      started_at: run.started_at,
      completed_at: run.completed_at,
      output: {
        title: run.output.title,
        summary: run.output.summary,
        text: run.output.text,
        annotations_count: run.annotations.length,
        annotations_url: `${url}/annotations`,
      },
      name: run.name,
      check_suite: { id: 30_000_001 },
      app: {
        id: ACTIONS_APP_ID,
        slug: 'github-actions',
        node_id: nodeId('Integration', ACTIONS_APP_ID),
        owner: userObject(this.#url, { login: 'github', type: 'Organization', id: 9919 }),
        name: 'GitHub Actions',
        description: 'Automate your workflow from idea to production',
        external_url: 'https://help.github.com/en/actions',
        html_url: `${SERVER_URL}/apps/github-actions`,
        created_at: '2018-07-30T09:30:17Z',
        updated_at: '2019-12-10T19:04:12Z',
        permissions: { checks: 'write', contents: 'write', metadata: 'read', pull_requests: 'write' },
        events: ['check_run', 'check_suite', 'pull_request', 'push'],
      },
      pull_requests: onPull ? [this.#pullMinimal()] : [],
    };
  }

  #annotationJson(annotation: CheckAnnotation): Schemas['check-annotation'] {
    return {
      path: annotation.path,
      start_line: annotation.start_line,
      end_line: annotation.end_line,
      start_column: annotation.start_column ?? null,
      end_column: annotation.end_column ?? null,
      annotation_level: annotation.annotation_level,
      title: annotation.title ?? null,
      message: annotation.message,
      raw_details: annotation.raw_details ?? null,
      blob_href: `${SERVER_URL}/${this.#fullName}/blob/${this.#options.pull.headSha}/${annotation.path}`,
    };
  }

  #listCheckRunsForRef(context: Context): Reply {
    const sha = this.#resolveRef(String(context.params.ref));
    if (!sha)
      throw this.#notFound(context, undefined, `No commit found for SHA: ${String(context.params.ref)}`);
    const runs = this.checkRuns.filter(
      (run) =>
        run.head_sha === sha &&
        (context.query.check_name === undefined || run.name === context.query.check_name) &&
        (context.query.status === undefined || run.status === context.query.status),
    );
    const page = this.#page(context, runs, (run) => this.#checkRunJson(run));
    return { ...page, json: { total_count: runs.length, check_runs: page.json } };
  }

  // ---------------------------------------------------------------------------------------------- contents

  /**
   * The sha a ref names: a commit the fake knows, a branch (`name`, `heads/name`, `refs/heads/name`), `HEAD`, or
   * `refs/pull/{n}/head|merge`. The branch of a fork's pull request resolves to the pull request's head, for reads.
   */
  #resolveRef(ref: string): string | undefined {
    if (/^[0-9a-f]{40}$/.test(ref)) return this.#git.commits.has(ref) ? ref : undefined;
    const pull = this.#pull;
    if (ref === `refs/pull/${pull.number}/head`) return this.#headOid;
    if (ref === `refs/pull/${pull.number}/merge`) return pull.mergeCommitSha;
    if (ref === 'HEAD') return this.#git.branches.get(this.#defaultBranch);
    const branch = ref.replace(/^(?:refs\/)?heads\//, '');
    if (this.#isFork && branch === pull.headRef) return this.#headOid;
    return this.#git.branches.get(branch);
  }

  /** The files at a ref: those of the commit it names, else `contents[ref]` (a ref the fake does not model). */
  #filesAt(ref: string): Map<string, string> | undefined {
    const sha = this.#resolveRef(ref);
    if (sha !== undefined) return this.#git.filesOf(sha);
    return this.#contents.get(ref);
  }

  #getContent(context: Context): Reply {
    const ref = typeof context.query.ref === 'string' ? context.query.ref : this.#defaultBranch;
    const files = this.#filesAt(ref);
    if (!files) throw this.#notFound(context, undefined, `No commit found for the ref ${ref}`);
    const path = String(context.params.path ?? '').replace(/\/+$/, '');
    const text = files.get(path);
    const sha = this.#resolveRef(ref) ?? ref;
    if (text !== undefined) {
      if (/\bvnd\.github(?:\.v3)?\.raw\b/.test(context.accept)) {
        return { status: 200, text, contentType: 'application/vnd.github.raw; charset=utf-8' };
      }
      const size = Buffer.byteLength(text);
      const large = size > MAX_CONTENT_BYTES;
      const content = large
        ? ''
        : (
            Buffer.from(text)
              .toString('base64')
              .match(/.{1,60}/g) ?? []
          ).join('\n') + '\n';
      return {
        status: 200,
        json: {
          ...this.#contentEntry(path, 'file', size, gitBlobSha(text), sha),
          content,
          encoding: large ? 'none' : 'base64',
        },
      };
    }
    const prefix = path === '' ? '' : `${path}/`;
    const children = new Map<string, Schemas['content-directory'][number]>();
    for (const [file, content] of files) {
      if (!file.startsWith(prefix)) continue;
      const [name = '', ...rest] = file.slice(prefix.length).split('/');
      const childPath = prefix + name;
      if (children.has(childPath)) continue;
      children.set(
        childPath,
        rest.length > 0
          ? this.#contentEntry(childPath, 'dir', 0, gitBlobSha(childPath), sha)
          : this.#contentEntry(childPath, 'file', Buffer.byteLength(content), gitBlobSha(content), sha),
      );
    }
    if (children.size === 0) throw this.#notFound(context);
    return { status: 200, json: [...children.values()].sort((a, b) => a.path.localeCompare(b.path)) };
  }

  #contentEntry(path: string, type: 'file' | 'dir', size: number, sha: string, ref: string) {
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    const self = `${this.#url}/repos/${this.#fullName}/contents/${encoded}?ref=${ref}`;
    const git = `${this.#url}/repos/${this.#fullName}/git/${type === 'dir' ? 'trees' : 'blobs'}/${sha}`;
    const html = `${SERVER_URL}/${this.#fullName}/${type === 'dir' ? 'tree' : 'blob'}/${ref}/${encoded}`;
    return {
      type,
      size,
      name: path.split('/').pop() ?? path,
      path,
      sha,
      url: self,
      git_url: git,
      html_url: html,
      download_url:
        type === 'dir' ? null : `https://raw.githubusercontent.com/${this.#fullName}/${ref}/${encoded}`,
      _links: { self, git, html },
    };
  }

  #putContent(context: Context): Reply {
    this.#requirePermission('contents', context);
    const body = context.body as BodyOf<'repos/create-or-update-file-contents'>;
    const pull = this.#pull;
    const branch = body.branch ?? this.#defaultBranch;
    if (this.#isFork && branch === pull.headRef) {
      throw this.#notFound(
        context,
        `branch ${branch} of a fork is not in ${this.#fullName}: a workflow token cannot push to forks`,
        `Branch ${branch} not found`,
      );
    }
    if (branch !== pull.headRef) {
      if (branch !== pull.baseRef && branch !== this.#defaultBranch) {
        throw this.#notFound(context, undefined, `Branch ${branch} not found`);
      }
      this.#violate(
        context.record,
        `commits to ${branch}, the base branch, instead of the pull request's branch`,
      );
    }
    const path = String(context.params.path);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body.content.replace(/\s/g, ''))) {
      throw this.#unprocessable(
        context,
        ['content is not valid Base64'],
        'content is not valid Base64',
        'Invalid request.',
      );
    }
    const parent = this.#branchHeadForWrite(branch);
    const files = this.#git.filesOf(parent);
    const existing = files.get(path);
    if (existing !== undefined && body.sha === undefined) {
      throw this.#unprocessable(
        context,
        [],
        `updates ${path} without the sha of the blob it replaces`,
        '"sha" wasn\'t supplied.',
      );
    }
    if (existing !== undefined && body.sha !== gitBlobSha(existing)) {
      throw new HttpError(
        409,
        {
          message: `${path} does not match ${body.sha}`,
          documentation_url: context.operation.documentationUrl,
          status: '409',
        },
        `sha ${body.sha} is not the current blob of ${path} (${gitBlobSha(existing)})`,
      );
    }
    const bytes = Buffer.from(body.content, 'base64');
    const content = bytes.toString('utf8');
    const tree = this.#git.treeFiles(this.#git.commits.get(parent)!.tree);
    tree.set(path, { mode: tree.get(path)?.mode ?? '100644', sha: this.#git.putBlob(bytes) });
    const author = { ...ACTIONS_BOT_PERSON, date: this.#nextCommitDate() };
    const treeSha = this.#putTreeFrom(tree, parent);
    const sha = this.#git.putCommit({
      tree: treeSha,
      parents: [parent],
      message: body.message,
      author,
      committer: author,
    });
    this.#madeCommits.add(sha);
    this.#git.branches.set(branch, sha);
    this.commits.push({ sha, branch, path, message: body.message, content });
    const entry = this.#contentEntry(path, 'file', bytes.length, gitBlobSha(bytes), branch);
    const commit = commitObject(this.#url, this.#fullName, sha, [parent]);
    return {
      status: existing === undefined ? 201 : 200,
      json: {
        content: { ...entry, download_url: entry.download_url ?? undefined },
        commit: {
          sha,
          node_id: commit.node_id,
          url: commit.commit.url,
          html_url: commit.html_url,
          author,
          committer: author,
          message: body.message,
          tree: { sha: treeSha, url: `${this.#url}/repos/${this.#fullName}/git/trees/${treeSha}` },
          parents: commit.parents,
          verification: {
            verified: false,
            reason: 'unsigned',
            signature: null,
            payload: null,
            verified_at: null,
          },
        },
      } satisfies Schemas['file-commit'],
    };
  }

  #compare(context: Context): Reply {
    const basehead = String(context.params.basehead);
    const parts = basehead.split(/\.{2,3}/);
    if (parts.length !== 2) throw this.#notFound(context, `basehead ${basehead} is not BASE...HEAD`);
    const [base, head] = parts.map((part) => this.#resolveRef(part.replace(/^[^:]+:/, '')));
    if (!base || !head) throw this.#notFound(context);
    const pull = this.#pull;
    const api = `${this.#url}/repos/${this.#fullName}`;
    const html = `${SERVER_URL}/${this.#fullName}/compare/${basehead}`;
    const identical = base === head;
    const commits =
      identical || head !== pull.headSha
        ? []
        : [commitObject(this.#url, this.#fullName, head, [pull.mergeBaseSha])];
    const comparison: Schemas['commit-comparison'] = {
      url: `${api}/compare/${basehead}`,
      html_url: html,
      permalink_url: `${SERVER_URL}/${this.#fullName}/compare/${base}...${head}`,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      base_commit: commitObject(this.#url, this.#fullName, base, []),
      merge_base_commit: commitObject(this.#url, this.#fullName, identical ? base : pull.mergeBaseSha, []),
      status: identical ? 'identical' : base === pull.mergeBaseSha ? 'ahead' : 'diverged',
      ahead_by: commits.length,
      behind_by: identical || base === pull.mergeBaseSha ? 0 : 1,
      total_commits: commits.length,
      commits,
      files: identical ? [] : pull.files.slice(0, MAX_COMPARE_FILES),
    };
    return { status: 200, json: comparison };
  }

  // ---------------------------------------------------------------------------------------------- commits: GraphQL

  #graphql(record: RecordedRequest): Reply {
    record.operationId = 'graphql';
    const outcome = runGraphql(record.body, this.#graphqlRoot(record));
    record.graphqlFields = outcome.rootFields;
    for (const violation of outcome.violations) this.#violate(record, violation);
    return { status: 200, json: outcome.json, headers: { 'x-ratelimit-resource': 'graphql' } };
  }

  /** The root fields the fake resolves; any other field is reported as not implemented. */
  #graphqlRoot(record: RecordedRequest): Record<string, unknown> {
    return {
      repository: ({ owner, name }: { owner: string; name: string }) => {
        const fullName = `${owner}/${name}`;
        if (fullName.toLowerCase() !== this.#fullName.toLowerCase()) {
          throw new GitHubGraphqlError(
            'NOT_FOUND',
            `Could not resolve to a Repository with the name '${fullName}'.`,
            `repository ${fullName} is not the pull request's repository ${this.#fullName}`,
          );
        }
        return this.#repositoryNode();
      },
      createCommitOnBranch: ({ input }: { input: CreateCommitOnBranchInput }) =>
        this.#createCommitOnBranch(input, record),
      // Who the token is: an installation token's app bot (`github-actions[bot]`) or a personal token's user.
      viewer: () => {
        const user = userObject(this.#url, this.#identity);
        return { __typename: 'User', id: user.node_id, databaseId: user.id, login: user.login };
      },
    };
  }

  #repositoryNode(): Record<string, unknown> {
    const info = this.#repositoryInfo();
    return {
      __typename: 'Repository',
      id: nodeId('Repository', info.id),
      databaseId: info.id,
      name: this.#options.repo,
      nameWithOwner: this.#fullName,
      url: `${SERVER_URL}/${this.#fullName}`,
      isFork: false,
      owner: { __typename: 'Organization', login: this.#options.owner },
      defaultBranchRef: () => this.#refNode(this.#defaultBranch) ?? null,
      // Fully qualified names first, then short ones, as GitHub does; only branches are modelled.
      ref: ({ qualifiedName }: { qualifiedName: string }) =>
        /^refs\/(?!heads\/)/.test(qualifiedName)
          ? null
          : (this.#refNode(qualifiedName.replace(/^refs\/heads\//, '')) ?? null),
      object: ({ oid, expression }: { oid?: string | null; expression?: string | null }) => {
        const sha = oid ?? (expression ? this.#resolveRef(expression) : undefined);
        return sha && this.#git.commits.has(sha) ? this.#commitNode(sha) : null;
      },
    };
  }

  /** The node id of a branch's ref, in the form of GitHub's legacy ids (`03:Ref{repository}:refs/heads/{branch}`). */
  #refId(branch: string): string {
    return Buffer.from(`03:Ref${this.#repositoryInfo().id}:refs/heads/${branch}`).toString('base64');
  }

  #refNode(branch: string): Record<string, unknown> | undefined {
    const oid = this.#git.branches.get(branch);
    if (oid === undefined) return undefined;
    return {
      __typename: 'Ref',
      id: this.#refId(branch),
      name: branch,
      prefix: 'refs/heads/',
      target: () => this.#commitNode(oid),
      repository: () => this.#repositoryNode(),
    };
  }

  #commitNode(oid: string): Record<string, unknown> {
    const commit = this.#git.commits.get(oid)!;
    const { headline, body } = splitMessage(commit.message);
    const url = `${SERVER_URL}/${this.#fullName}/commit/${oid}`;
    const actor = (person: GitPerson) => ({ name: person.name, email: person.email, date: person.date });
    return {
      __typename: 'Commit',
      id: Buffer.from(`06:Commit${this.#repositoryInfo().id}:${oid}`).toString('base64'),
      oid,
      abbreviatedOid: oid.slice(0, 7),
      url,
      commitUrl: url,
      resourcePath: `/${this.#fullName}/commit/${oid}`,
      message: commit.message,
      messageHeadline: headline,
      messageBody: body,
      authoredDate: commit.author.date,
      committedDate: commit.committer.date,
      author: actor(commit.author),
      committer: actor(commit.committer),
      tree: { __typename: 'Tree', oid: commit.tree },
      parents: () => {
        const parents = commit.parents.filter((parent) => this.#git.commits.has(parent));
        return { totalCount: parents.length, nodes: parents.map((parent) => this.#commitNode(parent)) };
      },
      repository: () => this.#repositoryNode(),
    };
  }

  /** The branch a `CommittableBranch` names; GitHub's error (and the violation) when it names none. */
  #committableBranch(input: CreateCommitOnBranchInput['branch']): string {
    const pull = this.#pull;
    const { id, repositoryNameWithOwner: nameWithOwner, branchName } = input;
    let branch: string;
    if (id !== undefined && id !== null) {
      if (nameWithOwner != null || branchName != null) {
        throw new GitHubGraphqlError(
          'UNPROCESSABLE',
          'Specify either the branch id, or repositoryNameWithOwner and branchName.',
          'branch has both an id and repositoryNameWithOwner/branchName',
        );
      }
      const decoded = Buffer.from(id, 'base64').toString('utf8');
      const match = /^03:Ref(\d+):refs\/heads\/(.+)$/.exec(decoded);
      if (!match || Number(match[1]) !== this.#repositoryInfo().id) {
        throw new GitHubGraphqlError(
          'NOT_FOUND',
          `Could not resolve to a node with the global id of '${id}'`,
          `branch id ${id} is not the id of a ref of ${this.#fullName}`,
        );
      }
      branch = match[2]!;
    } else {
      if (nameWithOwner == null || branchName == null) {
        throw new GitHubGraphqlError(
          'UNPROCESSABLE',
          'A branch must be given by id, or by repositoryNameWithOwner and branchName.',
          'branch has neither an id nor both repositoryNameWithOwner and branchName',
        );
      }
      if (nameWithOwner.toLowerCase() !== this.#fullName.toLowerCase()) {
        const fork = this.#isFork && nameWithOwner.toLowerCase() === pull.headRepoFullName?.toLowerCase();
        throw new GitHubGraphqlError(
          'NOT_FOUND',
          `Could not resolve to a Repository with the name '${nameWithOwner}'.`,
          fork
            ? `commits to the fork ${nameWithOwner}: a workflow token cannot push to forks`
            : `repository ${nameWithOwner} is not the pull request's repository ${this.#fullName}`,
        );
      }
      branch = branchName.replace(/^refs\/heads\//, '');
    }
    if (!this.#git.branches.has(branch)) {
      throw new GitHubGraphqlError(
        'NOT_FOUND',
        `A ref named "refs/heads/${branch}" does not exist in ${this.#fullName}.`,
        this.#isFork && branch === pull.headRef
          ? `branch ${branch} of the pull request is in the fork ${pull.headRepoFullName}, not in ${this.#fullName}: ` +
              'a workflow token cannot push to forks'
          : `branch ${branch} does not exist in ${this.#fullName}`,
      );
    }
    return branch;
  }

  #createCommitOnBranch(input: CreateCommitOnBranchInput, record: RecordedRequest): Record<string, unknown> {
    const pull = this.#pull;
    const branch = this.#committableBranch(input.branch);
    if ((this.#options.permissions?.contents ?? 'write') !== 'write') {
      throw new GitHubGraphqlError('FORBIDDEN', 'Resource not accessible by integration', undefined, {
        saml_failure: false,
      });
    }
    if (this.#options.protectedBranches?.includes(branch)) {
      throw new GitHubGraphqlError(
        'BRANCH_PROTECTION_RULE_VIOLATION',
        'Changes must be made through a pull request.',
      );
    }
    const head = this.#git.branches.get(branch)!;
    if (input.expectedHeadOid !== head) {
      // The branch moved since the client read it: no violation, a client must expect it.
      throw new GitHubGraphqlError(
        'STALE_DATA',
        `Expected branch to point to "${input.expectedHeadOid}" but it did not. Pull and try again.`,
      );
    }
    const additions = input.fileChanges?.additions ?? [];
    const deletions = input.fileChanges?.deletions ?? [];
    const problems: string[] = [];
    const paths = [...additions, ...deletions].map((change) => change.path);
    for (const path of paths) {
      const problem = pathProblem(path);
      if (problem) problems.push(problem);
    }
    const duplicates = paths.filter((path, index) => paths.indexOf(path) !== index);
    if (duplicates.length > 0) {
      problems.push(
        `paths must be unique across additions and deletions: ${[...new Set(duplicates)].join(', ')}`,
      );
    }
    if (problems.length > 0) {
      throw new GitHubGraphqlError(
        'UNPROCESSABLE',
        problems.join('; '),
        `createCommitOnBranch: ${problems.join('; ')}`,
      );
    }
    const tree = this.#git.treeFiles(this.#git.commits.get(head)!.tree);
    for (const { path } of deletions) {
      if (!tree.delete(path) && this.#git.isComplete(head)) {
        throw new GitHubGraphqlError(
          'UNPROCESSABLE',
          `A path was requested for deletion which does not exist as of commit oid \`${head}\``,
          `createCommitOnBranch deletes ${path}, which does not exist at ${head}`,
        );
      }
    }
    for (const { path, contents } of additions) {
      tree.set(path, {
        mode: tree.get(path)?.mode ?? '100644',
        sha: this.#git.putBlob(Buffer.from(contents, 'base64')),
      });
    }
    const conflict = treeConflict(tree);
    if (conflict) {
      throw new GitHubGraphqlError('UNPROCESSABLE', conflict, `createCommitOnBranch: ${conflict}`);
    }
    if (branch !== pull.headRef || this.#isFork) {
      this.#violate(record, `commits to ${branch}, not to the pull request's branch ${pull.headRef}`);
    }
    const headline = input.message.headline;
    const body = input.message.body ?? '';
    const date = this.#nextCommitDate();
    const oid = this.#git.putCommit({
      tree: this.#putTreeFrom(tree, head),
      parents: [head],
      message: body === '' ? headline : `${headline}\n\n${body}`,
      author: { ...ACTIONS_BOT_PERSON, date },
      committer: { ...GITHUB_COMMITTER, date },
    });
    this.#moveBranch(branch, oid, 'graphql');
    return {
      clientMutationId: input.clientMutationId ?? null,
      commit: this.#commitNode(oid),
      ref: this.#refNode(branch),
    };
  }

  // ---------------------------------------------------------------------------------------------- commits: Git Data API

  /** Stores a tree made from the files of `base` (a commit or a tree): incomplete when the base is. */
  #putTreeFrom(tree: FlatTree, base: string | undefined): string {
    const sha = this.#git.putTree(tree);
    if (base !== undefined && !this.#git.isComplete(base)) this.#git.incompleteTrees.add(sha);
    return sha;
  }

  /** Commit dates: one second apart from 2024-01-03, so commits (and their oids) are the same on every run. */
  #nextCommitDate(): string {
    this.#commitClock += 1;
    return timestamp(new Date(Date.UTC(2024, 0, 3) + this.#commitClock * 1000));
  }

  /** A branch's head for a contents API write; the default branch gets an empty root commit when no test named it. */
  #branchHeadForWrite(branch: string): string {
    let head = this.#git.branches.get(branch);
    if (head === undefined) {
      const tree = this.#git.putFiles(new Map());
      this.#git.incompleteTrees.add(tree);
      head = this.#git.putCommit({
        tree,
        parents: [],
        message: `Commit on ${branch}`,
        author: SEEDED_AUTHOR,
        committer: SEEDED_AUTHOR,
      });
      this.#git.branches.set(branch, head);
    }
    return head;
  }

  /** Moves a branch to `oid` and records the commits it gained in `branchCommits`. */
  #moveBranch(branch: string, oid: string, via: FakeBranchCommit['via']): void {
    const git = this.#git;
    const gained = git.commitsBetween(git.branches.get(branch)!, oid);
    git.branches.set(branch, oid);
    for (const sha of gained) {
      this.#madeCommits.add(sha);
      const commit = git.commits.get(sha)!;
      const parent = commit.parents[0];
      const before = parent === undefined ? new Map() : git.treeFiles(git.commits.get(parent)?.tree ?? '');
      const after = git.treeFiles(commit.tree);
      const changed = new Set<string>();
      for (const [path, file] of after) {
        if (before.get(path)?.sha !== file.sha || before.get(path)?.mode !== file.mode) changed.add(path);
      }
      for (const path of before.keys()) if (!after.has(path)) changed.add(path);
      const files: Record<string, string | null> = {};
      for (const path of [...changed].sort()) {
        const file = after.get(path);
        files[path] = file ? (git.blobs.get(file.sha)?.toString('utf8') ?? '') : null;
      }
      this.branchCommits.push({
        oid: sha,
        via,
        branch,
        parent: parent ?? '',
        parents: [...commit.parents],
        message: commit.message,
        ...splitMessage(commit.message),
        files,
      });
    }
  }

  #refJson(branch: string): Schemas['git-ref'] {
    const sha = this.#git.branches.get(branch)!;
    const api = `${this.#url}/repos/${this.#fullName}`;
    return {
      ref: `refs/heads/${branch}`,
      node_id: this.#refId(branch),
      url: `${api}/git/refs/heads/${branch}`,
      object: { type: 'commit', sha, url: `${api}/git/commits/${sha}` },
    };
  }

  /**
   * The branch of a `git/ref(s)/{ref}` parameter, which is `heads/<branch>`. GitHub answers 404 (reads) or 422
   * `Reference does not exist` (updates) for any other ref; a wrong form, another repository's branch or an update
   * of a missing branch is a violation.
   */
  #branchOfRef(context: Context, update: boolean): string {
    const ref = String(context.params.ref);
    const pull = this.#pull;
    const missing = (violation?: string) =>
      update
        ? new HttpError(
            422,
            {
              message: 'Reference does not exist',
              documentation_url: context.operation.documentationUrl,
              status: '422',
            },
            violation ?? `updates ${ref}, which does not exist`,
          )
        : this.#notFound(context, violation);
    if (ref.startsWith('refs/')) {
      throw missing(`ref ${ref}: the Git refs API takes heads/<branch>, without refs/`);
    }
    const branch = /^heads\/(.+)$/.exec(ref)?.[1];
    if (branch === undefined) throw missing(update ? `updates ${ref}, which is not a branch` : undefined);
    if (!this.#git.branches.has(branch)) {
      throw missing(
        this.#isFork && branch === pull.headRef
          ? `branch ${branch} of the pull request is in the fork ${pull.headRepoFullName}, not in ${this.#fullName}`
          : undefined,
      );
    }
    return branch;
  }

  #gitCommitJson(oid: string): Schemas['git-commit'] {
    const commit = this.#git.commits.get(oid)!;
    const api = `${this.#url}/repos/${this.#fullName}`;
    const signed = commit.committer.email === GITHUB_COMMITTER.email;
    return {
      sha: oid,
      node_id: Buffer.from(`06:Commit${this.#repositoryInfo().id}:${oid}`).toString('base64'),
      url: `${api}/git/commits/${oid}`,
      html_url: `${SERVER_URL}/${this.#fullName}/commit/${oid}`,
      author: commit.author,
      committer: commit.committer,
      message: commit.message,
      tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
      parents: commit.parents.map((parent) => ({
        sha: parent,
        url: `${api}/git/commits/${parent}`,
        html_url: `${SERVER_URL}/${this.#fullName}/commit/${parent}`,
      })),
      verification: {
        verified: signed,
        reason: signed ? 'valid' : 'unsigned',
        signature: null,
        payload: null,
        verified_at: signed ? commit.committer.date : null,
      },
    };
  }

  #getGitCommit(context: Context): Reply {
    const sha = String(context.params.commit_sha);
    if (!this.#git.commits.has(sha)) throw this.#notFound(context);
    return { status: 200, json: this.#gitCommitJson(sha) };
  }

  #createBlob(context: Context): Reply {
    this.#requirePermission('contents', context);
    const body = context.body as BodyOf<'git/create-blob'>;
    const encoding = body.encoding ?? 'utf-8';
    if (encoding !== 'utf-8' && encoding !== 'base64') {
      throw this.#unprocessable(
        context,
        [
          {
            resource: 'Blob',
            code: 'invalid',
            field: 'encoding',
            message: `encoding ${encoding} is not supported`,
          },
        ],
        `blob encoding ${JSON.stringify(encoding)} is neither utf-8 nor base64`,
        'Invalid request.',
      );
    }
    let bytes = Buffer.from(body.content, 'utf8');
    if (encoding === 'base64') {
      const text = body.content.replace(/\s/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) {
        throw this.#unprocessable(
          context,
          [{ resource: 'Blob', code: 'invalid', field: 'content', message: 'content is not valid Base64' }],
          'blob content is not valid Base64',
          'Invalid request.',
        );
      }
      bytes = Buffer.from(text, 'base64');
    }
    const sha = this.#git.putBlob(bytes);
    return { status: 201, json: { url: `${this.#url}/repos/${this.#fullName}/git/blobs/${sha}`, sha } };
  }

  #createTree(context: Context): Reply {
    this.#requirePermission('contents', context);
    const body = context.body as BodyOf<'git/create-tree'>;
    const git = this.#git;
    if (body.base_tree !== undefined && !git.trees.has(body.base_tree)) {
      throw this.#unprocessable(
        context,
        [{ resource: 'Tree', code: 'invalid', field: 'base_tree', message: 'base_tree is not a valid tree' }],
        `base_tree ${body.base_tree} is not a tree of the repository (the tree of a commit: GET .../git/commits/{sha})`,
        'Invalid request.',
      );
    }
    const tree: FlatTree = body.base_tree === undefined ? new Map() : git.treeFiles(body.base_tree);
    const complete = body.base_tree === undefined || git.isComplete(body.base_tree);
    const errors: string[] = [];
    body.tree.forEach((entry, index) => {
      const where = `tree.${index}`;
      const pathError = pathProblem(entry.path);
      if (pathError || entry.path === undefined) {
        errors.push(`${where}: ${pathError ?? 'path is missing'}`);
        return;
      }
      const path = entry.path;
      const modes = { blob: ['100644', '100755', '120000'], tree: ['040000'], commit: ['160000'] };
      if (entry.type === undefined || entry.mode === undefined || !modes[entry.type].includes(entry.mode)) {
        errors.push(`${where}: mode ${String(entry.mode)} does not go with type ${String(entry.type)}`);
        return;
      }
      if (entry.sha !== undefined && entry.content !== undefined) {
        errors.push(`${where}: use either sha or content, not both`);
        return;
      }
      if (entry.sha === undefined && entry.content === undefined) {
        errors.push(`${where}: sha or content is required`);
        return;
      }
      if (entry.type === 'commit') {
        errors.push(`${where}: the fake GitHub does not implement submodules`);
        return;
      }
      const under = [...tree.keys()].filter((file) => file.startsWith(`${path}/`));
      if (entry.type === 'blob') {
        if (entry.sha === null) {
          if (!tree.delete(path) && complete) errors.push(`${where}: ${path} does not exist in base_tree`);
        } else if (entry.content !== undefined) {
          tree.set(path, { mode: entry.mode, sha: git.putBlob(entry.content) });
        } else if (entry.sha === undefined || !git.hasBlob(entry.sha)) {
          errors.push(`${where}: ${String(entry.sha)} is not a blob of the repository`);
        } else {
          tree.set(path, { mode: entry.mode, sha: entry.sha });
        }
        return;
      }
      const subtree = entry.sha;
      if (subtree === undefined || entry.content !== undefined) {
        errors.push(`${where}: a tree entry takes a sha, not content`);
        return;
      }
      if (subtree !== null && !git.trees.has(subtree)) {
        errors.push(`${where}: ${subtree} is not a tree of the repository`);
        return;
      }
      if (subtree === null && under.length === 0 && complete) {
        errors.push(`${where}: directory ${path} does not exist in base_tree`);
      }
      for (const file of under) tree.delete(file);
      if (subtree !== null) {
        for (const [file, blob] of git.treeFiles(subtree)) tree.set(`${path}/${file}`, blob);
      }
    });
    const conflict = errors.length === 0 ? treeConflict(tree) : undefined;
    if (conflict) errors.push(conflict);
    if (errors.length > 0) {
      throw this.#unprocessable(
        context,
        errors.map((message) => ({ resource: 'Tree', code: 'custom', field: 'tree', message })),
        errors.join('; '),
        'Invalid tree info',
      );
    }
    const sha = git.putTree(tree);
    if (!complete) git.incompleteTrees.add(sha);
    const api = `${this.#url}/repos/${this.#fullName}`;
    return {
      status: 201,
      json: {
        sha,
        url: `${api}/git/trees/${sha}`,
        truncated: false,
        tree: git.listTree(sha).map((entry) => ({
          ...entry,
          url: `${api}/git/${entry.type === 'tree' ? 'trees' : 'blobs'}/${entry.sha}`,
        })),
      } satisfies Schemas['git-tree'],
    };
  }

  #createGitCommit(context: Context): Reply {
    this.#requirePermission('contents', context);
    const body = context.body as BodyOf<'git/create-commit'>;
    const git = this.#git;
    if (!git.trees.has(body.tree)) {
      throw this.#unprocessable(
        context,
        [],
        `tree ${body.tree} is not a tree of the repository (create it with POST .../git/trees)`,
        'Tree SHA does not exist',
      );
    }
    const parents = body.parents ?? [];
    const unknown = parents.filter((parent) => !git.commits.has(parent));
    if (unknown.length > 0) {
      throw this.#unprocessable(
        context,
        [],
        `parents ${unknown.join(', ')} are not commits of the repository`,
        'Parent SHA does not exist or is not a commit object',
      );
    }
    if (parents.length === 0) {
      this.#violate(
        context.record,
        'creates a root commit (no parents): on the branch it would replace the whole history',
      );
    }
    const date = this.#nextCommitDate();
    const author = body.author
      ? { name: body.author.name, email: body.author.email, date: body.author.date ?? date }
      : { ...ACTIONS_BOT_PERSON, date };
    const committer = body.committer
      ? {
          name: body.committer.name ?? author.name,
          email: body.committer.email ?? author.email,
          date: body.committer.date ?? date,
        }
      : author;
    const oid = git.putCommit({ tree: body.tree, parents, message: body.message, author, committer });
    this.#madeCommits.add(oid);
    return { status: 201, json: this.#gitCommitJson(oid) };
  }

  #updateRef(context: Context): Reply {
    this.#requirePermission('contents', context);
    const branch = this.#branchOfRef(context, true);
    const body = context.body as BodyOf<'git/update-ref'>;
    const pull = this.#pull;
    if (!this.#git.commits.has(body.sha)) {
      throw this.#unprocessable(
        context,
        [],
        `sha ${body.sha} is not a commit of the repository`,
        'Object does not exist',
      );
    }
    if (this.#options.protectedBranches?.includes(branch)) {
      throw new HttpError(422, {
        message: `Protected branch update failed for refs/heads/${branch}.`,
        documentation_url: context.operation.documentationUrl,
        status: '422',
      });
    }
    const current = this.#git.branches.get(branch)!;
    if (body.force === true) {
      this.#violate(
        context.record,
        `force-updates ${branch} (force: true): an update must fast-forward, never drop commits someone pushed`,
      );
    } else if (!this.#git.isAncestor(current, body.sha)) {
      // The branch moved since the client read it (or the commit is not built on it): GitHub refuses it.
      throw new HttpError(422, {
        message: 'Update is not a fast forward',
        documentation_url: context.operation.documentationUrl,
        status: '422',
      });
    }
    if (branch !== pull.headRef || this.#isFork) {
      this.#violate(context.record, `moves ${branch}, not the pull request's branch ${pull.headRef}`);
    }
    this.#moveBranch(branch, body.sha, 'git-data');
    return { status: 200, json: this.#refJson(branch) };
  }

  /** `GET /repos/{owner}/{repo}/commits/{ref}`: a commit by sha (full or abbreviated) or by branch. */
  #getCommit(context: Context): Reply {
    const ref = String(context.params.ref);
    let sha = this.#resolveRef(ref);
    if (sha === undefined && /^[0-9a-f]{7,39}$/.test(ref)) {
      const matches = [...this.#git.commits.keys()].filter((candidate) => candidate.startsWith(ref));
      if (matches.length === 1) sha = matches[0];
    }
    if (sha === undefined) {
      throw new HttpError(422, {
        message: `No commit found for SHA: ${ref}`,
        documentation_url: context.operation.documentationUrl,
        status: '422',
      });
    }
    const commit = this.#git.commits.get(sha)!;
    const json = commitObject(this.#url, this.#fullName, sha, commit.parents);
    json.commit.message = commit.message;
    json.commit.author = commit.author;
    json.commit.committer = commit.committer;
    json.commit.tree = {
      sha: commit.tree,
      url: `${this.#url}/repos/${this.#fullName}/git/trees/${commit.tree}`,
    };
    return { status: 200, json };
  }

  // ---------------------------------------------------------------------------------------------- issue comments

  #issueCommentJson(comment: FakeIssueComment): Schemas['issue-comment'] {
    const api = `${this.#url}/repos/${this.#fullName}`;
    return {
      id: comment.id,
      node_id: nodeId('IssueComment', comment.id),
      url: `${api}/issues/comments/${comment.id}`,
      body: comment.body,
      html_url: `${SERVER_URL}/${this.#fullName}/pull/${this.#options.pull.number}#issuecomment-${comment.id}`,
      user: userObject(this.#url, comment.user),
      created_at: comment.created_at,
      updated_at: comment.updated_at,
      issue_url: `${api}/issues/${this.#options.pull.number}`,
      author_association: 'CONTRIBUTOR',
    };
  }

  #findIssueComment(context: Context): FakeIssueComment {
    const comment = this.issueComments.find((candidate) => candidate.id === context.params.comment_id);
    if (!comment)
      throw this.#notFound(context, `issue comment ${String(context.params.comment_id)} does not exist`);
    return comment;
  }

  #createIssueComment(context: Context): Reply {
    this.#requirePermission('pullRequests', context);
    const { body } = context.body as BodyOf<'issues/create-comment'>;
    this.#checkBodyLength(context, body, 'IssueComment');
    const now = timestamp();
    const comment: FakeIssueComment = {
      id: this.#nextId.issueComment++,
      body,
      history: [body],
      user: this.#identity,
      created_at: now,
      updated_at: now,
    };
    this.issueComments.push(comment);
    return { status: 201, json: this.#issueCommentJson(comment) };
  }

  #updateIssueComment(context: Context): Reply {
    this.#requirePermission('pullRequests', context);
    const comment = this.#findIssueComment(context);
    this.#checkAuthor(context, comment.user, `issue comment ${comment.id}`);
    const { body } = context.body as BodyOf<'issues/update-comment'>;
    this.#checkBodyLength(context, body, 'IssueComment');
    comment.body = body;
    comment.history.push(body);
    comment.updated_at = timestamp();
    return { status: 200, json: this.#issueCommentJson(comment) };
  }

  #deleteIssueComment(context: Context): Reply {
    this.#requirePermission('pullRequests', context);
    const comment = this.#findIssueComment(context);
    this.#checkAuthor(context, comment.user, `issue comment ${comment.id}`);
    this.issueComments.splice(this.issueComments.indexOf(comment), 1);
    this.deletedIssueComments.push(comment);
    return { status: 204 };
  }
}

interface Placement {
  path: string;
  line: number | null;
  side: Side;
  start_line: number | null;
  start_side: Side | null;
  row: PatchRow | null;
}

/** The test merge commit GitHub makes for a pull request, when a test does not name one. */
export function defaultMergeCommitSha(headSha: string, baseSha: string): string {
  return gitBlobSha(`merge ${headSha} into ${baseSha}`);
}

/** The input of `createCommitOnBranch`, as graphql-js coerces it from the query and its variables. */
interface CreateCommitOnBranchInput {
  branch: { id?: string | null; repositoryNameWithOwner?: string | null; branchName?: string | null };
  clientMutationId?: string | null;
  expectedHeadOid: string;
  fileChanges?: {
    additions?: { path: string; contents: string }[] | null;
    deletions?: { path: string }[] | null;
  } | null;
  message: { headline: string; body?: string | null };
}

/** Why a path cannot be a file's path in a git tree, if it cannot. */
function pathProblem(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  if (path === '') return 'a path is empty';
  if (path.startsWith('/') || path.endsWith('/'))
    return `path ${JSON.stringify(path)} starts or ends with a slash`;
  const segments = path.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    return `path ${JSON.stringify(path)} has an empty, . or .. segment`;
  }
  if (segments.some((segment) => segment.toLowerCase() === '.git'))
    return `path ${JSON.stringify(path)} is in .git`;
  return undefined;
}

/** A path that is both a file and a directory of a tree, if there is one. */
function treeConflict(tree: FlatTree): string | undefined {
  for (const path of tree.keys()) {
    const parts = path.split('/');
    for (let end = 1; end < parts.length; end += 1) {
      const directory = parts.slice(0, end).join('/');
      if (tree.has(directory)) return `${directory} would be both a file and a directory`;
    }
  }
  return undefined;
}

/** Faults as GitHub answers them, for `FakeGitHubOptions.faults` and `addFault`. */
export const githubFaults = {
  /** A permission the token lacks (`checks=write`, `pull_requests=write`), named in GitHub's header. */
  forbidden(permission: string): FaultResponse {
    return {
      status: 403,
      json: { message: 'Resource not accessible by integration', documentation_url: DOCS, status: '403' },
      headers: { 'x-accepted-github-permissions': permission },
    };
  },
  /** The primary rate limit is used up, until `seconds` from the moment of the request. */
  rateLimit(seconds = 1): () => FaultResponse {
    return () => ({
      status: 403,
      json: {
        message: 'API rate limit exceeded for installation ID 4242.',
        documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api`,
        status: '403',
      },
      headers: {
        'x-ratelimit-limit': '1000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-used': '1000',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + seconds),
      },
    });
  },
  /** A secondary rate limit (too many requests at once or too fast), answered with 403 or 429 and `retry-after`. */
  secondaryRateLimit(status: 403 | 429 = 429, retryAfter = 1): FaultResponse {
    return {
      status,
      json: {
        message:
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
          'If you reach out to GitHub Support for help, please include the request ID 0000:1111:2222:3333.',
        documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
        status: String(status),
      },
      headers: { 'retry-after': String(retryAfter) },
    };
  },
  /** 500 as JSON; 502 and 503 as the HTML page GitHub's front end serves. */
  serverError(status: 500 | 502 | 503 = 500): FaultResponse {
    if (status === 500)
      return { status, json: { message: 'Server Error', documentation_url: DOCS, status: '500' } };
    return {
      status,
      text: `<!DOCTYPE html>\n<html><head><title>Unicorn! · GitHub</title></head><body>No server is currently available to service your request.</body></html>\n`,
      contentType: 'text/html; charset=utf-8',
    };
  },
  /** The answer to a review with a comment GitHub cannot place: it does not say which comment. */
  unplaceableReviewComment(): FaultResponse {
    return {
      status: 422,
      json: {
        message: 'Unprocessable Entity',
        errors: [
          "Pull request review thread line must be part of the diff and Pull request review thread diff hunk can't be blank",
        ],
        documentation_url: `${DOCS}/pulls/reviews#create-a-review-for-a-pull-request`,
        status: '422',
      },
    };
  },
};

function generic(...args: ConstructorParameters<typeof HttpError>): HttpError {
  const error = new HttpError(...args);
  error.generic = true;
  return error;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export type { ValidationProblem };

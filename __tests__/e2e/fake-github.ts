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
  start_line?: number | null;
  side?: Side;
  start_side?: Side | null;
  commit_id?: string;
  /** Default the workflow token's user, `github-actions[bot]`. */
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
  /** A pending review of `github-actions[bot]` left by an earlier run. */
  existingPendingReview?: boolean;
  /** When set, other tokens get 401 Bad credentials. */
  token?: string;
  /** Default `main`. */
  defaultBranch?: string;
  /** Check the fake's own responses against the OpenAPI response schemas, into `responseProblems`. */
  validateResponses?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string, as sent (percent-encoded). */
  path: string;
  /** `null` when no documented operation matches. */
  operationId: string | null;
  query: Record<string, string>;
  /** The parsed JSON body, `undefined` when there is none. */
  body: unknown;
  status: number;
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

interface Reply {
  status: number;
  /** Errors GitHub answers for any operation, which the description does not document per operation. */
  generic?: boolean;
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
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
const MAX_OUTPUT_TEXT = 65535;
const MAX_ANNOTATIONS_PER_REQUEST = 50;
const MAX_CONTENT_BYTES = 1024 * 1024;
const DOCS = 'https://docs.github.com/rest';

/** GitHub Actions' app, the `app` of check runs created with a workflow token. */
const ACTIONS_APP_ID = 15368;

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly reviews: FakeReview[] = [];
  readonly reviewComments: FakeReviewComment[] = [];
  readonly deletedReviewComments: FakeReviewComment[] = [];
  readonly checkRuns: FakeCheckRun[] = [];
  readonly issueComments: FakeIssueComment[] = [];
  readonly deletedIssueComments: FakeIssueComment[] = [];
  readonly commits: FakeFileCommit[] = [];
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

  private constructor(options: FakeGitHubOptions) {
    this.#options = options;
    this.#contents = new Map(
      Object.entries(options.contents ?? {}).map(([ref, files]) => [ref, new Map(Object.entries(files))]),
    );
    this.#server = createServer((request, response) => void this.#handle(request, response));
    this.#handlers = this.#routes();
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

  #seed(): void {
    if (this.#options.existingPendingReview) {
      this.reviews.push({
        id: this.#nextId.review++,
        state: 'PENDING',
        body: '',
        event: null,
        commit_id: this.#options.pull.headSha,
        user: ACTIONS_BOT,
        submitted_at: null,
      });
    }
    for (const existing of this.#options.existingReviewComments ?? []) {
      const id = existing.id ?? this.#nextId.comment++;
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
        start_line: existing.start_line ?? null,
        side,
        start_side: existing.start_line ? (existing.start_side ?? side) : null,
        position: row?.position ?? null,
        diff_hunk: patch && row ? diffHunk(patch, row) : '@@ -1 +1 @@',
        commit_id: existing.commit_id ?? this.#options.pull.headSha,
        subject_type: 'line',
        in_reply_to_id: existing.in_reply_to_id ?? null,
        user: existing.user ?? ACTIONS_BOT,
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
        user: existing.user ?? ACTIONS_BOT,
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
    if (this.#options.validateResponses && matched.operation) this.#checkResponse(matched.operation, reply);
    this.#send(response, reply);
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
      statuses_url: `${api}/statuses/${pull.headSha}`,
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
        sha: pull.headSha,
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
        statuses: link(`${api}/statuses/${pull.headSha}`),
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
      head: { ref: pull.headRef, sha: pull.headSha, repo },
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
      (review) => review.state === 'PENDING' && review.user.login === ACTIONS_BOT.login,
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
      user: ACTIONS_BOT,
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
    const review = this.#findReview(context);
    if (review.state !== 'PENDING') {
      throw this.#unprocessable(
        context,
        ['Can not delete a non-pending pull request review'],
        `review ${review.id} is ${review.state}, only pending reviews can be deleted`,
      );
    }
    this.reviews.splice(this.reviews.indexOf(review), 1);
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
      start_line: placement.start_line,
      side: placement.side,
      start_side: placement.start_side,
      position: placement.row?.position ?? null,
      diff_hunk: patch && placement.row ? diffHunk(patch, placement.row) : '',
      commit_id: this.#options.pull.headSha,
      subject_type: placement.row ? 'line' : 'file',
      in_reply_to_id: inReplyTo,
      user: ACTIONS_BOT,
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
    if (user.login === ACTIONS_BOT.login) return;
    throw new HttpError(
      403,
      {
        message: 'Resource not accessible by integration',
        documentation_url: context.operation.documentationUrl,
        status: '403',
      },
      `changes ${what} written by ${user.login}, not by github-actions[bot]`,
    );
  }

  #reviewCommentJson(comment: FakeReviewComment): Schemas['pull-request-review-comment'] {
    const api = `${this.#url}/repos/${this.#fullName}`;
    const number = this.#options.pull.number;
    const html = `${SERVER_URL}/${this.#fullName}/pull/${number}#discussion_r${comment.id}`;
    const lines =
      comment.line === null
        ? {}
        : {
            line: comment.line,
            original_line: comment.line,
            position: comment.position ?? undefined,
            original_position: comment.position ?? undefined,
          };
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
      user: ACTIONS_BOT,
      submitted_at: timestamp(),
    };
    this.reviews.push(review);
    return review;
  }

  // ---------------------------------------------------------------------------------------------- check runs

  #knownCommits(): Map<string, string> {
    const pull = this.#pull;
    return new Map([
      [pull.headSha, 'the pull request head'],
      [pull.baseSha, 'the base branch head'],
      [pull.mergeBaseSha, 'the merge base'],
      [pull.mergeCommitSha, 'the test merge commit (GITHUB_SHA of a pull_request run)'],
    ]);
  }

  #createCheckRun(context: Context): Reply {
    this.#requirePermission('checks', context);
    const body = context.body as BodyOf<'checks/create'>;
    const pull = this.#pull;
    const known = this.#knownCommits().get(body.head_sha);
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
    if (body.head_sha !== pull.headSha) {
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
      if ((output.summary?.length ?? 0) > MAX_OUTPUT_TEXT) {
        errors.push(`output.summary has ${output.summary?.length} characters (maximum 65535)`);
      }
      if ((output.text?.length ?? 0) > MAX_OUTPUT_TEXT) {
        errors.push(`output.text has ${output.text?.length} characters (maximum 65535)`);
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
    const onPull = run.head_sha === this.#options.pull.headSha && !this.#isFork;
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

  /** The refs naming the same commit: a sha, its branch names and `refs/...` forms. */
  #refAliases(): string[][] {
    const pull = this.#pull;
    const base = [pull.baseSha, pull.baseRef, `refs/heads/${pull.baseRef}`, `heads/${pull.baseRef}`];
    if (pull.baseRef === this.#defaultBranch) base.push('HEAD');
    return [
      [
        pull.headSha,
        pull.headRef,
        `refs/heads/${pull.headRef}`,
        `heads/${pull.headRef}`,
        `refs/pull/${pull.number}/head`,
      ],
      base,
      [pull.mergeBaseSha],
      [pull.mergeCommitSha, `refs/pull/${pull.number}/merge`],
    ];
  }

  /** The sha a ref names, when it is one of the pull request's commits or refs. */
  #resolveRef(ref: string): string | undefined {
    const group = this.#refAliases().find((aliases) => aliases.includes(ref));
    if (group) return group[0];
    return this.#contents.has(ref) && /^[0-9a-f]{40}$/.test(ref) ? ref : undefined;
  }

  /** The files at a ref: those of `contents` under the ref or any alias of it. */
  #filesAt(ref: string): Map<string, string> | undefined {
    if (this.#contents.has(ref)) return this.#contents.get(ref);
    const group = this.#refAliases().find((aliases) => aliases.includes(ref));
    const key = group?.find((alias) => this.#contents.has(alias));
    if (key !== undefined) return this.#contents.get(key);
    return group ? new Map() : undefined;
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
    const files = this.#filesAt(branch) ?? new Map<string, string>();
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
    const content = Buffer.from(body.content, 'base64').toString('utf8');
    const updated = new Map(files).set(path, content);
    this.#contents.set(branch, updated);
    const sha = gitBlobSha(`commit ${this.commits.length} ${path} ${content}`);
    this.commits.push({ sha, branch, path, message: body.message, content });
    const entry = this.#contentEntry(path, 'file', Buffer.byteLength(content), gitBlobSha(content), branch);
    const commit = commitObject(this.#url, this.#fullName, sha, [pull.headSha]);
    return {
      status: existing === undefined ? 201 : 200,
      json: {
        content: { ...entry, download_url: entry.download_url ?? undefined },
        commit: {
          sha,
          node_id: commit.node_id,
          url: commit.commit.url,
          html_url: commit.html_url,
          author: commit.commit.author ?? undefined,
          committer: commit.commit.committer ?? undefined,
          message: body.message,
          tree: commit.commit.tree,
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
      user: ACTIONS_BOT,
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

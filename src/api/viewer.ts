import type { GitHub } from './client.js';

/**
 * The login of the token's user: GraphQL's `viewer`, which answers an installation token (a workflow token is
 * `github-actions[bot]`, a GitHub App's `<slug>[bot]`) and a personal token alike, where REST's `GET /user` refuses
 * installation tokens.
 */
export async function viewerLogin(github: GitHub): Promise<string> {
  const { viewer } = await github.graphql<{ viewer: { login: string } }>('query { viewer { login } }');
  return viewer.login;
}

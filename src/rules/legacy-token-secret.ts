import { isRecord, resourceLabel } from '../core/model.js';
import { LEGACY_TOKEN_TYPE, secretKindOf } from '../core/serviceaccounts.js';
import { metaOf } from './meta.js';
import type { Rule } from './types.js';

const ENFORCE_MOUNTABLE_SECRETS = 'kubernetes.io/enforce-mountable-secrets';

const quoted = (names: readonly string[]) => names.map((name) => `\`${name}\``).join(', ');

export const legacyTokenSecret: Rule = {
  meta: metaOf('legacy-token-secret'),
  check(context) {
    for (const secret of context.subjects.secrets) {
      if (secret.object.value.type !== LEGACY_TOKEN_TYPE) continue;
      const owner = secret.annotations['kubernetes.io/service-account.name'];
      context.report({
        resource: secret,
        path: ['type'],
        message:
          `${resourceLabel(secret.ref)} is a long-lived ServiceAccount token${owner ? ` for \`${owner}\`` : ''}: it never ` +
          'expires and stays valid until the Secret is deleted. Use a projected token (TokenRequest) with an audience and an expiration.',
      });
    }
    for (const account of context.subjects.serviceAccounts) {
      const secrets = account.object.value.secrets;
      if (!Array.isArray(secrets) || secrets.length === 0) continue;
      // Each entry is judged by the Secret it names, where the scan declares it (an absent `type` is `Opaque`).
      const entries = secrets.map((entry, index) => {
        const name =
          isRecord(entry) && typeof entry.name === 'string' && entry.name !== '' ? entry.name : null;
        const kind = name === null ? null : secretKindOf(context.model, account.ref.namespace, name);
        return { name, index, kind };
      });
      // With enforce-mountable-secrets the list says which Secrets pods may mount: only token Secrets in it count.
      if (account.annotations[ENFORCE_MOUNTABLE_SECRETS] === 'true') {
        for (const { name, index, kind } of entries) {
          if (kind !== 'token') continue;
          context.report({
            resource: account,
            path: ['secrets', index],
            key: `secrets:${name}`,
            message:
              `${resourceLabel(account.ref)} lists the long-lived token Secret \`${name}\` among its mountable ` +
              'secrets. Remove it and use projected tokens.',
          });
        }
        continue;
      }
      const tokens = entries.filter((entry) => entry.kind === 'token').map((entry) => entry.name!);
      const unknown = entries.filter((entry) => entry.kind === null);
      if (tokens.length === 0 && unknown.length === 0) continue;
      const named = unknown.filter((entry) => entry.name !== null).map((entry) => entry.name!);
      const parts: string[] = [];
      if (tokens.length > 0) {
        parts.push(
          `${resourceLabel(account.ref)} lists the long-lived token Secret${tokens.length > 1 ? 's' : ''} ` +
            `${quoted(tokens)} in \`secrets\`, the legacy token mechanism: remove ${tokens.length > 1 ? 'them' : 'it'} ` +
            'and use projected tokens.',
        );
      }
      if (unknown.length > 0) {
        const what =
          named.length > 0
            ? `${quoted(named)}${unknown.length > named.length ? ' and entries without a name' : ''}`
            : 'entries without a name';
        const one = unknown.length === 1;
        parts.push(
          `${tokens.length > 0 ? 'It also lists' : `${resourceLabel(account.ref)} lists`} ${what} in \`secrets\`, ` +
            `of unknown type: the scanned files do not declare ${one ? 'it' : 'them'} in its namespace. That list is ` +
            'how older clusters attached long-lived token Secrets; ' +
            (one
              ? 'if it is one, remove it and use projected tokens, and if not, declare it in the scan'
              : 'if one is, remove it and use projected tokens, and if none is, declare them in the scan') +
            ' (or remove the list unless `kubernetes.io/enforce-mountable-secrets` uses it).',
        );
      }
      context.report({ resource: account, path: ['secrets'], message: parts.join(' ') });
    }
  },
};
